//! How much of a run the SARIF and Markdown reports show (`--max-results`).

/// How much of a run the SARIF and Markdown reports show; what is left out is counted
/// (`covenant check --max-results`, `docs/reports.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Caps {
    /// The most results a SARIF log lists, and the most findings (rows of rule and problem
    /// tables) the Markdown report details.
    pub results: Option<usize>,
    /// The longest Markdown report, in characters (counted as UTF-16 code units, which are
    /// never fewer than Unicode characters).
    pub markdown_chars: Option<usize>,
}

/// GitHub code scanning's limit: the most results it takes in one SARIF run.
pub const GITHUB_SARIF_RESULTS: usize = 25_000;

/// GitHub's limit on the text of one pull-request comment, in characters.
pub const GITHUB_COMMENT_CHARS: usize = 65_536;

impl Caps {
    /// Everything is shown.
    pub const NONE: Caps = Caps {
        results: None,
        markdown_chars: None,
    };

    /// GitHub's limits: 25,000 results per SARIF run, 65,536 characters per comment.
    pub const GITHUB: Caps = Caps {
        results: Some(GITHUB_SARIF_RESULTS),
        markdown_chars: Some(GITHUB_COMMENT_CHARS),
    };
}
