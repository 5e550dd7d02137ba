//! The expectation lines of a diagnostics fixture, and how they are compared with what its
//! phase reports. The format: `tests/fixtures/diagnostics/README.md`.

use std::path::{Path, PathBuf};

/// What a fixture says its phase reports.
#[derive(Debug, Default)]
pub struct Expected {
    /// `# expect: CODE` or `# expect: CODE at `TEXT``, in order.
    pub diagnostics: Vec<Expect>,
    /// `# expect: nothing`: the phase reports nothing.
    pub nothing: bool,
    /// `# message: TEXT`: part of the message of one of the diagnostics.
    pub messages: Vec<String>,
    /// `# help: TEXT`: part of the help of one of the diagnostics.
    pub helps: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expect {
    pub code: String,
    /// The text under the primary label; `None` when the line does not say.
    pub underlined: Option<String>,
}

/// One diagnostic as a phase reports it.
#[derive(Debug, Clone, Default)]
pub struct Reported {
    pub code: String,
    pub underlined: Option<String>,
    pub message: String,
    pub help: Option<String>,
}

impl Reported {
    pub fn code(code: impl Into<String>) -> Reported {
        Reported {
            code: code.into(),
            ..Reported::default()
        }
    }
}

/// How the expected diagnostics are compared with the reported ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The same diagnostics in the same order.
    Exact,
    /// The reported diagnostics start with the expected ones (a compile reports every error
    /// it finds; the snapshot holds them all).
    First,
    /// Only the text of a command's output is seen: the codes in it are the expected codes,
    /// each named once, in any order.
    Codes,
}

const EXPECT: &str = "# expect: ";
const MESSAGE: &str = "# message: ";
const HELP: &str = "# help: ";

/// The file holding the expectation lines of the input `path`: the input itself for a
/// `.policy` file, `PATH.expect` beside it for any other input (a deal, a suite, a folder).
pub fn lines_file(path: &Path) -> PathBuf {
    if is_policy(path) {
        path.to_path_buf()
    } else {
        let mut name = path.as_os_str().to_owned();
        name.push(".expect");
        PathBuf::from(name)
    }
}

pub fn is_policy(path: &Path) -> bool {
    path.is_file() && path.extension().is_some_and(|e| e == "policy")
}

/// Whether a line of a fixture is an expectation line (not text under test).
pub fn is_expectation_line(line: &str) -> bool {
    [EXPECT, MESSAGE, HELP].iter().any(|p| line.starts_with(p))
}

impl Expected {
    /// The expectation lines of the input at `path`.
    pub fn of(path: &Path) -> Expected {
        let file = lines_file(path);
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("{}: no expectation lines: {e}", file.display()));
        Expected::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
    }

    pub fn parse(text: &str) -> Result<Expected, String> {
        let mut out = Expected::default();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix(EXPECT) {
                if rest.trim() == "nothing" {
                    out.nothing = true;
                } else {
                    out.diagnostics.push(Expect::parse(rest)?);
                }
            } else if let Some(rest) = line.strip_prefix(MESSAGE) {
                out.messages.push(rest.trim().to_string());
            } else if let Some(rest) = line.strip_prefix(HELP) {
                out.helps.push(rest.trim().to_string());
            }
        }
        match (out.nothing, out.diagnostics.is_empty()) {
            (false, true) => Err("no `# expect:` line (`# expect: nothing` if none)".into()),
            (true, false) => Err("`# expect: nothing` beside diagnostics".into()),
            _ => Ok(out),
        }
    }

    /// The codes expected, in order.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.diagnostics.iter().map(|e| e.code.as_str())
    }

    /// Checks `reported` against the expectations; `name` names the fixture in a failure.
    pub fn check(&self, name: &str, reported: &[Reported], how: Match) {
        let seen = match how {
            Match::Codes => {
                let mut codes: Vec<&str> = reported.iter().map(|r| r.code.as_str()).collect();
                codes.sort_unstable();
                codes.dedup();
                let mut want: Vec<&str> = self.codes().collect();
                want.sort_unstable();
                assert_eq!(codes, want, "{name}: the codes in the output");
                return self.check_texts(name, reported);
            }
            Match::Exact => reported,
            Match::First => &reported[..reported.len().min(self.diagnostics.len())],
        };
        let got: Vec<Expect> = seen
            .iter()
            .enumerate()
            .map(|(i, r)| Expect {
                code: r.code.clone(),
                // A line without `at` does not check the underlined text.
                underlined: match self.diagnostics.get(i) {
                    Some(Expect {
                        underlined: None, ..
                    }) => None,
                    _ => r.underlined.clone(),
                },
            })
            .collect();
        assert_eq!(
            got, self.diagnostics,
            "{name}: (code, underlined text) of each diagnostic"
        );
        self.check_texts(name, reported);
    }

    fn check_texts(&self, name: &str, reported: &[Reported]) {
        for m in &self.messages {
            assert!(
                reported.iter().any(|r| r.message.contains(m.as_str())),
                "{name}: no message has `{m}`: {reported:#?}"
            );
        }
        for h in &self.helps {
            assert!(
                reported
                    .iter()
                    .any(|r| r.help.as_deref().is_some_and(|g| g.contains(h.as_str()))),
                "{name}: no help has `{h}`: {reported:#?}"
            );
        }
    }
}

impl Expect {
    /// `CODE`, `CODE at `TEXT`` or `CODE `TEXT`` (the older syntax fixtures omit `at`).
    fn parse(rest: &str) -> Result<Expect, String> {
        let rest = rest.trim_end();
        let (code, under) = rest.split_once(' ').unwrap_or((rest, ""));
        if !code.starts_with("covenant::") {
            return Err(format!("`{code}` is not a code"));
        }
        let under = under.strip_prefix("at ").unwrap_or(under).trim();
        let underlined = if under.is_empty() {
            None
        } else {
            let text = under
                .strip_prefix('`')
                .and_then(|u| u.strip_suffix('`'))
                .ok_or_else(|| format!("`{code}`: the underlined text goes in back quotes"))?;
            Some(text.to_string())
        };
        Ok(Expect {
            code: code.to_string(),
            underlined,
        })
    }
}

#[test]
fn expectation_lines_parse() {
    let e = Expected::parse(
        "# expect: covenant::a::b at `x y`\n# expect: covenant::c::d `z`\n# expect: covenant::e::f\n\
         # help: write `1%`\n# message: bad\nrule r: x\n",
    )
    .unwrap();
    let want = [
        ("covenant::a::b", Some("x y")),
        ("covenant::c::d", Some("z")),
    ];
    for (got, (code, under)) in e.diagnostics.iter().zip(want) {
        assert_eq!(got.code, code);
        assert_eq!(got.underlined.as_deref(), under);
    }
    assert_eq!(e.diagnostics[2].underlined, None);
    assert_eq!(e.helps, ["write `1%`"]);
    assert_eq!(e.messages, ["bad"]);
    assert!(Expected::parse("rule r: x\n").is_err());
    assert!(Expected::parse("# expect: nothing\n").unwrap().nothing);
    assert!(Expected::parse("# expect: covenant::a::b at x\n").is_err());
}
