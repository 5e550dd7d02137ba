//! Colour, decided in one place for every command: `--color always|never`, or (`auto`, and
//! for commands without the flag) colour when the stream written to is a terminal and
//! `NO_COLOR` is not set. Diagnostics on standard error are coloured only when standard
//! output would be and standard error is a terminal too.

use std::io::IsTerminal;

use covenant::report::style::Style;

/// Colour for output written to a stream: `flag` is the `--color` value (`auto` where a
/// command has no such flag), `terminal` whether that stream is a terminal.
pub fn wanted(flag: &str, terminal: bool) -> bool {
    match flag {
        "always" => true,
        "never" => false,
        _ => terminal && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// `--color auto|always|never`, for standard output.
pub fn from_flag(flag: &str) -> Style {
    Style {
        color: wanted(flag, std::io::stdout().is_terminal()),
    }
}

/// Colour for diagnostics on standard error.
pub fn stderr(style: Style) -> bool {
    style.color && std::io::stderr().is_terminal()
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
