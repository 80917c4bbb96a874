-- Staff accounts of the console: institution authorities (yetkili, scoped to
-- one yetki_birimi), CA operators and administrators.
CREATE TABLE staff_users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	role TEXT NOT NULL CHECK (role IN ('yetkili', 'operator', 'admin')),
	scope TEXT,
	password_hash TEXT NOT NULL,
	totp_secret TEXT,
	disabled BIGINT NOT NULL DEFAULT 0,
	failed_count BIGINT NOT NULL DEFAULT 0,
	locked_until BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	last_login_at BIGINT
);
