//! Colour, decided in one place for every command: `--color always|never`, or (`auto`, and
//! for commands without the flag) colour when the stream written to is a terminal and
//! `NO_COLOR` is not set. Diagnostics on standard error are coloured only when standard
//! output would be and standard error is a terminal too.

use std::io::IsTerminal;

/// Colour for output written to a stream: `flag` is the `--color` value (`auto` where a
/// command has no such flag), `terminal` whether that stream is a terminal.
pub fn wanted(flag: &str, terminal: bool) -> bool {
    match flag {
        "always" => true,
        "never" => false,
        _ => terminal && std::env::var_os("NO_COLOR").is_none(),
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    pub color: bool,
}

impl Style {
    /// `--color auto|always|never`, for standard output.
    pub fn from_flag(flag: &str) -> Style {
        Style {
            color: wanted(flag, std::io::stdout().is_terminal()),
        }
    }

    /// Colour for diagnostics on standard error.
    pub fn stderr(self) -> bool {
        self.color && std::io::stderr().is_terminal()
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn red(&self, text: &str) -> String {
        self.paint("31", text)
    }

    pub fn green(&self, text: &str) -> String {
        self.paint("32", text)
    }

    pub fn yellow(&self, text: &str) -> String {
        self.paint("33", text)
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
}

#[cfg(test)]
mod tests {
    use super::wanted;

    #[test]
    fn the_flag_decides_and_auto_needs_a_terminal() {
        assert!(wanted("always", false));
        assert!(!wanted("never", true));
        assert!(!wanted("auto", false));
        let no_color = std::env::var_os("NO_COLOR").is_some();
        assert_eq!(wanted("auto", true), !no_color);
    }
}
