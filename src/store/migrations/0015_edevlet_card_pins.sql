-- The card's PINs and the holder's one-time PIN authorizations (issue 14).
--
-- card_pins: one row per produced card, filled by card production. The PINs
-- are libsodium sealed boxes (crypto_box_seal, X25519 + XSalsa20-Poly1305)
-- of the ASCII PIN, sealed to <ca.dir>/pin-seal.pub; only the signer holds
-- the matching <ca.dir>/pin-seal.key and opens one (signer operation
-- OPEN_PIN, docs/protocol.md) when the exchange endpoint presents a sealed
-- PIN for a one-time authorization it has just consumed. token_serial is
-- the token's serial number (CK_TOKEN_INFO.serialNumber, trailing blanks
-- removed); `eimza card set-pin` sends it and the exchange checks it.
CREATE TABLE card_pins (
	application_id BIGINT PRIMARY KEY REFERENCES applications(id),
	token_serial TEXT NOT NULL,
	transport_pin BLOB NOT NULL,
	so_pin BLOB NOT NULL,
	created_at BIGINT NOT NULL
);

-- A one-time authorization from /bireysel/pin: only the BLAKE2b-256 hash
-- (hex) of the code is stored; purpose SET_PIN gives the transport PIN,
-- UNBLOCK the SO PIN. used_at is set when it is exchanged.
CREATE TABLE pin_authorizations (
	id INTEGER PRIMARY KEY,
	application_id BIGINT NOT NULL REFERENCES applications(id),
	purpose TEXT NOT NULL,
	code_hash TEXT NOT NULL UNIQUE,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at BIGINT
);
CREATE INDEX pin_authorizations_app ON pin_authorizations (application_id, created_at);
