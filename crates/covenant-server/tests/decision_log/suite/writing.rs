//! The suite's writing half: ids, append-only, concurrency, failures, opening and reopening.

use std::collections::HashSet;

use covenant_server::decision_log::{DecisionId, DecisionLog, LogError};

use super::append_all;
use crate::fixtures::decision;
use crate::target::Target;

pub async fn ids_increase_in_append_order(target: &Target) {
    let log = target.open().await;
    let logged = append_all(&log, (0..10).map(decision).collect()).await;
    let ids: Vec<DecisionId> = logged.iter().map(|(id, _)| *id).collect();
    assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "{ids:?}");
}

pub async fn updates_and_deletes_are_refused(target: &Target) {
    let log = target.open().await;
    let logged = append_all(&log, (0..3).map(decision).collect()).await;
    let (id, original) = &logged[1];
    let changes = [
        format!("UPDATE decisions SET verdict = 'compliant' WHERE id = {id}"),
        format!("DELETE FROM decisions WHERE id = {id}"),
        "DELETE FROM decisions".to_string(),
        format!("UPDATE decision_outcomes SET outcome = 'pass' WHERE decision_id = {id}"),
        format!("DELETE FROM decision_outcomes WHERE decision_id = {id}"),
        "DELETE FROM decision_outcomes".to_string(),
    ];
    let truncates = ["TRUNCATE decision_outcomes", "TRUNCATE decisions CASCADE"];
    let postgres_only = if target.is_postgres() {
        &truncates[..]
    } else {
        &[]
    };
    for change in changes
        .iter()
        .map(String::as_str)
        .chain(postgres_only.iter().copied())
    {
        let error = target.execute(change).await.unwrap_err();
        assert!(error.contains("append-only"), "{change}: {error}");
    }
    assert_eq!(log.count().await.unwrap(), 3);
    let stored = log.get(*id).await.unwrap().unwrap();
    assert_eq!(&stored.decision, original);
}

pub async fn concurrent_appends_all_land_with_distinct_ids(target: &Target) {
    let log = target.open().await;
    let tasks: Vec<_> = (0..64)
        .map(|task| {
            let log = log.clone();
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for n in (task..2000).step_by(64) {
                    ids.push((n, log.append(&decision(n)).await.unwrap()));
                }
                ids
            })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        ids.extend(task.await.unwrap());
    }
    assert_eq!(ids.len(), 2000);
    let distinct: HashSet<DecisionId> = ids.iter().map(|(_, id)| *id).collect();
    assert_eq!(distinct.len(), 2000);
    assert_eq!(log.count().await.unwrap(), 2000);
    // Each id holds the decision that was appended under it.
    for (n, id) in ids.iter().step_by(97) {
        let stored = log.get(*id).await.unwrap().unwrap();
        assert_eq!(stored.decision, decision(*n));
    }
}

pub async fn a_bad_decision_fails_alone(target: &Target) {
    let log = target.open().await;
    let mut with_nul = decision(1);
    with_nul.deal_text = Some("stake: 51%\0".to_string());
    let mut too_late = decision(2);
    too_late.time = "2300-01-01T00:00:00Z".parse().unwrap();
    let appends: Vec<_> = [decision(0), with_nul, too_late, decision(3)]
        .into_iter()
        .map(|decision| {
            let log = log.clone();
            tokio::spawn(async move { log.append(&decision).await })
        })
        .collect();
    let mut results = Vec::new();
    for append in appends {
        results.push(append.await.unwrap());
    }
    assert!(results[0].is_ok() && results[3].is_ok(), "{results:?}");
    assert!(matches!(&results[1], Err(LogError::Database(m)) if m.contains("NUL")));
    assert!(matches!(&results[2], Err(LogError::Database(m)) if m.contains("2300")));
    assert_eq!(log.count().await.unwrap(), 2);
}

/// With the table gone, every waiting append fails, none is answered Ok; once it is back,
/// the log works again and holds only what was acknowledged.
pub async fn a_failed_group_answers_every_append_with_the_error(target: &Target) {
    let log = target.open().await;
    append_all(&log, vec![decision(0)]).await;
    target
        .execute("ALTER TABLE decisions RENAME TO decisions_away")
        .await
        .unwrap();
    let appends: Vec<_> = (1..40)
        .map(|n| {
            let log = log.clone();
            tokio::spawn(async move { log.append(&decision(n)).await })
        })
        .collect();
    for append in appends {
        let result = append.await.unwrap();
        assert!(matches!(result, Err(LogError::Database(_))), "{result:?}");
    }
    target
        .execute("ALTER TABLE decisions_away RENAME TO decisions")
        .await
        .unwrap();
    assert_eq!(log.count().await.unwrap(), 1);
    append_all(&log, vec![decision(40)]).await;
    assert_eq!(log.count().await.unwrap(), 2);
}

pub async fn reopening_keeps_the_data_and_migrates_once(target: &Target) {
    let log = target.open().await;
    let logged = append_all(&log, (0..5).map(decision).collect()).await;
    let version = log.schema_version().await.unwrap();
    assert!(version >= 1);
    drop(log);
    let migrations_sql = "SELECT COUNT(*) FROM _sqlx_migrations";
    let applied = target.query_i64(migrations_sql).await;
    let reopened = target.open().await;
    assert_eq!(reopened.count().await.unwrap(), 5);
    assert_eq!(reopened.schema_version().await.unwrap(), version);
    assert_eq!(target.query_i64(migrations_sql).await, applied);
    for (id, decision) in &logged {
        assert_eq!(
            &reopened.get(*id).await.unwrap().unwrap().decision,
            decision
        );
    }
    let next = reopened.append(&decision(5)).await.unwrap();
    assert!(
        next > logged.last().unwrap().0,
        "ids go on increasing after a reopen"
    );
}

pub async fn instances_opening_together_both_work(target: &Target) {
    let url = target.url();
    let (first, second) = tokio::join!(DecisionLog::open(&url), DecisionLog::open(&url));
    let (first, second) = (first.unwrap(), second.unwrap());
    let a = first.append(&decision(0)).await.unwrap();
    let b = second.append(&decision(1)).await.unwrap();
    assert_ne!(a, b);
    assert_eq!(first.count().await.unwrap(), 2);
    assert_eq!(second.get(a).await.unwrap().unwrap().decision, decision(0));
}

pub async fn a_log_from_a_newer_server_is_refused(target: &Target) {
    let log = target.open().await;
    log.append(&decision(0)).await.unwrap();
    drop(log);
    let checksum = if target.is_postgres() {
        "decode('00', 'hex')"
    } else {
        "X'00'"
    };
    target
        .execute(&format!(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, \
             execution_time) VALUES (99990101000000, 'from a newer server', TRUE, {checksum}, 0)"
        ))
        .await
        .unwrap();
    match DecisionLog::open(&target.url()).await {
        Err(LogError::Open {
            target: named,
            reason,
        }) => {
            assert_eq!(named, target.url());
            assert!(reason.contains("99990101000000"), "{reason}");
        }
        other => panic!("a log with an unknown migration was opened: {other:?}"),
    }
}
