//! Group commit. Every append goes through one bounded queue to a writer task, which takes
//! all the appends waiting (up to [`GROUP_BOUND`]), writes them in one transaction, commits,
//! and only then answers each with its id. One commit (one fsync) serves a whole group, so
//! the log keeps up with many concurrent checks; a check waits at most for the group before
//! its own and its own. When a group fails, every append in it gets the error: an append is
//! never answered `Ok` unless its transaction committed.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, Semaphore};

use super::record::DecisionRecord;
use super::store::Store;
use super::{write_postgres, write_sqlite, DecisionId, LogError};

/// The most appends committed in one transaction.
const GROUP_BOUND: usize = 256;

/// The most appends waiting for the writer; past it, `append` waits for room (backpressure
/// on the server's handlers rather than unbounded memory).
const QUEUE_BOUND: usize = 4096;

type Reply = oneshot::Sender<Result<DecisionId, LogError>>;

struct Pending {
    record: DecisionRecord,
    reply: Reply,
}

/// The sending end of the writer's queue. The writer task ends when every clone is dropped,
/// after committing what was queued.
#[derive(Clone, Debug)]
pub(super) struct Queue {
    sender: mpsc::Sender<Pending>,
}

impl Queue {
    /// Queues a record and waits until its group is committed.
    pub(super) async fn append(&self, record: DecisionRecord) -> Result<DecisionId, LogError> {
        let (reply, answer) = oneshot::channel();
        self.sender
            .send(Pending { record, reply })
            .await
            .map_err(|_| writer_stopped())?;
        answer.await.map_err(|_| writer_stopped())?
    }
}

fn writer_stopped() -> LogError {
    LogError::Database(
        "the decision log's writer stopped before the decision was committed".to_string(),
    )
}

/// Starts the writer task on the current tokio runtime.
pub(super) fn spawn(store: Store) -> Queue {
    let (sender, receiver) = mpsc::channel(QUEUE_BOUND);
    tokio::spawn(run(store, receiver));
    Queue { sender }
}

async fn run(store: Store, mut receiver: mpsc::Receiver<Pending>) {
    let writers = Arc::new(Semaphore::new(store.writers()));
    loop {
        // Wait for a free writer first: while every writer is committing, appends pile up in
        // the queue and the next group takes them all.
        let Ok(permit) = Arc::clone(&writers).acquire_owned().await else {
            return;
        };
        let mut group = Vec::new();
        if receiver.recv_many(&mut group, GROUP_BOUND).await == 0 {
            return; // every sender is gone and the queue is empty
        }
        let store = store.clone();
        tokio::spawn(async move {
            commit_group(&store, group).await;
            drop(permit);
        });
    }
}

async fn commit_group(store: &Store, group: Vec<Pending>) {
    let (records, replies): (Vec<DecisionRecord>, Vec<Reply>) = group
        .into_iter()
        .map(|pending| (pending.record, pending.reply))
        .unzip();
    let written = match store {
        Store::Sqlite(pool) => write_sqlite::write_group(pool, &records).await,
        Store::Postgres(pool) => write_postgres::write_group(pool, &records).await,
    };
    match written {
        Ok(ids) if ids.len() == replies.len() => {
            for (reply, id) in replies.into_iter().zip(ids) {
                // The appender may have gone away (its request was cancelled): nothing to do.
                let _ = reply.send(Ok(id));
            }
        }
        Ok(ids) => answer_all(
            replies,
            &format!(
                "the writer committed {} decisions but got {} ids back",
                records.len(),
                ids.len()
            ),
        ),
        Err(error) => answer_all(replies, &error),
    }
}

fn answer_all(replies: Vec<Reply>, error: &str) {
    for reply in replies {
        let _ = reply.send(Err(LogError::Database(error.to_string())));
    }
}
