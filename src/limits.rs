//! The limit flags (`docs/limits.md`) of the commands that read policies and deals.

use std::io::Write;

use covenant::limits::{Limits, PolicyLimits};

/// A size such as `4M`, checked as the flag is read (so that `covenant.toml` shows a bad one
/// in place); kept as text.
fn size(text: &str) -> Result<String, String> {
    covenant::limits::parse_size(text).map(|_| text.to_string())
}

/// A duration such as `30s`, checked as the flag is read; kept as text.
fn duration(text: &str) -> Result<String, String> {
    covenant::limits::parse_duration(text).map(|_| text.to_string())
}

// Limits on reading policies (`docs/limits.md`), for every command that reads one. (Not a doc
// comment: clap would make it the description of each command that flattens these arguments,
// since the commands' arguments are added when the command is used, `#[command(defer)]`.)
#[derive(clap::Args, Debug, Clone, Default)]
#[command(next_help_heading = "Limits")]
pub struct PolicyLimitArgs {
    /// The largest policy file [default: 4M].
    #[arg(long, value_name = "SIZE", value_parser = size)]
    pub max_policy_size: Option<String>,
    /// How long a file that is not a regular file (a FIFO, a device) may take to be read,
    /// such as 30s or 500ms [default: 30s].
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub read_timeout: Option<String>,
}

impl PolicyLimitArgs {
    /// The policy limits these flags set, the defaults elsewhere; an error names a bad value.
    pub fn resolve(&self) -> Result<PolicyLimits, String> {
        let mut limits = PolicyLimits::default();
        if let Some(t) = &self.max_policy_size {
            limits.max_file_size =
                covenant::limits::parse_size(t).map_err(|e| format!("--max-policy-size: {e}"))?;
        }
        if let Some(t) = &self.read_timeout {
            limits.read_timeout =
                covenant::limits::parse_duration(t).map_err(|e| format!("--read-timeout: {e}"))?;
        }
        Ok(limits)
    }

    /// [`Self::resolve`], printing the error on `err`.
    pub fn resolve_or_report(&self, err: &mut dyn Write) -> Option<PolicyLimits> {
        self.resolve()
            .map_err(|e| {
                let _ = writeln!(err, "error: {e}");
            })
            .ok()
    }
}

// Limits of a `check` run (`docs/limits.md`); each defaults to `Limits::default`. (Not a doc
// comment, as for `PolicyLimitArgs`.)
#[derive(clap::Args, Debug, Clone, Default)]
#[command(next_help_heading = "Limits")]
pub struct LimitArgs {
    /// The largest deal document: a file, standard input or one `.jsonl` line [default: 32M].
    #[arg(long, value_name = "SIZE", value_parser = size)]
    pub max_deal_size: Option<String>,
    #[command(flatten)]
    pub policy: PolicyLimitArgs,
    /// The most deals in one run; later ones are reported invalid, unread [default: no limit].
    #[arg(long, value_name = "N")]
    pub max_deals: Option<u64>,
    /// The deepest nesting of lists and mappings in a deal [default: 128, at most 1024].
    #[arg(long, value_name = "N")]
    pub max_deal_depth: Option<usize>,
    /// The most values in one deal, each use of a YAML alias counted in full [default: 1000000].
    #[arg(long, value_name = "N")]
    pub max_deal_values: Option<usize>,
}

impl LimitArgs {
    /// The limits these flags set, the defaults elsewhere; an error names a bad value.
    pub fn resolve(&self) -> Result<Limits, String> {
        let mut limits = Limits {
            policy: self.policy.resolve()?,
            ..Limits::default()
        };
        limits.read_timeout = limits.policy.read_timeout;
        if let Some(t) = &self.max_deal_size {
            limits.max_deal_size =
                covenant::limits::parse_size(t).map_err(|e| format!("--max-deal-size: {e}"))?;
        }
        limits.max_deals = self.max_deals.or(limits.max_deals);
        if let Some(d) = self.max_deal_depth {
            limits.deal.max_depth = d;
        }
        if let Some(n) = self.max_deal_values {
            limits.deal.max_nodes = n;
        }
        Ok(limits)
    }
}
