-- The decision log (docs/server.md, "Decision log"). SQLite: STRICT tables, times in
-- nanoseconds since the Unix epoch (UTC), JSON kept as the exact text the server wrote.

CREATE TABLE decisions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    time_ns         INTEGER NOT NULL,
    deal_sha256     TEXT    NOT NULL,
    deal_text       TEXT,
    deal_format     TEXT    NOT NULL,
    proposal        TEXT,
    policy_hash     TEXT    NOT NULL,
    policy_versions TEXT    NOT NULL,
    engine_version  TEXT    NOT NULL,
    evaluation_date TEXT,
    verdict         TEXT    NOT NULL,
    report          TEXT    NOT NULL
) STRICT;

CREATE INDEX decisions_by_proposal ON decisions (proposal, id);
CREATE INDEX decisions_by_verdict ON decisions (verdict, id);
CREATE INDEX decisions_by_time ON decisions (time_ns, id);

CREATE TABLE decision_outcomes (
    decision_id INTEGER NOT NULL REFERENCES decisions (id),
    ordinal     INTEGER NOT NULL,
    rule        TEXT    NOT NULL,
    outcome     TEXT    NOT NULL,
    PRIMARY KEY (decision_id, ordinal)
) STRICT, WITHOUT ROWID;

CREATE INDEX decision_outcomes_by_rule ON decision_outcomes (rule, decision_id, outcome);
CREATE INDEX decision_outcomes_by_outcome ON decision_outcomes (outcome, decision_id);

-- Append-only: no decision is ever changed or removed.
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN
    SELECT RAISE(ABORT, 'the decision log is append-only: UPDATE on decisions is refused');
END;

CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN
    SELECT RAISE(ABORT, 'the decision log is append-only: DELETE on decisions is refused');
END;

CREATE TRIGGER decision_outcomes_no_update BEFORE UPDATE ON decision_outcomes
BEGIN
    SELECT RAISE(ABORT, 'the decision log is append-only: UPDATE on decision_outcomes is refused');
END;

CREATE TRIGGER decision_outcomes_no_delete BEFORE DELETE ON decision_outcomes
BEGIN
    SELECT RAISE(ABORT, 'the decision log is append-only: DELETE on decision_outcomes is refused');
END;
