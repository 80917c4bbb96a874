-- E-mail confirmation of an application's address (issue 10): the address
-- goes into a certificate's subjectAltName only once the applicant opened
-- the one-time link sent to it. token_hash: SHA-256 (hex) of the token, the
-- token itself is never stored; used_at: when it was opened (single use),
-- which is the proof for (application_id, email).
CREATE TABLE email_confirmations (
	token_hash TEXT PRIMARY KEY,
	application_id BIGINT NOT NULL REFERENCES applications (id),
	email TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at BIGINT
);
CREATE INDEX email_confirmations_app ON email_confirmations (application_id);
