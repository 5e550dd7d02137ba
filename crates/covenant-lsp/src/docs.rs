//! Links from a diagnostic's code to its entry in `docs/diagnostics.md`: the section of the
//! code's phase, with a text fragment that scrolls to the code's row.

use std::path::Path;

use tower_lsp_server::ls_types::Uri;

const DIAGNOSTICS_MD: &str = include_str!("../../../docs/diagnostics.md");

/// Where `docs/diagnostics.md` is read when the client names no other place: the file in the
/// source tree this server was built from, when it is still there.
pub fn default_docs() -> Option<Uri> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/diagnostics.md");
    let path = std::fs::canonicalize(path).ok()?;
    Uri::from_file_path(path)
}

/// The link to the entry of `code` (`covenant::resolve::unknown-phrase`) in the diagnostics
/// reference at `docs`.
pub fn code_link(code: &str, docs: Option<&Uri>) -> Option<Uri> {
    let docs = docs?;
    let base = docs.as_str().split('#').next().unwrap_or_default();
    let anchor = phase_anchor(code)?;
    let text: String = code.replace('-', "%2D");
    format!("{base}#{anchor}:~:text={text}").parse().ok()
}

/// The anchor of the heading of the code's phase (`## Resolution: `covenant::resolve::…``),
/// as a Markdown renderer makes it: lower case, punctuation dropped, spaces as `-`.
fn phase_anchor(code: &str) -> Option<String> {
    let phase = code.strip_prefix("covenant::")?.split("::").next()?;
    let wanted = format!("`covenant::{phase}::…`");
    let heading = DIAGNOSTICS_MD
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .find(|h| h.contains(&wanted))?;
    Some(slug(heading))
}

fn slug(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_code_links_to_its_phase_section() {
        let docs: Uri = "file:///repo/docs/diagnostics.md".parse().unwrap();
        for code in covenant::codes::CODES {
            let link = code_link(code.code, Some(&docs));
            assert!(link.is_some(), "no section for {}", code.code);
        }
        let link = code_link("covenant::resolve::unknown-phrase", Some(&docs)).unwrap();
        assert_eq!(
            link.as_str(),
            "file:///repo/docs/diagnostics.md#resolution-covenantresolve:~:text=covenant::resolve::unknown%2Dphrase"
        );
    }
}
