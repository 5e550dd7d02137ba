//! Starting the server: compile the policies, open the decision log, bind the address, and
//! serve until asked to stop ([`Server::run`]: Ctrl-C or SIGTERM; [`Server::run_until`]: any
//! signal the caller chooses), finishing the requests under way.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;

use crate::app::{self, Bounds};
use crate::decision_log::{DecisionLog, LogError};
use crate::metrics::Metrics;
use crate::options::ServeOptions;
use crate::policies::{LoadedSet, PolicyStore};
use crate::state::AppState;
use crate::watch::{self, PolicyWatch};
use crate::work::Pool;

/// Why the server could not start, or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The policies do not compile at start; `rendered` shows their diagnostics.
    #[error("{message}")]
    Policies { message: String, rendered: String },
    #[error(transparent)]
    Log(#[from] LogError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Setup(String),
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
}

/// A server bound to its address, not yet serving.
pub struct Server {
    listener: TcpListener,
    router: Router,
    addr: SocketAddr,
    policies: Arc<PolicyStore>,
    db: String,
    watch: Option<PolicyWatch>,
}

/// Compile the policies, open the log and bind the address (port 0: any free port, see
/// [`Server::local_addr`]). Nothing is served until [`Server::run`].
pub async fn bind(options: ServeOptions) -> Result<Server, ServeError> {
    let limits = options.limits;
    let policies =
        PolicyStore::load(options.policies.clone(), limits).map_err(|f| ServeError::Policies {
            message: f.message,
            rendered: f.rendered,
        })?;
    let policies = Arc::new(policies);
    let log = DecisionLog::open(&options.db).await?;
    let pool = Pool::new(options.check_threads).map_err(ServeError::Setup)?;
    let metrics = Arc::new(Metrics::default());
    let state = AppState {
        policies: Arc::clone(&policies),
        log,
        pool: Arc::new(pool),
        metrics: Arc::clone(&metrics),
        token: options.token.as_deref().map(Arc::from),
        store_deals: options.store_deals,
        max_body: limits.max_deal_size,
        limits,
    };
    let bounds = Bounds {
        timeout: options.request_timeout,
        max_concurrent: options.max_concurrent,
        cors_origins: options.cors_origins.clone(),
    };
    let router = app::router(state, &bounds).map_err(ServeError::Setup)?;
    let watch = if options.watch {
        let debounce = options.watch_debounce;
        Some(watch::start(Arc::clone(&policies), metrics, debounce).map_err(ServeError::Setup)?)
    } else {
        None
    };
    let listener = TcpListener::bind(options.addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: options.addr,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServeError::Bind {
        addr: options.addr,
        source,
    })?;
    Ok(Server {
        listener,
        router,
        addr,
        policies,
        db: options.db,
        watch,
    })
}

/// Start and serve until Ctrl-C or SIGTERM.
pub async fn serve(options: ServeOptions) -> Result<(), ServeError> {
    bind(options).await?.run().await
}

impl Server {
    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The policy set serving now.
    pub fn policy_set(&self) -> Arc<LoadedSet> {
        self.policies.current()
    }

    /// The decision log's target, as given.
    pub fn db(&self) -> &str {
        &self.db
    }

    /// The compiler's warnings about the set at start.
    pub fn warnings(&self) -> Vec<serde_json::Value> {
        self.policies.current().warnings.clone()
    }

    /// Serve until Ctrl-C or SIGTERM, then finish the requests under way.
    pub async fn run(self) -> Result<(), ServeError> {
        self.run_until(stop_signal()).await
    }

    /// Serve until `stop` completes, then finish the requests under way.
    pub async fn run_until(
        self,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let Server {
            listener,
            router,
            watch,
            ..
        } = self;
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(stop)
            .await;
        drop(watch);
        served.map_err(ServeError::Serve)
    }
}

async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
