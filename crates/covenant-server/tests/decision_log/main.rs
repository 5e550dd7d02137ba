//! The decision log's tests: one suite (`suite/`), run against a fresh SQLite file and
//! against a fresh PostgreSQL database. The PostgreSQL half needs `COVENANT_TEST_POSTGRES_URL`
//! (`.ci/run` starts a throwaway server and sets it); without it those tests fail unless
//! `COVENANT_SKIP_POSTGRES=1` says to skip them (docs/testing.md).
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests: a failure is a panic"
)]

mod fixtures;
mod sqlite_only;
mod suite;
mod target;
mod throughput;

/// Instantiates every suite test once per database.
macro_rules! for_each_database {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let target = crate::target::Target::sqlite();
                    crate::suite::$test(&target).await;
                    target.finish().await;
                }
            )*
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let Some(target) = crate::target::Target::postgres().await else {
                        return;
                    };
                    crate::suite::$test(&target).await;
                    target.finish().await;
                }
            )*
        }
    };
}

for_each_database!(
    append_and_get_round_trip_every_field,
    ids_increase_in_append_order,
    list_filters_select_what_the_model_selects,
    list_summaries_carry_outcomes_in_policy_order,
    pages_cover_every_decision_once_newest_first,
    page_size_defaults_to_50_and_is_clamped_to_1_through_500,
    replay_goes_oldest_first_after_the_cursor,
    count_counts_the_decisions,
    summary_counts_what_the_model_counts,
    updates_and_deletes_are_refused,
    concurrent_appends_all_land_with_distinct_ids,
    a_bad_decision_fails_alone,
    a_failed_group_answers_every_append_with_the_error,
    reopening_keeps_the_data_and_migrates_once,
    instances_opening_together_both_work,
    a_log_from_a_newer_server_is_refused,
);
