//! The audit fields of a run (docs/reports.md, "Audit fields"): which engine checked the
//! deals, when, on which evaluation date, and the sha256 of each policy file's text, so that a
//! sign-off can show which policy text decided it. The JSON report carries them at its top, each
//! line of the JSON-lines report as its `run` member, and the SARIF log in `runs[0].properties`.

use jiff::civil::Date;
use jiff::Timestamp;
use serde::Serialize;

use crate::resolve::Policy;

use super::json_out::JsonOut;

/// The engine's name in the reports (`engine.name`).
pub const ENGINE_NAME: &str = "covenant";

/// What a run says about itself beside its deals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Audit {
    /// When the run started, to the second; `None` leaves `evaluated_at` out (`--deterministic`,
    /// for snapshots and byte-for-byte comparisons).
    pub evaluated_at: Option<Timestamp>,
    /// The evaluation date given (`--as-of`); `None`: each rule's is the deal date its window
    /// names (SPEC §9).
    pub as_of: Option<Date>,
}

impl Audit {
    /// A run starting now.
    pub fn now(as_of: Option<Date>) -> Audit {
        Audit::at(Timestamp::now(), as_of)
    }

    /// A run started at `time` (kept to the second).
    pub fn at(time: Timestamp, as_of: Option<Date>) -> Audit {
        let second = Timestamp::from_second(time.as_second()).unwrap_or(time);
        Audit {
            evaluated_at: Some(second),
            as_of,
        }
    }

    /// A run whose report does not depend on the clock: no `evaluated_at`.
    pub fn deterministic(as_of: Option<Date>) -> Audit {
        Audit {
            evaluated_at: None,
            as_of,
        }
    }

    /// The audit fields as members of the object `j` is writing: `engine`, `evaluated_at` (when
    /// kept), `as_of` (`null` when not given) and `policies`.
    pub fn write_members(&self, j: &mut JsonOut<'_>, policy: &Policy) {
        j.key("engine");
        j.begin_object();
        j.field_str("name", ENGINE_NAME);
        j.field_str("version", crate::VERSION);
        j.end_object();
        j.field_opt_str("evaluated_at", self.evaluated_at_text().as_deref());
        j.key("as_of");
        match self.as_of {
            Some(d) => j.str(&d.to_string()),
            None => j.null(),
        }
        j.key("policies");
        j.begin_array();
        for f in policies(policy) {
            j.element();
            f.write(j);
        }
        j.end_array();
    }

    /// The `run` member of each JSON line: the audit fields as one compact object.
    pub fn run_object(&self, policy: &Policy) -> Vec<u8> {
        let mut buf = Vec::new();
        let mut j = JsonOut::compact(&mut buf);
        j.begin_object();
        self.write_members(&mut j, policy);
        j.end_object();
        buf
    }

    /// The audit fields for serde (the SARIF log's `runs[0].properties`).
    pub fn fields<'a>(&self, policy: &'a Policy) -> AuditFields<'a> {
        AuditFields {
            engine: Engine {
                name: ENGINE_NAME,
                version: crate::VERSION,
            },
            evaluated_at: self.evaluated_at_text(),
            as_of: self.as_of.map(|d| d.to_string()),
            policies: policies(policy),
        }
    }

    /// `evaluated_at` in RFC 3339, UTC: `2026-05-01T09:30:00Z`.
    pub fn evaluated_at_text(&self) -> Option<String> {
        self.evaluated_at.map(|t| t.to_string())
    }
}

/// The audit fields as [`Audit::write_members`] writes them.
#[derive(Serialize)]
pub struct AuditFields<'a> {
    pub engine: Engine,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluated_at: Option<String>,
    pub as_of: Option<String>,
    pub policies: Vec<PolicyJson<'a>>,
}

/// `engine`: the checker's name and version.
#[derive(Serialize)]
pub struct Engine {
    pub name: &'static str,
    pub version: &'static str,
}

/// A policy file in a report's `policies`.
#[derive(Serialize)]
pub struct PolicyJson<'a> {
    pub path: &'a str,
    /// Always present (SPEC §4 shape), `null` for a file without a `policy` header.
    pub title: Option<&'a str>,
    pub version: Option<&'a str>,
    /// The sha256 of the file's text as read (docs/reports.md, "Audit fields").
    pub sha256: &'a str,
}

impl PolicyJson<'_> {
    /// The object, as serde writes it.
    pub fn write(&self, j: &mut JsonOut<'_>) {
        j.begin_object();
        j.field_str("path", self.path);
        for (key, value) in [("title", self.title), ("version", self.version)] {
            j.key(key);
            match value {
                Some(v) => j.str(v),
                None => j.null(),
            }
        }
        j.field_str("sha256", self.sha256);
        j.end_object();
    }
}

/// The policy files of a report's `policies`, sorted by path (their load order decides only the
/// order of the rules).
pub fn policies(policy: &Policy) -> Vec<PolicyJson<'_>> {
    let mut files: Vec<PolicyJson> = policy
        .files
        .iter()
        .map(|f| PolicyJson {
            path: &f.path,
            title: f.title.as_deref(),
            version: f.version.as_deref(),
            sha256: &f.sha256,
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(b.path));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        let compile = |name: &str, text: &str| {
            crate::resolve::compile_str(name, text)
                .map(|c| c.policy)
                .unwrap_or_else(|e| panic!("{e:?}"))
        };
        let mut p = compile(
            "b.policy",
            "policy \"B\" version \"2\"\nrule b: board seats > 1\n",
        );
        let a = compile("a.policy", "rule a: board seats > 2\n");
        // Two files, loaded `b` first: the reports list them by path.
        p.files.extend(a.files);
        p
    }

    #[test]
    fn the_timestamp_is_rfc_3339_utc_to_the_second() {
        let t: Timestamp = "2026-05-01T09:30:12.987654321+02:00"
            .parse()
            .unwrap_or_default();
        let a = Audit::at(t, None);
        assert_eq!(
            a.evaluated_at_text().as_deref(),
            Some("2026-05-01T07:30:12Z")
        );
        assert_eq!(Audit::deterministic(None).evaluated_at_text(), None);
    }

    #[test]
    fn the_line_member_and_the_serde_fields_agree() {
        let p = policy();
        let as_of = "2026-01-31".parse().ok();
        for audit in [
            Audit::at(Timestamp::UNIX_EPOCH, as_of),
            Audit::deterministic(None),
        ] {
            let ours = String::from_utf8(audit.run_object(&p)).unwrap_or_default();
            let theirs = serde_json::to_string(&audit.fields(&p)).unwrap_or_default();
            assert_eq!(ours, theirs);
        }
        let line = Audit::at(Timestamp::UNIX_EPOCH, as_of).run_object(&p);
        let sha_b =
            crate::digest::sha256_hex(b"policy \"B\" version \"2\"\nrule b: board seats > 1\n");
        let sha_a = crate::digest::sha256_hex(b"rule a: board seats > 2\n");
        let expected = format!(
            "{{\"engine\":{{\"name\":\"covenant\",\"version\":\"{}\"}},\
             \"evaluated_at\":\"1970-01-01T00:00:00Z\",\"as_of\":\"2026-01-31\",\
             \"policies\":[{{\"path\":\"a.policy\",\"title\":null,\"version\":null,\"sha256\":\"{sha_a}\"}},\
             {{\"path\":\"b.policy\",\"title\":\"B\",\"version\":\"2\",\"sha256\":\"{sha_b}\"}}]}}",
            crate::VERSION
        );
        assert_eq!(String::from_utf8(line).unwrap_or_default(), expected);
    }
}
