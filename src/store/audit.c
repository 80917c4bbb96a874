#include "store/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/secret.h"

/* Feeds one field into the hash as "<length>:<bytes>;" so that no two
 * different records serialise the same way. NULL is hashed as "-;". */
static void hash_field(crypto_generichash_state *st, const char *v)
{
	char len[24];
	if (v == NULL) {
		crypto_generichash_update(st, (const unsigned char *)"-;", 2);
		return;
	}
	int n = snprintf(len, sizeof len, "%zu:", strlen(v));
	crypto_generichash_update(st, (const unsigned char *)len, (size_t)n);
	crypto_generichash_update(st, (const unsigned char *)v, strlen(v));
	crypto_generichash_update(st, (const unsigned char *)";", 1);
}

/* The hash of one record: BLAKE2b-256 over its fields and the previous
 * record's hash. Version 1 (records written before audit checkpoints) is
 * keyed with a subkey of the server secret; version 2 is unkeyed, so anyone
 * can recompute it and no key beside the database pretends to protect it:
 * a rewritten and re-chained trail is caught by the signed checkpoints. */
static int record_hash(int version, int64_t id, int64_t at, const struct audit_entry *e,
		       const char *prev, char out[65])
{
	unsigned char key[32], h[32];
	char num[48];
	crypto_generichash_state st;
	if (version == 1) {
		if (secret_subkey(SECRET_AUDIT, key) != 0)
			return -1;
		crypto_generichash_init(&st, key, sizeof key, sizeof h);
		sodium_memzero(key, sizeof key);
	} else if (version == AUDIT_CHAIN_VERSION) {
		crypto_generichash_init(&st, NULL, 0, sizeof h);
	} else {
		return -1;
	}
	snprintf(num, sizeof num, "%lld/%lld", (long long)id, (long long)at);
	hash_field(&st, num);
	hash_field(&st, e->actor);
	hash_field(&st, e->client_ip);
	hash_field(&st, e->object);
	hash_field(&st, e->action);
	hash_field(&st, e->before);
	hash_field(&st, e->after);
	hash_field(&st, e->detail);
	hash_field(&st, prev);
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(out, 65, h, sizeof h);
	return 0;
}

int audit_append(db *d, const struct audit_entry *e)
{
	char prev[65] = "0", hash[65];
	int64_t id = 1;
	int rc = -1;
	/* The head is read, then the next record written: no other connection
	 * may append in between (several serve nodes on PostgreSQL). */
	if (db_lock(d, "audit_log") != DB_OK)
		return -1;
	db_stmt *st = db_prepare(d, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
	if (st == NULL)
		return -1;
	if (db_step(st) == DB_ROW) {
		id = db_col_int64(st, 0) + 1;
		snprintf(prev, sizeof prev, "%s", db_col_text(st, 1));
	}
	db_finalize(st);

	int64_t at = clock_now();
	if (record_hash(AUDIT_CHAIN_VERSION, id, at, e, prev, hash) != 0)
		return -1;
	st = db_prepare(d, "INSERT INTO audit_log (id, at, actor, client_ip, object, action, "
			   "before_state, after_state, detail, prev_hash, hash, chain_version) "
			   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, at);
	db_bind_text(st, 3, e->actor);
	db_bind_text(st, 4, e->client_ip);
	db_bind_text(st, 5, e->object);
	db_bind_text(st, 6, e->action);
	db_bind_text(st, 7, e->before);
	db_bind_text(st, 8, e->after);
	db_bind_text(st, 9, e->detail);
	db_bind_text(st, 10, prev);
	db_bind_text(st, 11, hash);
	db_bind_int64(st, 12, AUDIT_CHAIN_VERSION);
	if (db_step(st) == DB_DONE)
		rc = 0;
	db_finalize(st);
	return rc;
}

int audit_verify(db *d, char *msg, size_t msglen, int64_t *checked)
{
	char expect_prev[65] = "0", hash[65];
	int64_t expect_id = 1, n = 0;
	int rc = 0, last_version = 1;
	db_stmt *st = db_prepare(d, "SELECT id, at, actor, client_ip, object, action, "
				    "before_state, after_state, detail, prev_hash, hash, "
				    "chain_version FROM audit_log ORDER BY id");
	if (st == NULL)
		return -1;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int64(st, 0);
		struct audit_entry e = {
			.actor = db_col_text(st, 2),
			.client_ip = db_col_text(st, 3),
			.object = db_col_text(st, 4),
			.action = db_col_text(st, 5),
			.before = db_col_text(st, 6),
			.after = db_col_text(st, 7),
			.detail = db_col_text(st, 8),
		};
		const char *prev = db_col_text(st, 9), *stored = db_col_text(st, 10);
		if (id != expect_id) {
			snprintf(msg, msglen,
				 "Kayıt %lld eksik ya da sıra dışı: kayıt %lld bulundu.",
				 (long long)expect_id, (long long)id);
			rc = 1;
			break;
		}
		if (prev == NULL || strcmp(prev, expect_prev) != 0) {
			snprintf(msg, msglen,
				 "Kayıt %lld: önceki kaydın özeti tutmuyor (araya kayıt "
				 "eklenmiş ya da önceki kayıt değiştirilmiş).",
				 (long long)id);
			rc = 1;
			break;
		}
		int version = (int)db_col_int64(st, 11);
		if (version < last_version || version < 1 || version > AUDIT_CHAIN_VERSION) {
			/* Versions only go up: an old keyed record after an unkeyed
			 * one is a rewrite, not history. */
			snprintf(msg, msglen, "Kayıt %lld: zincir sürümü (%d) geçersiz.",
				 (long long)id, version);
			rc = 1;
			break;
		}
		last_version = version;
		if (record_hash(version, id, db_col_int64(st, 1), &e, prev, hash) != 0) {
			snprintf(msg, msglen,
				 "Kayıt %lld (sürüm 1) doğrulanamadı: sunucu gizli anahtarı "
				 "okunamadı.",
				 (long long)id);
			rc = -1;
			break;
		}
		if (stored == NULL || strlen(stored) != 64 ||
		    sodium_memcmp(hash, stored, 64) != 0) {
			snprintf(msg, msglen,
				 "Kayıt %lld değiştirilmiş: içeriği özetiyle tutmuyor.",
				 (long long)id);
			rc = 1;
			break;
		}
		snprintf(expect_prev, sizeof expect_prev, "%s", stored);
		expect_id = id + 1;
		n++;
	}
	if (step == DB_ERR)
		rc = -1;
	db_finalize(st);
	if (checked)
		*checked = n;
	if (rc == 0)
		snprintf(msg, msglen, "Denetim kaydı zinciri sağlam: %lld kayıt doğrulandı.",
			 (long long)n);
	return rc;
}

int audit_chain_head(db *d, int64_t *count, char head[65])
{
	db_stmt *st = db_prepare(d, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
	int rc = -1, step;
	if (st == NULL)
		return -1;
	*count = 0;
	memset(head, '0', 64);
	head[64] = '\0';
	step = db_step(st);
	if (step == DB_ROW) {
		const char *h = db_col_text(st, 1);
		*count = db_col_int64(st, 0);
		if (h != NULL && strlen(h) == 64) {
			memcpy(head, h, 65);
			rc = 0;
		}
	} else if (step == DB_DONE) {
		rc = 0;
	}
	db_finalize(st);
	return rc;
}

int audit_hash_at(db *d, int64_t id, char out[65])
{
	db_stmt *st = db_prepare(d, "SELECT hash FROM audit_log WHERE id = $1");
	int rc = -1, step;
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, id);
	step = db_step(st);
	if (step == DB_ROW) {
		const char *h = db_col_text(st, 0);
		rc = 1;
		if (h != NULL && strlen(h) == 64) {
			memcpy(out, h, 65);
			rc = 0;
		}
	} else if (step == DB_DONE) {
		rc = 1;
	}
	db_finalize(st);
	return rc;
}

/* "<s>%": a LIKE prefix pattern with \ escaping % _ and \ itself; caller
 * frees. NULL on out-of-memory. */
static char *prefix_pattern(const char *s)
{
	size_t n = strlen(s);
	char *p = malloc(n * 2 + 2), *o = p;
	if (p == NULL)
		return NULL;
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o++ = '%';
	*o = '\0';
	return p;
}

int audit_list(db *d, const struct audit_filter *f, int64_t limit, int64_t offset,
	       int (*each)(void *ctx, const struct audit_record *rec), void *ctx)
{
	const char *object = f->object ? f->object : "", *actor = f->actor ? f->actor : "";
	char *object_like = prefix_pattern(object), *actor_like = prefix_pattern(actor);
	db_stmt *st = NULL;
	int rc = -1, step;
	if (object_like == NULL || actor_like == NULL)
		goto out;
	st = db_prepare(d, "SELECT id, at, actor, client_ip, object, action, "
			   "before_state, after_state, detail FROM audit_log "
			   "WHERE ($1 = '' OR object LIKE $2 ESCAPE '\\') "
			   "AND ($3 = '' OR actor LIKE $4 ESCAPE '\\') "
			   "AND ($5 = 0 OR at >= $5) AND ($6 = 0 OR at < $6) "
			   "ORDER BY id DESC LIMIT $7 OFFSET $8");
	if (st == NULL)
		goto out;
	db_bind_text(st, 1, object);
	db_bind_text(st, 2, object_like);
	db_bind_text(st, 3, actor);
	db_bind_text(st, 4, actor_like);
	db_bind_int64(st, 5, f->from);
	db_bind_int64(st, 6, f->to);
	db_bind_int64(st, 7, limit);
	db_bind_int64(st, 8, offset);
	while ((step = db_step(st)) == DB_ROW) {
		struct audit_record rec = {
			.id = db_col_int64(st, 0),
			.at = db_col_int64(st, 1),
			.e = {.actor = db_col_text(st, 2),
			      .client_ip = db_col_text(st, 3),
			      .object = db_col_text(st, 4),
			      .action = db_col_text(st, 5),
			      .before = db_col_text(st, 6),
			      .after = db_col_text(st, 7),
			      .detail = db_col_text(st, 8)},
		};
		if (each(ctx, &rec) != 0)
			break;
	}
	rc = step < 0 ? -1 : 0;
out:
	if (st != NULL)
		db_finalize(st);
	free(object_like);
	free(actor_like);
	return rc;
}
