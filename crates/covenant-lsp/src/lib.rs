//! `covenant lsp`: the Covenant language server, over the `covenant` library.
//!
//! It speaks the Language Server Protocol on standard input and output
//! ([`serve_stdio`]) and gives, for `.policy` files: diagnostics while typing (compile, type
//! and unit errors, lint findings, each with its code, a link to its entry in
//! `docs/diagnostics.md` and its other places), hover, go to definition and references,
//! completion, the outline, formatting, quick fixes and semantic tokens. A document is
//! analysed with the files it `use`s; the open documents' texts take precedence over the files
//! on disk, and a change re-checks the open documents that use the changed one.
//!
//! Every analysis runs off the async runtime, on tokio's blocking pool; a panic in one is
//! caught, logged and answered with an error, and the server goes on. Where each request's
//! answer comes from: [`check`] (the analysis), [`diagnostics`], [`hover`], [`navigate`],
//! [`complete`], [`symbols`], [`format`], [`actions`], [`tokens`].

pub mod actions;
pub mod check;
pub mod complete;
pub mod diagnostics;
pub mod docs;
pub mod format;
pub mod hover;
pub mod navigate;
pub mod position;
pub mod server;
mod state;
pub mod symbols;
pub mod tokens;
pub mod words;

#[cfg(test)]
mod tests;

pub use server::Backend;

/// Serve the language server on standard input and output until the client says `exit`.
pub async fn serve_stdio() {
    let (service, socket) = tower_lsp_server::LspService::new(Backend::new);
    tower_lsp_server::Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
        .serve(service)
        .await;
}
