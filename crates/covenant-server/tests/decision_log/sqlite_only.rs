//! What only a SQLite log has: a file path, its folder, its `sqlite:` URL and its settings.

use covenant_server::decision_log::{DecisionLog, LogError};

use crate::fixtures::decision;
use crate::target::Target;

#[tokio::test]
async fn a_file_in_a_missing_folder_is_an_open_error_naming_the_path() {
    let target = Target::sqlite();
    let Target::Sqlite { folder, .. } = &target else {
        unreachable!()
    };
    let path = folder.join("no-such-folder").join("decisions.db");
    let path = path.display().to_string();
    match DecisionLog::open(&path).await {
        Err(error @ LogError::Open { .. }) => {
            let LogError::Open { target: named, .. } = &error else {
                unreachable!()
            };
            assert_eq!(named, &path);
            assert!(error.to_string().contains(&path), "{error}");
            assert!(error.to_string().contains("does not exist"), "{error}");
        }
        other => panic!("expected an open error, got {other:?}"),
    }
    target.finish().await;
}

#[tokio::test]
async fn a_sqlite_url_opens_the_same_file_as_its_path() {
    let target = Target::sqlite();
    let log = target.open().await;
    let id = log.append(&decision(0)).await.unwrap();
    drop(log);
    let by_url = DecisionLog::open(&format!("sqlite://{}", target.url()))
        .await
        .unwrap();
    assert_eq!(by_url.get(id).await.unwrap().unwrap().decision, decision(0));
    target.finish().await;
}

#[tokio::test]
async fn the_file_is_in_wal_mode() {
    let target = Target::sqlite();
    let log = target.open().await;
    log.append(&decision(0)).await.unwrap();
    let journal_mode: String = {
        use sqlx::Connection;
        let url = format!("sqlite://{}", target.url());
        let mut connection = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut connection)
            .await
            .unwrap()
    };
    assert_eq!(journal_mode, "wal");
    let Target::Sqlite { file, .. } = &target else {
        unreachable!()
    };
    let wal = file.with_extension("db-wal");
    assert!(
        wal.exists(),
        "{} exists while the log is open",
        wal.display()
    );
    drop(log);
    target.finish().await;
}
