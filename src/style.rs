//! Colour, decided in one place for every command: `--color always|never`, or (`auto`, and
//! for commands without the flag) colour when the stream written to is a terminal and
//! `NO_COLOR` is not set to a non-empty value (<https://no-color.org>: the flag, given on the
//! command line or in `covenant.toml`, wins over it). Diagnostics on standard error are
//! coloured only when standard output would be and standard error is a terminal too.

use std::io::IsTerminal;

use clap::ValueEnum;

use covenant::report::style::Style;

/// `--color WHEN`: clap rejects any other value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour on a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    Always,
    Never,
}

/// Is `NO_COLOR` set to something other than the empty string?
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Colour for output written to a stream: `when` is the `--color` value (`auto` where a
/// command has no such flag), `terminal` whether that stream is a terminal, `no_color`
/// whether `NO_COLOR` asks for none.
pub fn wanted(when: ColorWhen, terminal: bool, no_color: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => terminal && !no_color,
    }
}

/// `--color auto|always|never`, for standard output.
pub fn from_flag(when: ColorWhen) -> Style {
    Style {
        color: wanted(when, std::io::stdout().is_terminal(), no_color_env()),
    }
}

/// Colour for diagnostics on standard error.
pub fn stderr(style: Style) -> bool {
    style.color && std::io::stderr().is_terminal()
}

/// Colour for diagnostics on standard error, for a command without `--color`.
pub fn stderr_auto() -> bool {
    wanted(
        ColorWhen::Auto,
        std::io::stderr().is_terminal(),
        no_color_env(),
    )
}

#[cfg(test)]
mod tests {
    use super::{wanted, ColorWhen};

    #[test]
    fn the_flag_decides_and_auto_needs_a_terminal_without_no_color() {
        for (terminal, no_color) in [(false, false), (true, false), (false, true), (true, true)] {
            assert!(wanted(ColorWhen::Always, terminal, no_color));
            assert!(!wanted(ColorWhen::Never, terminal, no_color));
        }
        assert!(wanted(ColorWhen::Auto, true, false));
        assert!(!wanted(ColorWhen::Auto, true, true));
        assert!(!wanted(ColorWhen::Auto, false, false));
    }
}
