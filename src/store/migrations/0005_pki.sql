-- Certificates issued by the issuing CA and CRL state (src/pki).
--
-- serial_hex is the upper-case hex of the positive serial INTEGER (no
-- leading zero bytes). application_id is informational (no foreign key:
-- the CA layer does not depend on the application flow). status: good,
-- revoked or hold (certificateHold); reason is the RFC 5280 CRLReason code.
CREATE TABLE certificates (
	serial_hex TEXT PRIMARY KEY,
	tckn TEXT NOT NULL,
	application_id BIGINT,
	subject TEXT NOT NULL,
	not_before BIGINT NOT NULL,
	not_after BIGINT NOT NULL,
	der BLOB NOT NULL,
	status TEXT NOT NULL DEFAULT 'good' CHECK (status IN ('good', 'revoked', 'hold')),
	revoked_at BIGINT,
	reason BIGINT,
	created_at BIGINT NOT NULL
);

CREATE INDEX certificates_tckn ON certificates (tckn, not_before);
CREATE INDEX certificates_status ON certificates (status);

-- The newest CRL of each CA ("issuing", "root"): number increases by one
-- with each CRL.
CREATE TABLE crl_state (
	ca TEXT PRIMARY KEY,
	number BIGINT NOT NULL,
	this_update BIGINT NOT NULL,
	next_update BIGINT NOT NULL,
	der BLOB NOT NULL
);
