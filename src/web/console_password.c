/* /konsol/parola: a staff member changes their own password (the current
 * one, then the new one twice). The rules are app/staff.c's
 * staff_password_change; the Argon2id work runs under the console's gate
 * (app/staff_throttle.h). Every other session of the account ends; this
 * one goes on with a new id. */
#include <string.h>

#include "app/staff.h"
#include "app/staff_throttle.h"
#include "domain/throttle.h"
#include "web/console.h"

static void password_page(req *r, const struct staff *who, int status, const char *field,
			  const char *error)
{
	tpl *t = console_tpl(r, who, "Parolamı Değiştir");
	if (field != NULL && error != NULL) {
		/* "yeni_parola" -> yeni_parola_error beside that field. */
		tpl_set(t, arena_printf(req_arena(r), "%s_error", field), error);
	} else if (error != NULL) {
		tpl_set(t, "error", error);
	}
	reply_page(r, status, "konsol_parola.html", t);
}

void console_password_get(req *r)
{
	struct staff who;
	db *d = web_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_ANY, &who) != 0)
		return;
	password_page(r, &who, 200, NULL, NULL);
}

void console_password_post(req *r)
{
	struct staff who;
	struct uc_ctx c;
	db *d = web_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_ANY, &who) != 0)
		return;
	if (staff_hash_enter() != 0) {
		reply_header(r, "Retry-After", "1");
		password_page(r, &who, 429, NULL,
			      "Sunucu şu anda yoğun. Lütfen birkaç saniye sonra tekrar deneyin.");
		return;
	}
	uc_ctx_init(&c, d, req_arena(r), who.actor, who.label, req_client_ip(r));
	enum uc_rc rc = staff_password_change(&c, who.id, req_field(r, "mevcut_parola"),
					      req_field(r, "yeni_parola"),
					      req_field(r, "yeni_parola_tekrar"));
	staff_hash_leave();
	if (rc == UC_INVALID || rc == UC_FORBIDDEN) {
		password_page(r, &who, 400, c.field, c.message);
		return;
	}
	if (rc != UC_OK) {
		reply_error(r, 500, "Parola değiştirilemedi.");
		return;
	}
	/* The account's login_at is now c.now: this session carries it on. */
	if (session_rotate(r) != 0 ||
	    session_set(r, "konsol_login_at",
			arena_printf(req_arena(r), "%lld", (long long)c.now)) != 0) {
		reply_error(r, 500, "Parola değiştirildi; lütfen yeniden giriş yapın.");
		return;
	}
	console_flash(r, "Parolanız değiştirildi. Diğer oturumlarınız kapatıldı.");
	reply_redirect(r, "/konsol");
}
