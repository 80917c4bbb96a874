/* Staff accounts in the console (/konsol/kullanicilar, administrators):
 * list, create (password typed or generated and shown once), disable,
 * enable, reset the second factor. Each change is audited. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/staff.h"
#include "domain/date.h"
#include "util/clock.h"
#include "web/console.h"
#include "web/web.h"

static const char *field_or_empty(req *r, const char *name)
{
	const char *v = req_field(r, name);
	return v ? v : "";
}

/* The accounts page. An error with field "parola" is shown beside the new
 * account's password field, any other at the top. */
static void users_page(req *r, db *d, const struct staff *who, int status, const char *error,
		       const char *field, const char *new_password)
{
	tpl *t = console_tpl(r, who, "Personel Hesapları");
	int64_t now = clock_now();
	struct staff_user *users;
	struct staff_unit *units;
	size_t n, nunits;
	if (error)
		tpl_set(t, field != NULL && strcmp(field, "parola") == 0 ? "parola_error" : "error",
			error);
	if (new_password)
		tpl_set(t, "new_password", new_password);
	/* A refused new account keeps what was typed, except the password. */
	const char *typed_unit = "";
	if (error && strcmp(field_or_empty(r, "islem"), "ekle") == 0) {
		const char *role = field_or_empty(r, "rol");
		tpl_set(t, "f_kullanici_adi", field_or_empty(r, "kullanici_adi"));
		if (strcmp(role, "operator") == 0 || strcmp(role, "admin") == 0)
			tpl_set(t, strcmp(role, "admin") == 0 ? "rol_admin" : "rol_operator", "1");
		typed_unit = field_or_empty(r, "yetki_birimi");
	}
	if (staff_user_list(d, req_arena(r), &users, &n) != 0) {
		reply_error(r, 500, "Hesaplar okunamadı.");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct staff_user *u = &users[i];
		tpl *item = tpl_add(t, "users");
		tpl_set_int(item, "id", u->id);
		tpl_set(item, "username", u->username);
		tpl_set(item, "role", u->role_text);
		tpl_set(item, "scope", u->scope);
		if (u->disabled)
			tpl_set(item, "disabled", "1");
		if (u->locked_until > now)
			tpl_set(item, "locked", "1");
		if (u->has_totp)
			tpl_set(item, "totp", "1");
		if (u->has_logged_in) {
			char when[17];
			date_format_tr_time(u->last_login_at, when);
			tpl_set(item, "last_login", when);
		}
		if (u->id == who->id)
			tpl_set(item, "self", "1");
	}
	if (staff_units(d, req_arena(r), &units, &nunits) == 0) {
		for (size_t i = 0; i < nunits; i++) {
			tpl *item = tpl_add(t, "units");
			tpl_set(item, "code", units[i].code);
			tpl_set(item, "name", units[i].name);
			if (strcmp(units[i].code, typed_unit) == 0)
				tpl_set(item, "selected", "1");
		}
	}
	reply_page(r, status, "konsol_kullanicilar.html", t);
}

void console_users_get(req *r)
{
	struct staff who;
	db *d = web_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_ADMIN, &who) != 0)
		return;
	users_page(r, d, &who, 200, NULL, NULL, NULL);
}

/* Creates an account; the password is shown once when generated. */
static void user_create(req *r, db *d, const struct staff *who)
{
	struct uc_ctx c;
	const char *typed = field_or_empty(r, "parola");
	/* Room for any password the form accepts (users_fields: 256 bytes); a
	 * smaller buffer turned a long typed password into "". */
	char pw[513];
	if (*typed)
		snprintf(pw, sizeof pw, "%s", strlen(typed) < sizeof pw ? typed : "");
	else
		staff_password_generate(pw, sizeof pw);
	uc_ctx_init(&c, d, req_arena(r), who->actor, who->label, req_client_ip(r));
	enum uc_rc rc = staff_user_create(&c, field_or_empty(r, "kullanici_adi"),
					  field_or_empty(r, "rol"),
					  field_or_empty(r, "yetki_birimi"), pw);
	if (rc != UC_OK) {
		sodium_memzero(pw, sizeof pw);
		users_page(r, d, who, rc == UC_CONFLICT ? 409 : 400,
			   c.message ? c.message : "Hesap oluşturulamadı.", c.field, NULL);
		return;
	}
	/* A generated password is shown once, in this answer only. */
	if (*typed == '\0') {
		reply_header(r, "Cache-Control", "no-store");
		console_flash(r, "Hesap oluşturuldu.");
		users_page(r, d, who, 200, NULL, NULL, arena_strdup(req_arena(r), pw));
	} else {
		console_flash(r, "Hesap oluşturuldu.");
		reply_redirect(r, "/konsol/kullanicilar");
	}
	sodium_memzero(pw, sizeof pw);
}

/* Gives account `kullanici` a generated password, shown once; every
 * session of that account ends. */
static void password_reset(req *r, db *d, const struct staff *who)
{
	struct uc_ctx c;
	char pw[33];
	staff_password_generate(pw, sizeof pw);
	uc_ctx_init(&c, d, req_arena(r), who->actor, who->label, req_client_ip(r));
	enum uc_rc rc = staff_password_reset(&c, who->id,
					     console_parse_id(req_field(r, "kullanici")), pw);
	if (rc == UC_INVALID)
		users_page(r, d, who, 400, c.message, NULL, NULL);
	else if (rc == UC_NOT_FOUND)
		web_reply_uc(r, &c, rc);
	else if (rc != UC_OK)
		reply_error(r, 500, "İşlem tamamlanamadı.");
	if (rc == UC_OK) {
		reply_header(r, "Cache-Control", "no-store");
		console_flash(r, "Parola sıfırlandı; hesabın açık oturumları kapatıldı.");
		users_page(r, d, who, 200, NULL, NULL, arena_strdup(req_arena(r), pw));
	}
	sodium_memzero(pw, sizeof pw);
}

void console_users_post(req *r)
{
	struct staff who;
	struct uc_ctx c;
	db *d = web_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_ADMIN, &who) != 0)
		return;
	const char *op = field_or_empty(r, "islem");
	if (strcmp(op, "ekle") == 0) {
		user_create(r, d, &who);
		return;
	}
	if (strcmp(op, "parola_sifirla") == 0) {
		password_reset(r, d, &who);
		return;
	}
	static const struct {
		const char *op;
		enum staff_change change;
		const char *done;
	} ops[] = {
		{"devre_disi", STAFF_CHANGE_DISABLE, "Hesap devre dışı bırakıldı."},
		{"etkinlestir", STAFF_CHANGE_ENABLE, "Hesap etkinleştirildi."},
		{"totp_sifirla", STAFF_CHANGE_TOTP_RESET,
		 "İki aşamalı doğrulama sıfırlandı; hesabın oturumları kapatıldı, bir sonraki "
		 "girişte doğrulama uygulaması yeniden tanımlanır."},
	};
	int64_t id = console_parse_id(req_field(r, "kullanici"));
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if (strcmp(op, ops[i].op) != 0)
			continue;
		uc_ctx_init(&c, d, req_arena(r), who.actor, who.label, req_client_ip(r));
		enum uc_rc rc = staff_user_update(&c, who.id, id, ops[i].change);
		if (rc == UC_INVALID)
			users_page(r, d, &who, 400, c.message, NULL, NULL);
		else if (rc == UC_NOT_FOUND)
			web_reply_uc(r, &c, rc);
		else if (rc != UC_OK)
			reply_error(r, 500, "İşlem tamamlanamadı.");
		if (rc != UC_OK)
			return;
		console_flash(r, ops[i].done);
		reply_redirect(r, "/konsol/kullanicilar");
		return;
	}
	reply_error(r, 400, "Geçersiz işlem.");
}
