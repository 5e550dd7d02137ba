//! The language server: requests and notifications, each answered from an analysis that is
//! computed off the async runtime (on tokio's blocking pool), with a panic caught and turned
//! into an error response and a logged message.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::check::{check, check_cached, Shared};
use crate::state::State;
use crate::{actions, complete, diagnostics, hover, navigate, symbols, tokens};

/// How long the text must stay still before diagnostics are computed: keystrokes typed
/// faster than this cost one analysis, not one each.
const SETTLE: Duration = Duration::from_millis(40);

/// A re-check of diagnostics, as a task.
type Recheck = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

pub struct Backend {
    inner: Arc<Inner>,
}

/// The server's client handle and state, shared with the tasks that publish diagnostics.
pub struct Inner {
    client: Client,
    state: Mutex<State>,
}

impl std::ops::Deref for Backend {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.inner
    }
}

/// Run `f`, turning a panic into an error message (never a crash of the server).
pub fn guarded<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string());
        format!("internal error, caught: {message}")
    })
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            inner: Arc::new(Inner {
                client,
                state: Mutex::default(),
            }),
        }
    }

    /// Re-check `uri` and its users in a task of its own: a notification never waits.
    fn spawn_recheck(&self, uri: Uri) {
        tokio::spawn(self.inner.clone().recheck(uri));
    }
}

impl Inner {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Run CPU work on the blocking pool; a panic there is logged and answered with an error.
    async fn blocking<T: Send + 'static>(
        &self,
        what: &str,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        let result = tokio::task::spawn_blocking(move || guarded(f)).await;
        let message = match result {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(message)) => message,
            Err(e) => format!("internal error: {e}"),
        };
        let message = format!("covenant lsp: {what}: {message}");
        self.client.log_message(MessageType::ERROR, &message).await;
        Err(Error {
            message: message.into(),
            ..Error::internal_error()
        })
    }

    /// The analysis of the open document `uri` at the current texts.
    async fn analysis(&self, uri: &Uri) -> Result<Shared> {
        let (snapshot, generation, path, mut caches) = {
            let mut state = self.state();
            if let Some(current) = state.current(uri) {
                return Ok(current);
            }
            let path = match state.documents.get(uri) {
                Some(d) => d.path.clone(),
                None => crate::check::path_of(uri),
            };
            let caches = state.caches.remove(uri).unwrap_or_default();
            (state.snapshot(), state.generation, path, caches)
        };
        let (checked, caches) = self
            .blocking("analysis", move || {
                let checked = check_cached(&[path], &snapshot, generation, &mut caches);
                (Arc::new(checked), caches)
            })
            .await?;
        let mut state = self.state();
        if state.documents.contains_key(uri) {
            state.caches.insert(uri.clone(), caches);
        }
        if state.documents.contains_key(uri) && state.generation == generation {
            state.analyses.insert(uri.clone(), checked.clone());
        }
        Ok(checked)
    }

    /// Publish fresh diagnostics for `uri` and for the open documents that use it, once the
    /// text has settled. Every document waiting for its diagnostics is in `pending`; the task
    /// that finds the text settled publishes them all. When a change comes while it works,
    /// what it has not published goes back to `pending`, for a task of its own.
    fn recheck(self: Arc<Self>, uri: Uri) -> Recheck {
        Box::pin(async move { self.recheck_now(uri).await })
    }

    async fn recheck_now(self: Arc<Self>, uri: Uri) {
        let generation = {
            let mut state = self.state();
            state.pending.insert(uri);
            state.generation
        };
        tokio::time::sleep(SETTLE).await;
        let (mut targets, docs) = {
            let mut state = self.state();
            if state.generation != generation {
                return;
            }
            let mut targets: Vec<Uri> = state.pending.drain().collect();
            let users: Vec<Uri> = targets
                .iter()
                .filter_map(|t| state.documents.get(t))
                .flat_map(|d| state.users_of(&d.path))
                .collect();
            targets.extend(users);
            targets.sort();
            targets.dedup();
            targets.retain(|t| state.documents.contains_key(t));
            (targets, state.docs.clone())
        };
        targets.reverse();
        while let Some(target) = targets.pop() {
            let Ok(checked) = self.analysis(&target).await else {
                continue;
            };
            let used = {
                let mut state = self.state();
                if checked.generation != state.generation {
                    state.pending.extend(targets);
                    drop(state);
                    tokio::spawn(self.clone().recheck(target));
                    return;
                }
                let path = state.documents.get(&target).map(|d| d.path.clone());
                path.is_some_and(|p| !state.users_of(&p).is_empty())
            };
            let docs = docs.clone();
            let Ok(found) = self
                .blocking("diagnostics", move || {
                    diagnostics::of_root(&checked, docs.as_ref(), used)
                })
                .await
            else {
                continue;
            };
            self.client.publish_diagnostics(target, found, None).await;
        }
    }

    /// The analysis of `uri` and the byte offset of `position` in it.
    async fn at(&self, uri: &Uri, position: Position) -> Result<Option<(Shared, usize, usize)>> {
        let checked = self.analysis(uri).await?;
        let Some(root) = checked.root else {
            return Ok(None);
        };
        let offset = checked.offset(root, position);
        Ok(Some((checked, root, offset)))
    }

    /// The analysis of every policy of the workspace and every open document.
    async fn workspace(&self) -> Result<Shared> {
        let (roots, snapshot, generation) = {
            let state = self.state();
            if let Some(w) = state
                .workspace
                .as_ref()
                .filter(|w| w.generation == state.generation)
            {
                return Ok(w.clone());
            }
            (state.workspace_parts(), state.snapshot(), state.generation)
        };
        let checked = self
            .blocking("workspace analysis", move || {
                let roots = crate::state::workspace_roots(&roots.0, roots.1);
                Arc::new(check(&roots, &snapshot, generation))
            })
            .await?;
        self.state().workspace = Some(checked.clone());
        Ok(checked)
    }
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".to_string(), ".".to_string()]),
            ..CompletionOptions::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: tokens::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                ..SemanticTokensOptions::default()
            },
        )),
        ..ServerCapabilities::default()
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let mut state = self.state();
        for folder in params.workspace_folders.unwrap_or_default() {
            if let Some(path) = folder.uri.to_file_path() {
                state.folders.push(path.into_owned());
            }
        }
        let docs = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("diagnosticsDocs"))
            .and_then(|d| d.as_str())
            .and_then(|d| d.parse().ok());
        state.docs = docs.or_else(crate::docs::default_docs);
        Ok(InitializeResult {
            capabilities: capabilities(),
            server_info: Some(ServerInfo {
                name: "covenant".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let uri = params.text_document.uri;
        self.state().open(uri.clone(), params.text_document.text);
        self.spawn_recheck(uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        self.state().change(&uri, params.content_changes);
        self.spawn_recheck(uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let users = {
            let mut state = self.state();
            let users = match state.documents.get(&uri) {
                Some(d) => state.users_of(&d.path.clone()),
                None => Vec::new(),
            };
            state.close(&uri);
            users
        };
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
        for user in users {
            self.spawn_recheck(user);
        }
    }

    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {
        let open: Vec<Uri> = {
            let mut state = self.state();
            state.generation += 1;
            state.documents.keys().cloned().collect()
        };
        for uri in open {
            self.spawn_recheck(uri);
        }
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let Some((checked, root, at)) = self.at(&p.text_document.uri, p.position).await? else {
            return Ok(None);
        };
        self.blocking("hover", move || hover::hover(&checked, root, at))
            .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let Some((checked, root, at)) = self.at(&p.text_document.uri, p.position).await? else {
            return Ok(None);
        };
        self.blocking("definition", move || {
            let target = navigate::target_at(&checked, root, at)?;
            navigate::definition(&checked, &target).map(GotoDefinitionResponse::Scalar)
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let Some((checked, root, at)) = self.at(&p.text_document.uri, p.position).await? else {
            return Ok(None);
        };
        let Some(target) = navigate::target_at(&checked, root, at) else {
            return Ok(None);
        };
        let workspace = self.workspace().await?;
        let declaration = params.context.include_declaration;
        self.blocking("references", move || {
            Some(navigate::references(&workspace, &target, declaration))
        })
        .await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let uri = p.text_document.uri;
        let (snapshot, doc) = {
            let state = self.state();
            let doc = state
                .documents
                .get(&uri)
                .map(|d| (d.path.clone(), d.text.clone()));
            (state.snapshot(), doc)
        };
        let Some((path, text)) = doc else {
            return Ok(None);
        };
        self.blocking("completion", move || {
            let at = crate::position::LineIndex::new(&text).offset(&text, p.position);
            let items = complete::complete(&snapshot, &path, &text, at);
            Some(CompletionResponse::Array(items))
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let checked = self.analysis(&params.text_document.uri).await?;
        self.blocking("symbols", move || {
            let root = checked.root?;
            Some(DocumentSymbolResponse::Nested(symbols::outline(
                &checked, root,
            )))
        })
        .await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let uri = params.text_document.uri;
        let Some((text, name)) = self
            .state()
            .documents
            .get(&uri)
            .map(|d| (d.text.clone(), d.path.display().to_string()))
        else {
            return Ok(None);
        };
        self.blocking("formatting", move || crate::format::edits(&name, &text))
            .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let checked = self.analysis(&uri).await?;
        let wanted = params.context.diagnostics;
        self.blocking("code actions", move || {
            Some(actions::quick_fixes(&checked, &uri, &wanted))
        })
        .await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let checked = self.analysis(&params.text_document.uri).await?;
        self.blocking("semantic tokens", move || {
            let root = checked.root?;
            Some(SemanticTokensResult::Tokens(SemanticTokens {
                result_id: None,
                data: tokens::tokens(&checked, root),
            }))
        })
        .await
    }
}
