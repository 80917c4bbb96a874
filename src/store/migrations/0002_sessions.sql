-- Server-side sessions of the HTTP core (src/http/session.c).
--
-- id_hash is the hex BLAKE2b-256 of the 256-bit random id in the `sid`
-- cookie: the cookie itself is never stored. A session expires when
-- seen_at is older than server.session_idle or created_at older than
-- server.session_max (checked on read, rows purged every few minutes).
-- csrf is the token every POST form of the session must echo.
CREATE TABLE sessions (
	id_hash TEXT PRIMARY KEY,
	created_at BIGINT NOT NULL,
	seen_at BIGINT NOT NULL,
	csrf TEXT NOT NULL
);

CREATE INDEX sessions_seen ON sessions (seen_at);
CREATE INDEX sessions_created ON sessions (created_at);

CREATE TABLE session_values (
	session_id TEXT NOT NULL REFERENCES sessions (id_hash) ON DELETE CASCADE,
	key TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (session_id, key)
);
