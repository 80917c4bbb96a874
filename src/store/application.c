#include "store/application.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/application.h"
#include "domain/form.h"
#include "domain/trcase.h"
#include "util/log.h"

/* The columns around the form's: what the login, the personnel records and
 * the workflow give. read_row and application_insert read and bind them in
 * this order. */
#define APP_HEAD \
	"id, number, tckn, ad, soyad, dogum_yeri, dogum_tarihi, sicil_no, kurum_kodu, " \
	"kurum_adi, yetki_birimi"
#define APP_TAIL \
	"signing_method, state, flags, fee_kurus, reject_reason, replaces_serial, " \
	"otp_expires_at, otp_attempts, otp_last_sent_at, created_at, updated_at"
#define INSERT_HEAD \
	"number, tckn, ad, soyad, dogum_yeri, dogum_tarihi, sicil_no, " \
	"kurum_kodu, kurum_adi, yetki_birimi, security_word_hash"
#define INSERT_HEAD_N 11
#define INSERT_TAIL "state, flags, fee_kurus, replaces_serial, created_at, updated_at"
#define INSERT_TAIL_N 6

/* The SQL made from the form table once per process (app_sql()). */
static struct {
	char columns[1024]; /* the SELECT list read by read_row */
	char insert[2048];  /* application_insert's statement */
	int ok;
} app_sql_text;
static pthread_once_t app_sql_once = PTHREAD_ONCE_INIT;

/* Appends s to dst[n]; 0, or -1 when it does not fit. */
static int sql_cat(char *dst, size_t n, const char *s)
{
	size_t len = strlen(dst), add = strlen(s);
	if (len + add >= n)
		return -1;
	memcpy(dst + len, s, add + 1);
	return 0;
}

/* The form's stored columns ", a, b, ..." into cols and their placeholders
 * ", $k, $k+1, ..." (from first) into params; the count, or -1. */
static int form_columns(char *cols, size_t ncols, char *params, size_t nparams, int first)
{
	const struct form_field_def *t = form_field_table();
	char p[16];
	int k = 0;
	for (int i = 0; i < FF__MAX; i++) {
		if (t[i].column == NULL)
			continue;
		snprintf(p, sizeof p, ", $%d", first + k++);
		if (sql_cat(cols, ncols, ", ") != 0 || sql_cat(cols, ncols, t[i].column) != 0 ||
		    sql_cat(params, nparams, p) != 0)
			return -1;
	}
	return k;
}

static void app_sql_build(void)
{
	char cols[1024] = "", params[512] = "", p[16];
	int k = form_columns(cols, sizeof cols, params, sizeof params, INSERT_HEAD_N + 1);
	char *sel = app_sql_text.columns, *ins = app_sql_text.insert;
	size_t nsel = sizeof app_sql_text.columns, nins = sizeof app_sql_text.insert;
	if (k < 0)
		return;
	if (sql_cat(sel, nsel, APP_HEAD) != 0 || sql_cat(sel, nsel, cols) != 0 ||
	    sql_cat(sel, nsel, ", " APP_TAIL) != 0)
		return;
	if (sql_cat(ins, nins, "INSERT INTO applications (" INSERT_HEAD) != 0 ||
	    sql_cat(ins, nins, cols) != 0 ||
	    sql_cat(ins, nins, ", " INSERT_TAIL ") VALUES ($1") != 0)
		return;
	for (int i = 2; i <= INSERT_HEAD_N; i++) {
		snprintf(p, sizeof p, ", $%d", i);
		if (sql_cat(ins, nins, p) != 0)
			return;
	}
	if (sql_cat(ins, nins, params) != 0)
		return;
	for (int i = 1; i <= INSERT_TAIL_N; i++) {
		snprintf(p, sizeof p, ", $%d", INSERT_HEAD_N + k + i);
		if (sql_cat(ins, nins, p) != 0)
			return;
	}
	if (sql_cat(ins, nins, ") RETURNING id") != 0)
		return;
	app_sql_text.ok = 1;
}

/* The SELECT list read by read_row, or NULL when it could not be made. */
static const char *app_columns(void)
{
	pthread_once(&app_sql_once, app_sql_build);
	return app_sql_text.ok ? app_sql_text.columns : NULL;
}

/* Prepares "SELECT <app_columns> FROM applications <where>"; NULL on error. */
static db_stmt *app_select(db *d, const char *where)
{
	const char *cols = app_columns();
	char sql[2048];
	if (cols == NULL) {
		log_error("store: application column list unavailable");
		return NULL;
	}
	int n = snprintf(sql, sizeof sql, "SELECT %s FROM applications %s", cols, where);
	if (n < 0 || (size_t)n >= sizeof sql)
		return NULL;
	return db_prepare(d, sql);
}

/* Binds the form fields of a from parameter *idx on, in table order, each
 * as text (the database converts "67" for an integer column). */
static void bind_form(db_stmt *st, const struct application_new *a, int *idx)
{
	const struct form_field_def *t = form_field_table();
	for (int i = 0; i < FF__MAX; i++)
		if (t[i].column != NULL)
			db_bind_text(st, (*idx)++, a->form[i]);
}

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
	pthread_once(&app_sql_once, app_sql_build);
	if (!app_sql_text.ok) {
		log_error("store: application insert statement unavailable");
		return -1;
	}
	db_stmt *st = db_prepare(d, app_sql_text.insert);
	if (st == NULL)
		return -1;
	const char *head[INSERT_HEAD_N] = {tmp,
					   a->tckn,
					   a->ad,
					   a->soyad,
					   a->dogum_yeri,
					   a->dogum_tarihi,
					   a->sicil_no,
					   a->kurum_kodu,
					   a->kurum_adi,
					   a->yetki_birimi,
					   a->security_word_hash};
	int idx = 1;
	for (int i = 0; i < INSERT_HEAD_N; i++)
		db_bind_text(st, idx++, head[i]);
	bind_form(st, a, &idx);
	db_bind_text(st, idx++, app_state_name(APP_FORM_CONFIRMED));
	db_bind_int64(st, idx++, 0);
	db_bind_int64(st, idx++, a->fee_kurus);
	db_bind_text(st, idx++, a->replaces_serial);
	db_bind_int64(st, idx++, now);
	db_bind_int64(st, idx++, now);
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

int64_t application_form_int(const struct application *a, enum form_field f)
{
	const char *v = (unsigned)f < FF__MAX ? a->form[f] : NULL;
	int64_t n = 0;
	if (v == NULL || *v == '\0')
		return 0;
	for (; *v != '\0'; v++) {
		if (*v < '0' || *v > '9' || n > INT64_MAX / 10 - 9)
			return 0;
		n = n * 10 + (*v - '0');
	}
	return n;
}

/* Reads a row of app_columns(): APP_HEAD, the form's columns in table
 * order, APP_TAIL. */
static void read_row(db_stmt *st, arena *ar, struct application *o)
{
	const struct form_field_def *t = form_field_table();
	int c = 0;
	o->id = db_col_int64(st, c++);
	const char **head[] = {&o->number,     &o->tckn,	 &o->ad,       &o->soyad,
			       &o->dogum_yeri, &o->dogum_tarihi, &o->sicil_no, &o->kurum_kodu,
			       &o->kurum_adi,  &o->yetki_birimi};
	for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
		*head[i] = col_dup(st, ar, c++);
	for (int i = 0; i < FF__MAX; i++)
		o->form[i] = t[i].column != NULL ? col_dup(st, ar, c++) : NULL;
	int r = app_reason_parse(o->form[FF_BASVURU_NEDENI]);
	int ch = form_channel_parse(o->form[FF_BILGI_KANALI]);
	o->reason = (enum app_reason)r; /* as before the form array: -1 if unknown */
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

static int load_one(db *d, arena *ar, const char *where, const char *text, int64_t num,
		    struct application *out)
{
	db_stmt *st = app_select(d, where);
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
	return load_one(d, ar, "WHERE id = $1", NULL, id, out);
}

int application_load_open_for_tckn(db *d, arena *ar, const char *tckn, struct application *out)
{
	return load_one(d, ar,
			"WHERE tckn = $1 AND state NOT IN ('DELIVERED', 'REJECTED', "
			"'CANCELLED') ORDER BY id DESC LIMIT 1",
			tckn, 0, out);
}

int application_load_latest_for_tckn(db *d, arena *ar, const char *tckn, struct application *out)
{
	return load_one(d, ar, "WHERE tckn = $1 ORDER BY id DESC LIMIT 1", tckn, 0, out);
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
	return application_event_add(d, id, now, actor, from, to, note);
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

int application_otp_store(db *d, int64_t id, const char *hash_hex, int64_t expires_at, int64_t now)
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

const char *application_security_word_hash(db *d, arena *ar, int64_t id)
{
	db_stmt *st = db_prepare(d, "SELECT security_word_hash FROM applications WHERE id = $1");
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
	return exec_id(d,
		       "UPDATE applications SET otp_hash = NULL, otp_expires_at = 0 "
		       "WHERE id = $1",
		       id);
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
			.at = db_col_int64(st, 0),
			.actor = db_col_text(st, 1),
			.from_state = db_col_text(st, 2),
			.to_state = db_col_text(st, 3),
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
	db_stmt *st = app_select(d, "WHERE state = $1 AND (flags & $2) = $2 "
				    "ORDER BY updated_at, id LIMIT $3");
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

int application_event_add(db *d, int64_t id, int64_t now, const char *actor, const char *from,
			  const char *to, const char *note)
{
	db_stmt *st = db_prepare(d, "INSERT INTO application_events (application_id, at, actor, "
				    "from_state, to_state, note) VALUES ($1, $2, $3, $4, $5, $6)");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, now);
	db_bind_text(st, 3, actor);
	db_bind_text(st, 4, from);
	db_bind_text(st, 5, to);
	db_bind_text(st, 6, note);
	int rc = db_step(st);
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}
