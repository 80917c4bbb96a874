-- Card production (issue 14). One row per physical card (PKCS#11 token
-- serial). 'produced': the holder's key was generated on it and
-- certificate_serial written onto it for application_id; 'blank': a
-- production failed and the card was re-initialised empty, kept so that a
-- later production can initialise it again with its SO PIN. The SO PIN and
-- the transport PIN are sealed with the card key the web server does not
-- hold (src/pki/card_pins.h); never in clear. shipped_at: the card went
-- to the courier (a card is shipped once; after a return the same
-- shipment is resent).
CREATE TABLE card_tokens (
	token_serial TEXT PRIMARY KEY,
	status TEXT NOT NULL CHECK (status IN ('blank', 'produced')),
	application_id BIGINT REFERENCES applications (id),
	certificate_serial TEXT UNIQUE,
	so_pin_sealed TEXT NOT NULL,
	transport_pin_sealed TEXT,
	produced_by TEXT,
	produced_at BIGINT,
	shipped_at BIGINT,
	updated_at BIGINT NOT NULL
);
CREATE INDEX card_tokens_app ON card_tokens (application_id);

-- Productions an operator asked for in the console, done by `eimza card
-- produce --queued` where the card reader and the card key are.
CREATE TABLE card_jobs (
	application_id BIGINT PRIMARY KEY REFERENCES applications (id),
	requested_by TEXT NOT NULL,
	requested_at BIGINT NOT NULL
);
