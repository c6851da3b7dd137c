-- Audit rows say what a change did, not only that it happened: the state before and after (JSON, no
-- secrets) and the request id the caller saw in x-request-id, so an audit row and the log lines of its
-- request can be found from each other.
ALTER TABLE audit_log ADD COLUMN before_state VARCHAR(4000);
ALTER TABLE audit_log ADD COLUMN after_state VARCHAR(4000);
ALTER TABLE audit_log ADD COLUMN request_id VARCHAR(64);
CREATE INDEX audit_log_by_action ON audit_log (action, audit_id);
CREATE INDEX audit_log_by_target ON audit_log (target, audit_id);
