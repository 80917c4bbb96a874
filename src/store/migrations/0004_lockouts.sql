-- Failed-login lockouts (src/identity/lockout.c), kept in the database so a
-- restart does not hand an attacker a fresh set of attempts.
--
-- scope: 'ip' (client address, stored as given), 'tckn' (stored as a keyed
-- BLAKE2b hash under the server secret, so this table is not a list of
-- identity numbers), 'staff' (user name). count: failures since first_at;
-- locked_until: 0, or the epoch second until which logins are refused.
CREATE TABLE login_failures (
	scope TEXT NOT NULL,
	key TEXT NOT NULL,
	count BIGINT NOT NULL DEFAULT 0,
	first_at BIGINT NOT NULL,
	locked_until BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (scope, key)
);
