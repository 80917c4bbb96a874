-- Institution endorsements (issue 11): the one-time link sent to the
-- institution's official address (institutions.resmi_eposta) when an
-- application reaches its authority. Only a keyed hash of the link's token
-- is stored; used_at, principal_name and principal_title are set once, by
-- the click that endorses.
CREATE TABLE endorsements (
	id INTEGER PRIMARY KEY,
	application_id BIGINT NOT NULL REFERENCES applications (id),
	token_hash TEXT NOT NULL UNIQUE,
	email TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at BIGINT,
	principal_name TEXT,
	principal_title TEXT,
	client_ip TEXT
);
CREATE INDEX endorsements_app ON endorsements (application_id);
