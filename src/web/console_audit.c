/* The audit page (/konsol/denetim, administrators): the hash-chained log
 * with filters by object, actor and date, paginated, with CSV export and
 * the result of a chain verification. */
#include <string.h>

#include "domain/date.h"
#include "store/audit.h"
#include "util/log.h"
#include "web/console.h"

#define AUDIT_PAGE 50
#define AUDIT_CSV_MAX 50000

static const char *field_or_empty(req *r, const char *name)
{
	const char *v = req_field(r, name);
	return v ? v : "";
}

/* "%s%" prefix pattern for LIKE with \ escapes (arena). */
static const char *prefix_pattern(req *r, const char *s)
{
	size_t n = strlen(s);
	char *p = arena_alloc(req_arena(r), n * 2 + 2), *o = p;
	if (p == NULL)
		return "%";
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o++ = '%';
	*o = '\0';
	return p;
}

void console_audit_get(req *r)
{
	struct staff who;
	db *d = console_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_ADMIN, &who) != 0)
		return;
	const char *object = field_or_empty(r, "nesne"), *actor = field_or_empty(r, "aktor");
	const char *from_s = field_or_empty(r, "baslangic"), *to_s = field_or_empty(r, "bitis");
	int64_t from = date_tr_day_start(from_s), to = date_tr_day_start(to_s);
	if (to)
		to += 86400;
	int csv = console_want_csv(r), page = console_page(r);
	int64_t limit = csv ? AUDIT_CSV_MAX : AUDIT_PAGE + 1;
	db_stmt *st = db_prepare(d, "SELECT id, at, actor, client_ip, object, action, "
				    "before_state, after_state, detail FROM audit_log "
				    "WHERE ($1 = '' OR object LIKE $2 ESCAPE '\\') "
				    "AND ($3 = '' OR actor LIKE $4 ESCAPE '\\') "
				    "AND ($5 = 0 OR at >= $5) AND ($6 = 0 OR at < $6) "
				    "ORDER BY id DESC LIMIT $7 OFFSET $8");
	if (st == NULL) {
		reply_error(r, 500, "Denetim kaydı okunamadı.");
		return;
	}
	db_bind_text(st, 1, object);
	db_bind_text(st, 2, prefix_pattern(r, object));
	db_bind_text(st, 3, actor);
	db_bind_text(st, 4, prefix_pattern(r, actor));
	db_bind_int64(st, 5, from);
	db_bind_int64(st, 6, to);
	db_bind_int64(st, 7, limit);
	db_bind_int64(st, 8, csv ? 0 : (int64_t)(page - 1) * AUDIT_PAGE);
	static const char *const head[] = {"No", "Zaman", "İşlemi Yapan", "İstemci Adresi",
					   "Nesne", "İşlem", "Önceki Durum", "Sonraki Durum",
					   "Açıklama"};
	buf b;
	tpl *t = console_tpl(r, &who, "Denetim Kaydı");
	if (csv) {
		console_csv_start(&b);
		console_csv_row(&b, head, 9);
	}
	int n = 0, more = 0;
	while (db_step(st) == DB_ROW) {
		char when[17];
		date_format_tr_time(db_col_int64(st, 1), when);
		const char *id = arena_printf(req_arena(r), "%lld", (long long)db_col_int64(st, 0));
		const char *cells[9] = {id,
					when,
					db_col_text(st, 2),
					db_col_text(st, 3),
					db_col_text(st, 4),
					db_col_text(st, 5),
					db_col_text(st, 6),
					db_col_text(st, 7),
					db_col_text(st, 8)};
		if (csv) {
			console_csv_row(&b, cells, 9);
			continue;
		}
		if (n == AUDIT_PAGE) {
			more = 1;
			break;
		}
		tpl *item = tpl_add(t, "rows");
		static const char *const keys[9] = {"id",	  "when",   "actor",
						    "ip",	  "object", "action",
						    "before", "after",  "detail"};
		for (int i = 0; i < 9; i++)
			tpl_set(item, keys[i], cells[i] ? cells[i] : "");
		n++;
	}
	db_finalize(st);
	if (csv) {
		console_csv_reply(r, &b, "denetim-kaydi.csv");
		return;
	}
	char msg[512];
	int64_t checked = 0;
	int v = audit_verify(d, msg, sizeof msg, &checked);
	tpl_set(t, v == 0 ? "chain_ok" : "chain_bad", "1");
	tpl_set(t, "chain_msg", v < 0 ? "Zincir doğrulanamadı (veritabanı hatası)." : msg);
	if (n == 0)
		tpl_set(t, "empty", "1");
	tpl_set(t, "f_nesne", object);
	tpl_set(t, "f_aktor", actor);
	tpl_set(t, "f_baslangic", from_s);
	tpl_set(t, "f_bitis", to_s);
	arena *a = req_arena(r);
	const char *query = arena_printf(a, "nesne=%s&aktor=%s&baslangic=%s&bitis=%s",
					 http_url_encode(a, object), http_url_encode(a, actor),
					 http_url_encode(a, from_s), http_url_encode(a, to_s));
	console_set_pager(r, t, "/konsol/denetim", query, page, more);
	reply_page(r, 200, "konsol_denetim.html", t);
}
