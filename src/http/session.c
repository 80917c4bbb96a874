/* Server-side sessions in the database, and the CSRF token bound to each.
 *
 * The cookie `sid` carries 256 random bits (base64url); the database keeps
 * only their BLAKE2b hash, so a leaked table does not yield live cookies.
 * Idle and absolute expiry are checked on every read; expired rows are
 * purged every few minutes. */
#include <sodium.h>
#include <stdatomic.h>
#include <string.h>

#include "http/edge.h"
#include "http/internal.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/log.h"

#define SID_BYTES 32
#define SEEN_GRANULARITY 15 /* seconds between seen_at updates */
#define PURGE_EVERY 300

static _Atomic int64_t last_purge;

static char *b64url(arena *a, const unsigned char *bin, size_t n)
{
	size_t len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *s = arena_alloc(a, len);
	if (s == NULL)
		return NULL;
	return sodium_bin2base64(s, len, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Hex BLAKE2b-256 of the raw session id. */
static char *sid_hash(arena *a, const unsigned char id[SID_BYTES])
{
	unsigned char h[32];
	char *hex = arena_alloc(a, 2 * sizeof h + 1);
	crypto_generichash(h, sizeof h, id, SID_BYTES, NULL, 0);
	if (hex != NULL)
		sodium_bin2hex(hex, 2 * sizeof h + 1, h, sizeof h);
	return hex;
}

static db *sess_db(void)
{
	db *d = db_thread();
	if (d == NULL)
		log_error("session: no database connection");
	return d;
}

/* Runs sql with $1 bound to text t (or to int64 a when t is NULL) and the
 * next parameter to int64 b. 0 on success. */
static int exec_2(db *d, const char *sql, const char *t, int64_t a, int64_t b)
{
	db_stmt *s = db_prepare(d, sql);
	int rc = -1;
	if (s == NULL)
		return -1;
	int r1 = t != NULL ? db_bind_text(s, 1, t) : db_bind_int64(s, 1, a);
	if (r1 == DB_OK && db_bind_int64(s, 2, b) == DB_OK && db_step(s) == DB_DONE)
		rc = 0;
	db_finalize(s);
	return rc;
}

static void delete_session(db *d, const char *hash)
{
	db_execp(d, "DELETE FROM session_values WHERE session_id = $1", hash, NULL);
	db_execp(d, "DELETE FROM sessions WHERE id_hash = $1", hash, NULL);
}

/* Reads the session named by the request's cookie (once per request). */
static void session_load(req *r)
{
	const struct server_opts *o = http_opts();
	unsigned char id[SID_BYTES];
	db_stmt *s = NULL;
	size_t idlen = 0;
	if (r->sess_loaded)
		return;
	r->sess_loaded = 1;
	const char *sid = req_cookie(r, http_session_cookie_name());
	if (sid == NULL)
		return;
	if (sodium_base642bin(id, sizeof id, sid, strlen(sid), NULL, &idlen, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    idlen != SID_BYTES)
		return;
	db *d = sess_db();
	char *hash = sid_hash(r->a, id);
	sodium_memzero(id, sizeof id);
	if (d == NULL || hash == NULL)
		return;
	s = db_prepare(d, "SELECT created_at, seen_at, csrf FROM sessions WHERE id_hash = $1");
	if (s == NULL || db_bind_text(s, 1, hash) != DB_OK || db_step(s) != DB_ROW)
		goto out;
	int64_t created = db_col_int64(s, 0), seen = db_col_int64(s, 1), now = clock_now();
	char *csrf = arena_strdup(r->a, db_col_text(s, 2) ? db_col_text(s, 2) : "");
	db_finalize(s);
	s = NULL;
	if (now - seen > o->session_idle || now - created > o->session_max) {
		delete_session(d, hash);
		goto out;
	}
	r->sess_hash = hash;
	r->csrf = csrf;
	r->sess_created = created;
	if (now - seen >= SEEN_GRANULARITY)
		exec_2(d, "UPDATE sessions SET seen_at = $2 WHERE id_hash = $1", hash, 0, now);
out:
	db_finalize(s);
}

/* A fresh id and CSRF token; inserts the row and queues the cookie. */
static int session_create(req *r, db *d)
{
	unsigned char id[SID_BYTES], tok[32];
	int rc = -1;
	randombytes_buf(id, sizeof id);
	randombytes_buf(tok, sizeof tok);
	char *hash = sid_hash(r->a, id);
	char *cookie = b64url(r->a, id, sizeof id);
	char *csrf = b64url(r->a, tok, sizeof tok);
	if (hash == NULL || cookie == NULL || csrf == NULL)
		goto out;
	int64_t now = clock_now();
	db_stmt *s = db_prepare(d, "INSERT INTO sessions (id_hash, created_at, seen_at, csrf) "
				   "VALUES ($1, $2, $3, $4)");
	if (s == NULL)
		goto out;
	if (db_bind_text(s, 1, hash) == DB_OK && db_bind_int64(s, 2, now) == DB_OK &&
	    db_bind_int64(s, 3, now) == DB_OK && db_bind_text(s, 4, csrf) == DB_OK &&
	    db_step(s) == DB_DONE)
		rc = 0;
	db_finalize(s);
	if (rc != 0) {
		log_error("session: insert failed: %s", db_errmsg(d));
		goto out;
	}
	r->sess_hash = hash;
	r->csrf = csrf;
	r->sess_created = now;
	r->set_cookie = cookie_format(r->a, http_session_cookie_name(), cookie, r->tls, 0);
out:
	sodium_memzero(id, sizeof id);
	sodium_memzero(tok, sizeof tok);
	return rc;
}

const char *session_get(req *r, const char *key)
{
	session_load(r);
	if (r->sess_hash == NULL)
		return NULL;
	db *d = sess_db();
	const char *res = NULL;
	if (d == NULL)
		return NULL;
	db_stmt *s = db_prepare(d, "SELECT value FROM session_values "
				   "WHERE session_id = $1 AND key = $2");
	if (s == NULL)
		return NULL;
	if (db_bind_text(s, 1, r->sess_hash) == DB_OK && db_bind_text(s, 2, key) == DB_OK &&
	    db_step(s) == DB_ROW && db_col_text(s, 0) != NULL)
		res = arena_strdup(r->a, db_col_text(s, 0));
	db_finalize(s);
	return res;
}

int session_set(req *r, const char *key, const char *value)
{
	session_load(r);
	db *d = sess_db();
	if (d == NULL)
		return -1;
	if (value == NULL) {
		if (r->sess_hash == NULL)
			return 0;
		return db_execp(d, "DELETE FROM session_values WHERE session_id = $1 AND key = $2",
				r->sess_hash, key, NULL) == 0
			       ? 0
			       : -1;
	}
	if (r->sess_hash == NULL && session_create(r, d) != 0)
		return -1;
	return db_execp(d,
			"INSERT INTO session_values (session_id, key, value) "
			"VALUES ($1, $2, $3) ON CONFLICT (session_id, key) "
			"DO UPDATE SET value = excluded.value",
			r->sess_hash, key, value, NULL) == 0
		       ? 0
		       : -1;
}

int session_rotate(req *r)
{
	session_load(r);
	db *d = sess_db();
	if (d == NULL)
		return -1;
	char *old = r->sess_hash;
	if (session_create(r, d) != 0)
		return -1;
	if (old == NULL)
		return 0;
	/* Values move to the new id, then the old row goes: a crash in
	 * between leaves an orphan that expires, never a shared session. */
	if (db_execp(d, "UPDATE session_values SET session_id = $1 WHERE session_id = $2",
		     r->sess_hash, old, NULL) != 0) {
		log_error("session: rotate failed: %s", db_errmsg(d));
		return -1;
	}
	delete_session(d, old);
	return 0;
}

void session_destroy(req *r)
{
	session_load(r);
	db *d = sess_db();
	if (r->sess_hash != NULL && d != NULL)
		delete_session(d, r->sess_hash);
	r->sess_hash = NULL;
	r->csrf = NULL;
	r->set_cookie = cookie_format(r->a, http_session_cookie_name(), "", r->tls, 1);
}

const char *req_csrf_token(req *r)
{
	session_load(r);
	if (r->sess_hash == NULL) {
		db *d = sess_db();
		if (d == NULL || session_create(r, d) != 0)
			return NULL;
	}
	return r->csrf;
}

int session_csrf_ok(req *r)
{
	session_load(r);
	const char *sent = req_field(r, "csrf");
	if (r->sess_hash == NULL || r->csrf == NULL || sent == NULL)
		return 0;
	size_t n = strlen(r->csrf);
	if (n == 0 || strlen(sent) != n)
		return 0;
	return sodium_memcmp(sent, r->csrf, n) == 0;
}

void session_maybe_purge(void)
{
	const struct server_opts *o = http_opts();
	int64_t now = clock_now(), prev = atomic_load(&last_purge);
	if (now - prev < PURGE_EVERY || !atomic_compare_exchange_strong(&last_purge, &prev, now))
		return;
	db *d = sess_db();
	if (d == NULL)
		return;
	int64_t idle_cut = now - o->session_idle, max_cut = now - o->session_max;
	exec_2(d,
	       "DELETE FROM session_values WHERE session_id IN (SELECT id_hash FROM sessions "
	       "WHERE seen_at < $1 OR created_at < $2)",
	       NULL, idle_cut, max_cut);
	exec_2(d, "DELETE FROM sessions WHERE seen_at < $1 OR created_at < $2", NULL, idle_cut,
	       max_cut);
}
