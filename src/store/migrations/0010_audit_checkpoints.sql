-- Signed audit checkpoints (issue 9).
--
-- audit_log.chain_version: how a record's hash is made. 1: keyed BLAKE2b-256
-- with a subkey of the server secret (records written before this version);
-- 2: unkeyed BLAKE2b-256 over the same fields. Tamper evidence of version 2
-- comes from the checkpoints below, not from a key beside the database.
ALTER TABLE audit_log ADD COLUMN chain_version INTEGER NOT NULL DEFAULT 1;

-- Checkpoints signed by the signer's Ed25519 audit key: the number of audit
-- records and the newest record's hash at `signed_at`. The signer journals
-- each one too (<ca.dir>/journal); this copy is for display and for readers
-- that cannot read the journal.
CREATE TABLE audit_checkpoints (
	id INTEGER PRIMARY KEY,
	record_count BIGINT NOT NULL,
	head TEXT NOT NULL,
	signed_at BIGINT NOT NULL,
	signature TEXT NOT NULL
);
CREATE INDEX audit_checkpoints_count ON audit_checkpoints (record_count, signed_at);
