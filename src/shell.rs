//! `covenant completions SHELL` (a completion script, from clap_complete) and the hidden
//! `covenant man [COMMAND]` (a manual page in roff, from clap_mangen), both generated from
//! the same argument definitions as the command itself, so they never fall behind it.
//! Installing them: `docs/cli.md`.

use std::io::Write;

use clap::{CommandFactory, ValueEnum};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(clap::Args, Debug, Clone)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(clap::Args, Debug, Clone)]
pub struct ManArgs {
    /// The command whose page to print (`check`, `lint`, …) [default: the page of `covenant`].
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

/// Write the completion script of `shell` to `out`.
pub fn completions(args: &CompletionsArgs, out: &mut dyn Write) -> u8 {
    let mut cmd = super::Cli::command();
    let shell = match args.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    clap_complete::generate(shell, &mut cmd, "covenant", out);
    0
}

/// Write the manual page of `covenant`, or of one of its commands, to `out`.
pub fn man(args: &ManArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut cmd = super::Cli::command();
    // Building names each command's page `covenant-NAME` and its usage `covenant NAME`.
    cmd.build();
    let page = match &args.command {
        None => cmd,
        Some(name) => {
            let Some(sub) = cmd.find_subcommand(name) else {
                let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
                let _ = writeln!(
                    err,
                    "error: no command `{name}`; the commands are {}",
                    names.join(", ")
                );
                return 2;
            };
            sub.clone().version(env!("CARGO_PKG_VERSION"))
        }
    };
    match clap_mangen::Man::new(page).render(out) {
        Ok(()) => 0,
        // A reader that stops early (`covenant man | head`) is no error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(err, "error: cannot write the manual page: {e}");
            2
        }
    }
}
