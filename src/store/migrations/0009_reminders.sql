-- Expiry reminders already sent, so each goes out once per certificate.
CREATE TABLE reminders_sent (
	serial_hex TEXT NOT NULL,
	kind TEXT NOT NULL,
	sent_at BIGINT NOT NULL,
	PRIMARY KEY (serial_hex, kind)
);
