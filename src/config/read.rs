//! Reading `covenant.toml` with its spans, and checking each setting against the flags it
//! sets, so that an unknown key or a bad value is shown at its place in the file.

use std::ops::Range;
use std::path::{Path, PathBuf};

use clap::Command;
use miette::{NamedSource, SourceSpan};
use toml_edit::{Item, TableLike};

use super::{arity, flag, Arity, COMMANDS, KEYS};

/// One value of the file, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub text: String,
    pub span: Range<usize>,
}

/// A key's setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// A yes/no flag.
    Yes(bool),
    One(Value),
    List(Vec<Value>),
}

/// The settings of a config file.
#[derive(Debug)]
pub struct Config {
    pub path: PathBuf,
    dir: PathBuf,
    /// The keys at the top, in file order.
    top: Vec<(String, Setting)>,
    /// The keys of each `[COMMAND]` table.
    tables: Vec<(String, Vec<(String, Setting)>)>,
}

/// A config file that cannot be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    #[error("cannot read the config file `{path}`: {why}")]
    #[diagnostic(
        code("covenant::config::unreadable"),
        help("name a readable file with --config FILE, or read none with --no-config")
    )]
    Unreadable { path: String, why: String },
    #[error("the config file is not valid TOML: {message}")]
    #[diagnostic(code("covenant::config::syntax"))]
    Syntax {
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        at: SourceSpan,
        message: String,
    },
    #[error("`{key}` is not a setting{of}")]
    #[diagnostic(code("covenant::config::unknown-key"), help("{help}"))]
    UnknownKey {
        #[source_code]
        src: NamedSource<String>,
        #[label("unknown key")]
        at: SourceSpan,
        key: String,
        of: String,
        help: String,
    },
    #[error("bad value for `{key}`{of}: {message}")]
    #[diagnostic(code("covenant::config::bad-value"), help("{help}"))]
    BadValue {
        #[source_code]
        src: NamedSource<String>,
        #[label("bad value")]
        at: SourceSpan,
        key: String,
        of: String,
        message: String,
        help: String,
    },
}

impl Config {
    /// The folder the file's paths are relative to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The setting of `key` for `command`: its table's, else the top's.
    pub fn setting(&self, command: &str, key: &str) -> Option<&Setting> {
        let in_table = self
            .tables
            .iter()
            .find(|(c, _)| c == command)
            .and_then(|(_, keys)| find(keys, key));
        in_table.or_else(|| find(&self.top, key))
    }

    /// Read and check the file at `path` against the commands of `cli`; every problem found.
    pub fn load(path: &Path, cli: &Command) -> Result<Config, Vec<ConfigError>> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![ConfigError::Unreadable {
                path: shown.clone(),
                why: e.to_string(),
            }]
        })?;
        let src = NamedSource::new(&shown, text.clone());
        let doc = toml_edit::Document::parse(text).map_err(|e| {
            vec![ConfigError::Syntax {
                src: src.clone(),
                at: span(e.span().unwrap_or(0..0)),
                message: e.message().trim().to_string(),
            }]
        })?;
        let mut reader = Reader {
            src,
            cli,
            errors: Vec::new(),
        };
        let mut config = Config {
            path: path.to_path_buf(),
            dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            top: Vec::new(),
            tables: Vec::new(),
        };
        for (name, item) in doc.as_table().iter() {
            let at = key_span(doc.as_table(), name, item);
            if COMMANDS.contains(&name) {
                let keys = reader.table(name, item, at);
                config.tables.push((name.to_string(), keys));
            } else if let Some(setting) = reader.setting(None, name, item, at) {
                config.top.push((name.to_string(), setting));
            }
        }
        if reader.errors.is_empty() {
            Ok(config)
        } else {
            Err(reader.errors)
        }
    }
}

fn find<'a>(keys: &'a [(String, Setting)], key: &str) -> Option<&'a Setting> {
    keys.iter().find(|(k, _)| k == key).map(|(_, s)| s)
}

fn span(range: Range<usize>) -> SourceSpan {
    SourceSpan::new(range.start.into(), range.end.saturating_sub(range.start))
}

/// The span of key `name` of `table`, else of its item.
fn key_span(table: &dyn TableLike, name: &str, item: &Item) -> Range<usize> {
    table
        .get_key_value(name)
        .and_then(|(k, _)| k.span())
        .or_else(|| item.span())
        .unwrap_or(0..0)
}

/// The commands of `cli` that have the flag `--key`: `command` alone, or every one (a key at
/// the top).
fn commands_with<'c>(cli: &'c Command, command: Option<&str>, key: &str) -> Vec<&'c Command> {
    cli.get_subcommands()
        .filter(|c| COMMANDS.contains(&c.get_name()))
        .filter(|c| command.is_none_or(|name| c.get_name() == name))
        .filter(|c| flag(c, key).is_some())
        .collect()
}

struct Reader<'a> {
    src: NamedSource<String>,
    cli: &'a Command,
    errors: Vec<ConfigError>,
}

impl Reader<'_> {
    /// The settings of the table `[command]`.
    fn table(&mut self, command: &str, item: &Item, at: Range<usize>) -> Vec<(String, Setting)> {
        let Some(table) = item.as_table_like() else {
            self.bad_value(
                command,
                None,
                at,
                "it names a command: it is a table of settings",
                format!("write `[{command}]` and its settings below it"),
            );
            return Vec::new();
        };
        let mut keys = Vec::new();
        for (name, item) in table.iter() {
            let at = key_span(table, name, item);
            if let Some(setting) = self.setting(Some(command), name, item, at) {
                keys.push((name.to_string(), setting));
            }
        }
        keys
    }

    /// The setting `key = item`, checked against the flag of each command it applies to.
    fn setting(
        &mut self,
        command: Option<&str>,
        key: &str,
        item: &Item,
        at: Range<usize>,
    ) -> Option<Setting> {
        let commands = commands_with(self.cli, command, key);
        let first = commands.first().and_then(|c| flag(c, key));
        let (Some(_), Some(arg)) = (super::key(key), first) else {
            self.unknown_key(command, key, at);
            return None;
        };
        let setting = match value_of(item, arity(arg)) {
            Ok(s) => s,
            Err(why) => {
                let at = item.span().unwrap_or(at);
                self.bad_value(key, command, at, &why, expected(arity(arg)));
                return None;
            }
        };
        // One error for a value, from the first command that refuses it.
        let ok = commands
            .iter()
            .all(|c| self.check_values(c, command, key, &setting));
        ok.then_some(setting)
    }

    /// Check each value of `setting` as `c`'s flag `--key` reads it.
    fn check_values(&mut self, c: &Command, table: Option<&str>, key: &str, s: &Setting) -> bool {
        let Some(arg) = flag(c, key) else {
            return true;
        };
        let values = match s {
            Setting::Yes(_) => return true,
            Setting::One(v) => std::slice::from_ref(v),
            Setting::List(vs) => vs.as_slice(),
        };
        let mut ok = true;
        for v in values {
            let one = Command::new("covenant")
                .no_binary_name(true)
                .arg(arg.clone().required(false));
            if let Err(e) = one.try_get_matches_from([format!("--{key}={}", v.text)]) {
                let mut help = format!("`covenant {}` reads it as `--{key}`", c.get_name());
                if table.is_none() {
                    help.push_str(
                        "; a key at the top is for every command with the flag: set it for one in a `[COMMAND]` table",
                    );
                }
                self.bad_value(key, table, v.span.clone(), &clap_message(&e), help);
                ok = false;
            }
        }
        ok
    }

    fn unknown_key(&mut self, command: Option<&str>, key: &str, at: Range<usize>) {
        let known: Vec<&str> = match command {
            Some(c) => KEYS
                .iter()
                .map(|(k, _)| *k)
                .filter(|k| !commands_with(self.cli, Some(c), k).is_empty())
                .collect(),
            None => KEYS.iter().map(|(k, _)| *k).chain(COMMANDS).collect(),
        };
        let close = known
            .iter()
            .filter(|k| strsim::damerau_levenshtein(k, key) <= 2)
            .min_by_key(|k| strsim::damerau_levenshtein(k, key));
        let help = match close {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("the settings are: {}", known.join(", ")),
        };
        let of = match command {
            Some(c) if super::key(key).is_some() => format!(" of `covenant {c}`"),
            Some(c) => format!(" (in `[{c}]`)"),
            None => String::new(),
        };
        self.errors.push(ConfigError::UnknownKey {
            src: self.src.clone(),
            at: span(at),
            key: key.to_string(),
            of,
            help,
        });
    }

    fn bad_value(
        &mut self,
        key: &str,
        table: Option<&str>,
        at: Range<usize>,
        message: &str,
        help: String,
    ) {
        self.errors.push(ConfigError::BadValue {
            src: self.src.clone(),
            at: span(at),
            key: key.to_string(),
            of: table.map(|c| format!(" in `[{c}]`")).unwrap_or_default(),
            message: message.to_string(),
            help,
        });
    }
}

/// What a flag of this arity takes in the file.
fn expected(arity: Arity) -> String {
    match arity {
        Arity::Yes => "write `true` or `false`".into(),
        Arity::One => "write a string (`\"…\"`) or a whole number".into(),
        Arity::List => "write a list of strings (`[\"a\", \"b\"]`) or one string".into(),
    }
}

/// The value of `item` for a flag of `arity`; an error says what it is instead.
fn value_of(item: &Item, arity: Arity) -> Result<Setting, String> {
    let Some(value) = item.as_value() else {
        return Err("a table is not a value".into());
    };
    let one = |v: &toml_edit::Value| -> Result<Value, String> {
        let text = match v {
            toml_edit::Value::String(s) => s.value().clone(),
            toml_edit::Value::Integer(i) => i.value().to_string(),
            other => return Err(format!("{} is not a string", other.type_name())),
        };
        Ok(Value {
            text,
            span: v.span().unwrap_or(0..0),
        })
    };
    match (arity, value) {
        (Arity::Yes, toml_edit::Value::Boolean(b)) => Ok(Setting::Yes(*b.value())),
        (Arity::Yes, other) => Err(format!("{} is not `true` or `false`", other.type_name())),
        (Arity::List, toml_edit::Value::Array(items)) => {
            let values = items.iter().map(one).collect::<Result<_, _>>()?;
            Ok(Setting::List(values))
        }
        (Arity::List, v) => one(v).map(|v| Setting::List(vec![v])),
        (Arity::One, v) => one(v).map(Setting::One),
    }
}

/// The message of a clap error, without its `error: ` and its usage lines.
fn clap_message(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("For more") && !l.starts_with("Usage"))
        .collect();
    lines.join(" ").trim_start_matches("error: ").to_string()
}
