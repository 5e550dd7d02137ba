//! Whether the `test` and `diff` reports are coloured: on only when asked, or when stdout is a
//! terminal and `NO_COLOR` is unset.

use std::io::IsTerminal;

use covenant::report::style::Style;

/// The style `--color auto|always|never` asks for.
pub fn from_flag(flag: &str) -> Style {
    let color = match flag {
        "always" => true,
        "never" => false,
        _ => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    Style { color }
}
