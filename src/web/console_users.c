/* Staff accounts in the console (/konsol/kullanicilar, administrators):
 * list, create (password typed or generated and shown once), disable,
 * enable, reset the second factor. Each change is audited. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/date.h"
#include "store/audit.h"
#include "util/clock.h"
#include "util/log.h"
#include "web/console.h"

static const char *field_or_empty(req *r, const char *name)
{
	const char *v = req_field(r, name);
	return v ? v : "";
}

static void users_page(req *r, db *d, const struct staff *who, int status, const char *error,
		       const char *new_password)
{
	tpl *t = console_tpl(r, who, "Personel Hesapları");
	int64_t now = clock_now();
	if (error)
		tpl_set(t, "error", error);
	if (new_password)
		tpl_set(t, "new_password", new_password);
	db_stmt *st = db_prepare(d, "SELECT id, username, role, scope, disabled, locked_until, "
				    "totp_secret IS NOT NULL, last_login_at FROM staff_users "
				    "ORDER BY username");
	if (st == NULL) {
		reply_error(r, 500, "Hesaplar okunamadı.");
		return;
	}
	while (db_step(st) == DB_ROW) {
		tpl *item = tpl_add(t, "users");
		tpl_set_int(item, "id", db_col_int64(st, 0));
		tpl_set(item, "username", db_col_text(st, 1));
		tpl_set(item, "role", db_col_text(st, 2));
		tpl_set(item, "scope", db_col_text(st, 3) ? db_col_text(st, 3) : "");
		if (db_col_int64(st, 4))
			tpl_set(item, "disabled", "1");
		if (db_col_int64(st, 5) > now)
			tpl_set(item, "locked", "1");
		if (db_col_int64(st, 6))
			tpl_set(item, "totp", "1");
		if (!db_col_is_null(st, 7)) {
			char when[17];
			date_format_tr_time(db_col_int64(st, 7), when);
			tpl_set(item, "last_login", when);
		}
		if (db_col_int64(st, 0) == who->id)
			tpl_set(item, "self", "1");
	}
	db_finalize(st);
	st = db_prepare(d, "SELECT code, name FROM authority_units ORDER BY code");
	if (st != NULL) {
		while (db_step(st) == DB_ROW) {
			tpl *item = tpl_add(t, "units");
			tpl_set(item, "code", db_col_text(st, 0));
			tpl_set(item, "name", db_col_text(st, 1));
		}
		db_finalize(st);
	}
	reply_page(r, status, "konsol_kullanicilar.html", t);
}

void console_users_get(req *r)
{
	struct staff who;
	db *d = console_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_ADMIN, &who) != 0)
		return;
	users_page(r, d, &who, 200, NULL, NULL);
}

static int audit_user(req *r, db *d, const struct staff *who, const char *username,
		      const char *action, const char *detail)
{
	return audit_append(d, &(struct audit_entry){
		.actor = who->actor, .client_ip = req_client_ip(r),
		.object = arena_printf(req_arena(r), "staff:%s", username), .action = action,
		.detail = detail});
}

/* Creates an account; the password is shown once when generated. */
static void user_create(req *r, db *d, const struct staff *who)
{
	const char *username = field_or_empty(r, "kullanici_adi");
	const char *scope = field_or_empty(r, "yetki_birimi");
	const char *typed = field_or_empty(r, "parola");
	int role = staff_role_parse(field_or_empty(r, "rol"));
	/* Room for any password the form accepts (users_fields: 256 bytes); a
	 * smaller buffer turned a long typed password into "". */
	char pw[257], err[256] = "";
	if (role < 0) {
		users_page(r, d, who, 400, "Geçerli bir rol seçiniz.", NULL);
		return;
	}
	if (db_query_int64(d, 0, "SELECT COUNT(*) FROM staff_users WHERE username = $1", username,
			   NULL) > 0) {
		users_page(r, d, who, 409, "Bu kullanıcı adıyla bir hesap zaten var.", NULL);
		return;
	}
	if (*typed)
		snprintf(pw, sizeof pw, "%s", strlen(typed) < sizeof pw ? typed : "");
	else
		staff_password_generate(pw, sizeof pw);
	int rc = db_begin(d);
	if (rc == 0)
		rc = staff_add(d, username, (enum staff_role)role, scope, pw, err, sizeof err);
	if (rc == 0)
		rc = audit_user(r, d, who, username, "staff_created",
				arena_printf(req_arena(r), "rol %s%s%s", staff_role_name(role),
					     role == STAFF_YETKILI ? ", yetki birimi " : "",
					     role == STAFF_YETKILI ? scope : ""));
	if (rc != 0 || db_commit(d) != 0) {
		db_rollback(d);
		sodium_memzero(pw, sizeof pw);
		users_page(r, d, who, 400, *err ? err : "Hesap oluşturulamadı.", NULL);
		return;
	}
	/* A generated password is shown once, in this answer only. */
	if (*typed == '\0') {
		reply_header(r, "Cache-Control", "no-store");
		users_page(r, d, who, 200, NULL, arena_strdup(req_arena(r), pw));
	} else {
		console_flash(r, "Hesap oluşturuldu.");
		reply_redirect(r, "/konsol/kullanicilar");
	}
	sodium_memzero(pw, sizeof pw);
}

void console_users_post(req *r)
{
	struct staff who;
	db *d = console_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_ADMIN, &who) != 0)
		return;
	const char *op = field_or_empty(r, "islem");
	if (strcmp(op, "ekle") == 0) {
		user_create(r, d, &who);
		return;
	}
	static const struct {
		const char *op, *sql, *action, *done;
	} ops[] = {
		{"devre_disi", "UPDATE staff_users SET disabled = 1 WHERE id = $1", "staff_disabled",
		 "Hesap devre dışı bırakıldı."},
		{"etkinlestir", "UPDATE staff_users SET disabled = 0, failed_count = 0, "
				"locked_until = 0 WHERE id = $1", "staff_enabled", "Hesap etkinleştirildi."},
		{"totp_sifirla", "UPDATE staff_users SET totp_secret = NULL, totp_last_step = 0 "
				 "WHERE id = $1", "staff_totp_reset",
		 "İki aşamalı doğrulama sıfırlandı; hesap bir sonraki girişte yeniden kaydolur."},
	};
	int64_t id = console_parse_id(req_field(r, "kullanici"));
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if (strcmp(op, ops[i].op) != 0)
			continue;
		if (id == who.id && i == 0) {
			users_page(r, d, &who, 400, "Kendi hesabınızı devre dışı bırakamazsınız.", NULL);
			return;
		}
		db_stmt *st = db_prepare(d, "SELECT username FROM staff_users WHERE id = $1");
		const char *name = NULL;
		if (st != NULL) {
			db_bind_int64(st, 1, id);
			if (db_step(st) == DB_ROW)
				name = arena_strdup(req_arena(r), db_col_text(st, 0));
			db_finalize(st);
		}
		if (name == NULL) {
			reply_error(r, 404, "Hesap bulunamadı.");
			return;
		}
		int rc = db_begin(d);
		if (rc == 0) {
			rc = -1;
			st = db_prepare(d, ops[i].sql);
			if (st != NULL) {
				db_bind_int64(st, 1, id);
				rc = db_step(st) == DB_DONE ? 0 : -1;
				db_finalize(st);
			}
		}
		if (rc == 0)
			rc = audit_user(r, d, &who, name, ops[i].action, NULL);
		if (rc != 0 || db_commit(d) != 0) {
			db_rollback(d);
			reply_error(r, 500, "İşlem tamamlanamadı.");
			return;
		}
		console_flash(r, ops[i].done);
		reply_redirect(r, "/konsol/kullanicilar");
		return;
	}
	reply_error(r, 400, "Geçersiz işlem.");
}
