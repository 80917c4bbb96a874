/* Shared pieces of the staff console: who is logged in, scoped loading of
 * applications, one-transaction state steps, CSV export and pagination. */
#include <stdlib.h>
#include <string.h>

#include "domain/application.h"
#include "util/clock.h"
#include "util/log.h"
#include "web/console.h"

static const char *const role_labels[STAFF_ROLE__MAX] = {"Kurum Yetkilisi", "SM Operatörü",
							 "Yönetici"};

int64_t console_parse_id(const char *s)
{
	char *end = NULL;
	if (s == NULL || *s < '1' || *s > '9' || strlen(s) > 18)
		return 0;
	long long v = strtoll(s, &end, 10);
	if (end == NULL || *end != '\0' || v <= 0)
		return 0;
	return (int64_t)v;
}

/* Reads the account behind the session; 0 ok, 1 gone/disabled/expired. */
static int load_staff(req *r, db *d, int64_t id, int64_t login_at, struct staff *who)
{
	struct staff_user u;
	int rc = staff_user_load(d, req_arena(r), id, &u);
	if (rc != 0)
		return rc;
	if (u.role < 0 || u.disabled || u.login_at != login_at ||
	    clock_now() - login_at > CONSOLE_LOGIN_MAX)
		return 1;
	who->id = id;
	who->username = u.username;
	who->role = (enum staff_role)u.role;
	who->scope = u.scope;
	who->actor = arena_printf(req_arena(r), "%s:%s", staff_role_name(who->role), who->username);
	who->label = role_labels[who->role];
	return 0;
}

int console_staff_or_reply(req *r, db *d, unsigned roles, struct staff *who)
{
	memset(who, 0, sizeof *who);
	int64_t id = console_parse_id(session_get(r, "konsol_uid"));
	int64_t login_at = console_parse_id(session_get(r, "konsol_login_at"));
	int rc = id > 0 && login_at > 0 ? load_staff(r, d, id, login_at, who) : 1;
	if (rc < 0) {
		reply_error(r, 500, "Oturum bilgisi okunamadı.");
		return -1;
	}
	if (rc == 1) {
		if (id > 0)
			session_destroy(r);
		reply_redirect(r, "/konsol/giris");
		return -1;
	}
	if (!(roles & (1u << who->role))) {
		reply_error(r, 403, "Bu sayfa için yetkiniz yok.");
		return -1;
	}
	return 0;
}

void console_flash(req *r, const char *message)
{
	session_set(r, "konsol_flash", message);
}

void console_flash_error(req *r, const char *message)
{
	session_set(r, "konsol_flash_error", message);
}

tpl *console_tpl(req *r, const struct staff *who, const char *title)
{
	tpl *t = tpl_new(r);
	tpl_set(t, "title", title);
	tpl_set(t, "konsol", "1");
	const char *flash = session_get(r, "konsol_flash");
	if (flash != NULL) {
		tpl_set(t, "flash", flash);
		session_set(r, "konsol_flash", NULL);
	}
	const char *flash_error = session_get(r, "konsol_flash_error");
	if (flash_error != NULL) {
		tpl_set(t, "flash_error", flash_error);
		session_set(r, "konsol_flash_error", NULL);
	}
	if (who != NULL) {
		tpl_set(t, "me", who->username);
		tpl_set(t, "me_role", role_labels[who->role]);
		tpl_set(t, "me_scope", who->scope);
		tpl_set(t,
			who->role == STAFF_YETKILI    ? "is_yetkili"
			: who->role == STAFF_OPERATOR ? "is_operator"
						      : "is_admin",
			"1");
	}
	return t;
}

struct access_actor console_access(const struct staff *who)
{
	return (struct access_actor){.authority = who->role == STAFF_YETKILI, .scope = who->scope};
}

int console_application_or_reply(req *r, db *d, const struct staff *who, int64_t id,
				 struct application *app)
{
	int rc = id > 0 ? application_load(d, req_arena(r), id, app) : 1;
	if (rc < 0) {
		log_error("konsol: loading application %lld failed: %s", (long long)id,
			  db_errmsg(d));
		reply_error(r, 500, "Başvuru okunamadı.");
		return -1;
	}
	/* Out of scope looks exactly like unknown: never reveal existence. */
	struct access_actor actor = console_access(who);
	if (rc == 1 || !access_may_see(&actor, app->yetki_birimi)) {
		reply_error(r, 404, "Başvuru bulunamadı.");
		return -1;
	}
	return 0;
}

/* ---- CSV ---- */

void console_csv_start(buf *b)
{
	buf_init(b, 16 * 1024 * 1024);
	buf_puts(b, "\xef\xbb\xbf");
}

void console_csv_row(buf *b, const char *const *cells, int n)
{
	for (int i = 0; i < n; i++) {
		const char *s = cells[i] ? cells[i] : "";
		buf_putc(b, '"');
		if (strchr("=+-@\t\r", *s) != NULL && *s != '\0')
			buf_putc(b, '\'');
		for (; *s; s++) {
			if (*s == '"')
				buf_putc(b, '"');
			buf_putc(b, *s);
		}
		buf_putc(b, '"');
		buf_puts(b, i + 1 < n ? "," : "\r\n");
	}
}

void console_csv_reply(req *r, buf *b, const char *filename)
{
	if (b->err) {
		buf_free(b);
		reply_error(r, 500, "Liste dışa aktarılamadı: çok büyük.");
		return;
	}
	char *copy = arena_strndup(req_arena(r), b->data, b->len);
	size_t n = b->len;
	buf_free(b);
	if (copy == NULL) {
		reply_error(r, 500, "Liste dışa aktarılamadı.");
		return;
	}
	reply_header(r, "Content-Disposition",
		     arena_printf(req_arena(r), "attachment; filename=\"%s\"", filename));
	reply_header(r, "Cache-Control", "no-store");
	reply_bytes(r, 200, "text/csv; charset=utf-8", copy, n);
}

int console_want_csv(req *r)
{
	const char *f = req_field(r, "bicim");
	return f != NULL && strcmp(f, "csv") == 0;
}

/* ---- pagination ---- */

int console_page(req *r)
{
	int64_t p = console_parse_id(req_field(r, "sayfa"));
	return p >= 1 && p <= 100000 ? (int)p : 1;
}

void console_set_pager(req *r, tpl *t, const char *base, const char *query, int page, int has_next)
{
	arena *a = req_arena(r);
	const char *sep = query && *query ? "&" : "";
	tpl_set_int(t, "page", page);
	if (page > 1)
		tpl_set(t, "prev_url",
			arena_printf(a, "%s?%s%ssayfa=%d", base, query ? query : "", sep,
				     page - 1));
	if (has_next)
		tpl_set(t, "next_url",
			arena_printf(a, "%s?%s%ssayfa=%d", base, query ? query : "", sep,
				     page + 1));
	tpl_set(t, "csv_url", arena_printf(a, "%s?%s%sbicim=csv", base, query ? query : "", sep));
}
