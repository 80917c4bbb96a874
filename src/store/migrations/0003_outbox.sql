-- Durable outbox for e-mail and SMS (src/notify/outbox.c).
--
-- A row is written in the same transaction as the state change that causes
-- the message, so a crash never loses or invents a notification. The worker
-- claims due rows (status 'pending', next_attempt_at <= now) by moving them
-- to 'sending' with claimed_at = now; a row left in 'sending' for more than
-- five minutes (a crash mid-send) goes back to 'pending'.
--
-- `id INTEGER PRIMARY KEY` is SQLite's rowid alias (autoincrementing); the
-- PostgreSQL backend rewrites `INTEGER PRIMARY KEY` to `BIGSERIAL PRIMARY KEY`.
CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
	recipient TEXT NOT NULL,
	subject TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'pending'
		CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
	attempts BIGINT NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL,
	claimed_at BIGINT,
	last_error TEXT,
	created_at BIGINT NOT NULL,
	sent_at BIGINT,
	ref TEXT
);

CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_ref ON outbox (ref);
