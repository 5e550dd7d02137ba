-- The decision log (docs/server.md, "Decision log"). PostgreSQL: the same tables as SQLite's;
-- times in nanoseconds since the Unix epoch (UTC), JSON kept as the exact text the server
-- wrote (TEXT, not jsonb, which would reorder keys). Ids come from the sequence, so several
-- server instances can append to one log.

CREATE TABLE decisions (
    id              BIGSERIAL PRIMARY KEY,
    time_ns         BIGINT NOT NULL,
    deal_sha256     TEXT   NOT NULL,
    deal_text       TEXT,
    deal_format     TEXT   NOT NULL,
    proposal        TEXT,
    policy_hash     TEXT   NOT NULL,
    policy_versions TEXT   NOT NULL,
    engine_version  TEXT   NOT NULL,
    evaluation_date TEXT,
    verdict         TEXT   NOT NULL,
    report          TEXT   NOT NULL
);

CREATE INDEX decisions_by_proposal ON decisions (proposal, id);
CREATE INDEX decisions_by_verdict ON decisions (verdict, id);
CREATE INDEX decisions_by_time ON decisions (time_ns, id);

CREATE TABLE decision_outcomes (
    decision_id BIGINT  NOT NULL REFERENCES decisions (id),
    ordinal     INTEGER NOT NULL,
    rule        TEXT    NOT NULL,
    outcome     TEXT    NOT NULL,
    PRIMARY KEY (decision_id, ordinal)
);

CREATE INDEX decision_outcomes_by_rule ON decision_outcomes (rule, decision_id, outcome);
CREATE INDEX decision_outcomes_by_outcome ON decision_outcomes (outcome, decision_id);

-- Append-only: no decision is ever changed or removed (row triggers for UPDATE and DELETE,
-- a statement trigger for TRUNCATE, which row triggers do not see).
CREATE FUNCTION covenant_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the decision log is append-only: % on % is refused', TG_OP, TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION covenant_refuse_change();
CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions
    FOR EACH STATEMENT EXECUTE FUNCTION covenant_refuse_change();
CREATE TRIGGER decision_outcomes_append_only BEFORE UPDATE OR DELETE ON decision_outcomes
    FOR EACH ROW EXECUTE FUNCTION covenant_refuse_change();
CREATE TRIGGER decision_outcomes_no_truncate BEFORE TRUNCATE ON decision_outcomes
    FOR EACH STATEMENT EXECUTE FUNCTION covenant_refuse_change();
