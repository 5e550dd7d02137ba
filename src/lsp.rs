//! `covenant lsp`: the language server, on standard input and output (the `covenant-lsp`
//! crate). Editors start it; see docs/editors.md.

use std::io::Write;

#[derive(clap::Args, Debug, Clone)]
pub struct LspArgs {
    /// Speak on standard input and output (the only transport; accepted because editors'
    /// clients pass it).
    #[arg(long)]
    pub stdio: bool,
}

/// Serve until the client says `exit`; 2 when the runtime cannot start.
pub fn run(_args: &LspArgs, err: &mut dyn Write) -> u8 {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build();
    match runtime {
        Ok(runtime) => {
            runtime.block_on(covenant_lsp::serve_stdio());
            0
        }
        Err(e) => {
            let _ = writeln!(err, "error: cannot start the language server: {e}");
            2
        }
    }
}
