#include "store/application.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/application.h"
#include "domain/form.h"
#include "domain/trcase.h"

#define APP_COLUMNS \
	"id, number, tckn, ad, soyad, dogum_yeri, dogum_tarihi, sicil_no, kurum_kodu, " \
	"kurum_adi, yetki_birimi, reason, card_reader, years, birim, unvan, adres, " \
	"posta_kodu, il, ilce, eposta, is_tel, dahili, cep_tel, ev_tel, operator, " \
	"bilgi_kanali, signing_method, state, flags, fee_kurus, reject_reason, " \
	"replaces_serial, otp_expires_at, otp_attempts, otp_last_sent_at, created_at, " \
	"updated_at"

static int year_of(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	return tm.tm_year + 1900;
}

/* "AD SOYAD" as the registry comparison key (Turkish upper case), so that a
 * staff search for "ayşe" finds "AYŞE" and "Ayşe" alike. */
static const char *name_key(const struct application_new *a, char *out, size_t n)
{
	char full[1024];
	snprintf(full, sizeof full, "%s %s", a->ad, a->soyad);
	if (trcase_name_key(full, out, n) != 0)
		snprintf(out, n, "%s", full);
	return out;
}

int application_insert(db *d, const struct application_new *a, int64_t now, int64_t *id,
		       char number[24])
{
	/* The number is derived from the row id, so insert with a temporary
	 * unique number first and fix it in the same transaction. */
	char tmp[48], key[1024];
	int rc = -1;
	snprintf(tmp, sizeof tmp, "tmp-%s-%lld", a->tckn, (long long)now);
	db_stmt *st = db_prepare(d,
		"INSERT INTO applications (number, tckn, ad, soyad, dogum_yeri, dogum_tarihi, "
		"sicil_no, kurum_kodu, kurum_adi, yetki_birimi, reason, card_reader, years, "
		"security_word_hash, birim, unvan, adres, posta_kodu, il, ilce, eposta, is_tel, "
		"dahili, cep_tel, ev_tel, operator, bilgi_kanali, state, flags, fee_kurus, "
		"replaces_serial, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
		"$9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, "
		"$25, $26, $27, $28, 0, $29, $30, $31, $31) RETURNING id");
	if (st == NULL)
		return -1;
	const char *text[] = {tmp, a->tckn, a->ad, a->soyad, a->dogum_yeri, a->dogum_tarihi,
			      a->sicil_no, a->kurum_kodu, a->kurum_adi, a->yetki_birimi,
			      app_reason_name(a->reason), a->card_reader};
	for (int i = 0; i < 12; i++)
		db_bind_text(st, i + 1, text[i]);
	db_bind_int64(st, 13, a->years);
	db_bind_text(st, 14, a->security_word_hash);
	db_bind_text(st, 15, a->birim);
	db_bind_text(st, 16, a->unvan);
	db_bind_text(st, 17, a->adres);
	db_bind_text(st, 18, a->posta_kodu);
	db_bind_int64(st, 19, a->il);
	db_bind_text(st, 20, a->ilce);
	db_bind_text(st, 21, a->eposta);
	db_bind_text(st, 22, a->is_tel);
	db_bind_text(st, 23, a->dahili);
	db_bind_text(st, 24, a->cep_tel);
	db_bind_text(st, 25, a->ev_tel);
	db_bind_text(st, 26, a->operator_name);
	db_bind_text(st, 27, form_channel_name(a->channels));
	db_bind_text(st, 28, app_state_name(APP_FORM_CONFIRMED));
	db_bind_int64(st, 29, a->fee_kurus);
	db_bind_text(st, 30, a->replaces_serial);
	db_bind_int64(st, 31, now);
	if (db_step(st) != DB_ROW)
		goto out;
	*id = db_col_int64(st, 0);
	db_finalize(st);
	st = NULL;
	app_number_format(year_of(now), *id, number);
	st = db_prepare(d, "UPDATE applications SET number = $1, name_key = $3 WHERE id = $2");
	if (st == NULL)
		goto out;
	db_bind_text(st, 1, number);
	db_bind_int64(st, 2, *id);
	db_bind_text(st, 3, name_key(a, key, sizeof key));
	if (db_step(st) != DB_DONE)
		goto out;
	db_finalize(st);
	st = NULL;
	st = db_prepare(d, "INSERT INTO application_events (application_id, at, actor, "
			   "from_state, to_state, note) VALUES ($1, $2, $3, NULL, $4, NULL)");
	if (st == NULL)
		goto out;
	db_bind_int64(st, 1, *id);
	db_bind_int64(st, 2, now);
	db_bind_text(st, 3, "Başvuru sahibi");
	db_bind_text(st, 4, app_state_name(APP_FORM_CONFIRMED));
	if (db_step(st) != DB_DONE)
		goto out;
	rc = 0;
out:
	db_finalize(st);
	return rc;
}

static const char *col_dup(db_stmt *st, arena *ar, int col)
{
	const char *v = db_col_text(st, col);
	return v ? arena_strdup(ar, v) : NULL;
}

static void read_row(db_stmt *st, arena *ar, struct application *o)
{
	int c = 0;
	o->id = db_col_int64(st, c++);
	const char **text1[] = {&o->number, &o->tckn, &o->ad, &o->soyad, &o->dogum_yeri,
				&o->dogum_tarihi, &o->sicil_no, &o->kurum_kodu, &o->kurum_adi,
				&o->yetki_birimi};
	for (size_t i = 0; i < sizeof text1 / sizeof text1[0]; i++)
		*text1[i] = col_dup(st, ar, c++);
	o->reason = (enum app_reason)app_reason_parse(db_col_text(st, c++));
	o->card_reader = col_dup(st, ar, c++);
	o->years = db_col_int64(st, c++);
	o->birim = col_dup(st, ar, c++);
	o->unvan = col_dup(st, ar, c++);
	o->adres = col_dup(st, ar, c++);
	o->posta_kodu = col_dup(st, ar, c++);
	o->il = db_col_int64(st, c++);
	const char **text2[] = {&o->ilce,   &o->eposta, &o->is_tel,	    &o->dahili,
				&o->cep_tel, &o->ev_tel, &o->operator_name};
	for (size_t i = 0; i < sizeof text2 / sizeof text2[0]; i++)
		*text2[i] = col_dup(st, ar, c++);
	int ch = form_channel_parse(db_col_text(st, c++));
	o->channels = ch > 0 ? (unsigned)ch : 0;
	o->signing_method = (enum sign_method)sign_method_parse(db_col_text(st, c++));
	o->state = (enum app_state)app_state_parse(db_col_text(st, c++));
	o->flags = db_col_int64(st, c++);
	o->fee_kurus = db_col_int64(st, c++);
	o->reject_reason = col_dup(st, ar, c++);
	o->replaces_serial = col_dup(st, ar, c++);
	o->otp_expires_at = db_col_int64(st, c++);
	o->otp_attempts = db_col_int64(st, c++);
	o->otp_last_sent_at = db_col_int64(st, c++);
	o->created_at = db_col_int64(st, c++);
	o->updated_at = db_col_int64(st, c++);
}

static int load_one(db *d, arena *ar, const char *sql, const char *text, int64_t num,
		    struct application *out)
{
	db_stmt *st = db_prepare(d, sql);
	if (st == NULL)
		return -1;
	if (text != NULL)
		db_bind_text(st, 1, text);
	else
		db_bind_int64(st, 1, num);
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, ar, out);
	db_finalize(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int application_load(db *d, arena *ar, int64_t id, struct application *out)
{
	return load_one(d, ar, "SELECT " APP_COLUMNS " FROM applications WHERE id = $1", NULL, id,
			out);
}

int application_load_open_for_tckn(db *d, arena *ar, const char *tckn, struct application *out)
{
	return load_one(d, ar,
			"SELECT " APP_COLUMNS " FROM applications WHERE tckn = $1 AND state NOT "
			"IN ('DELIVERED', 'REJECTED', 'CANCELLED') ORDER BY id DESC LIMIT 1",
			tckn, 0, out);
}

int application_load_latest_for_tckn(db *d, arena *ar, const char *tckn,
				     struct application *out)
{
	return load_one(d, ar,
			"SELECT " APP_COLUMNS " FROM applications WHERE tckn = $1 "
			"ORDER BY id DESC LIMIT 1",
			tckn, 0, out);
}

int application_set_state(db *d, int64_t id, enum app_state from_state, enum app_state to_state,
			  int64_t flags, const char *actor, const char *note, int64_t now)
{
	const char *from = app_state_name(from_state), *to = app_state_name(to_state);
	db_stmt *st = db_prepare(d, "UPDATE applications SET state = $1, flags = $2, "
				    "updated_at = $3 WHERE id = $4 AND state = $5");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, to);
	db_bind_int64(st, 2, flags);
	db_bind_int64(st, 3, now);
	db_bind_int64(st, 4, id);
	db_bind_text(st, 5, from);
	int rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	if (db_changes(d) != 1)
		return 1;
	st = db_prepare(d, "INSERT INTO application_events (application_id, at, actor, "
			   "from_state, to_state, note) VALUES ($1, $2, $3, $4, $5, $6)");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, now);
	db_bind_text(st, 3, actor);
	db_bind_text(st, 4, from);
	db_bind_text(st, 5, to);
	db_bind_text(st, 6, note);
	rc = db_step(st);
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

static int exec_text_id(db *d, const char *sql, const char *text, int64_t id)
{
	db_stmt *st = db_prepare(d, sql);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, text);
	db_bind_int64(st, 2, id);
	int rc = db_step(st);
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

int application_set_signing_method(db *d, int64_t id, enum sign_method method, int64_t now)
{
	(void)now;
	return exec_text_id(d, "UPDATE applications SET signing_method = $1 WHERE id = $2",
			    method == SIGN_NONE ? NULL : sign_method_name(method), id);
}

int application_set_reject_reason(db *d, int64_t id, const char *reason)
{
	return exec_text_id(d, "UPDATE applications SET reject_reason = $1 WHERE id = $2", reason,
			    id);
}

int application_otp_store(db *d, int64_t id, const char *hash_hex, int64_t expires_at,
			  int64_t now)
{
	db_stmt *st = db_prepare(d, "UPDATE applications SET otp_hash = $1, otp_expires_at = $2, "
				    "otp_attempts = 0, otp_last_sent_at = $3 WHERE id = $4");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, hash_hex);
	db_bind_int64(st, 2, expires_at);
	db_bind_int64(st, 3, now);
	db_bind_int64(st, 4, id);
	int rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	st = db_prepare(d, "INSERT INTO otp_sends (application_id, sent_at) VALUES ($1, $2)");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, now);
	rc = db_step(st);
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

const char *application_otp_hash(db *d, arena *ar, int64_t id)
{
	db_stmt *st = db_prepare(d, "SELECT otp_hash FROM applications WHERE id = $1");
	if (st == NULL)
		return NULL;
	db_bind_int64(st, 1, id);
	const char *h = NULL;
	if (db_step(st) == DB_ROW)
		h = col_dup(st, ar, 0);
	db_finalize(st);
	return h;
}

static int exec_id(db *d, const char *sql, int64_t id)
{
	db_stmt *st = db_prepare(d, sql);
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

int application_otp_fail(db *d, int64_t id)
{
	return exec_id(d, "UPDATE applications SET otp_attempts = otp_attempts + 1 WHERE id = $1",
		       id);
}

int application_otp_take_attempt(db *d, int64_t id, int64_t max)
{
	db_stmt *st = db_prepare(d, "UPDATE applications SET otp_attempts = otp_attempts + 1 "
				    "WHERE id = $1 AND otp_attempts < $2 "
				    "AND otp_hash IS NOT NULL");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, max);
	int rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	return db_changes(d) == 1 ? 0 : 1;
}

int application_otp_clear(db *d, int64_t id)
{
	return exec_id(d, "UPDATE applications SET otp_hash = NULL, otp_expires_at = 0 "
			  "WHERE id = $1", id);
}

int application_otp_consume(db *d, int64_t id, const char *hash_hex)
{
	db_stmt *st = db_prepare(d, "UPDATE applications SET otp_hash = NULL, otp_expires_at = 0 "
				    "WHERE id = $1 AND otp_hash = $2");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, hash_hex);
	int rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	return db_changes(d) == 1 ? 0 : 1;
}

int64_t application_otp_sends_since(db *d, int64_t id, int64_t since)
{
	db_stmt *st = db_prepare(d, "SELECT COUNT(*) FROM otp_sends WHERE application_id = $1 "
				    "AND sent_at >= $2");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, since);
	int64_t n = db_step(st) == DB_ROW ? db_col_int64(st, 0) : -1;
	db_finalize(st);
	return n;
}

int application_events(db *d, int64_t id, void (*cb)(void *ctx, const struct application_event *e),
		       void *ctx)
{
	db_stmt *st = db_prepare(d, "SELECT at, actor, from_state, to_state, note FROM "
				    "application_events WHERE application_id = $1 ORDER BY id");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct application_event e = {
			.at = db_col_int64(st, 0), .actor = db_col_text(st, 1),
			.from_state = db_col_text(st, 2), .to_state = db_col_text(st, 3),
			.note = db_col_text(st, 4),
		};
		cb(ctx, &e);
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

int application_list_by_state(db *d, arena *ar, enum app_state state, unsigned flags, int limit,
			      void (*cb)(void *ctx, const struct application *a), void *ctx)
{
	db_stmt *st = db_prepare(d, "SELECT " APP_COLUMNS " FROM applications WHERE state = $1 "
				    "AND (flags & $2) = $2 ORDER BY updated_at, id LIMIT $3");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, app_state_name(state));
	db_bind_int64(st, 2, (int64_t)flags);
	db_bind_int64(st, 3, limit);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct application a;
		read_row(st, ar, &a);
		cb(ctx, &a);
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}
