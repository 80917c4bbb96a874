/* The audit page (/konsol/denetim, administrators): the hash-chained log
 * with filters by object, actor and date, paginated, with CSV export and
 * the result of a verification of the chain and its newest signed
 * checkpoint. */
#include <string.h>

#include "domain/display.h"
#include "app/audit_check.h"
#include "domain/date.h"
#include "store/audit.h"
#include "util/config.h"
#include "util/log.h"
#include "web/console.h"

#define AUDIT_PAGE 50
#define AUDIT_CSV_MAX 50000

static const char *field_or_empty(req *r, const char *name)
{
	const char *v = req_field(r, name);
	return v ? v : "";
}

static const char *const audit_head[] = {"No",	    "Zaman", "İşlemi Yapan", "İstemci Adresi",
					 "Nesne",   "İşlem", "Önceki Durum", "Sonraki Durum",
					 "Açıklama"};

/* Where the listed records go: CSV rows, or a page of template rows. */
struct listing {
	req *r;
	tpl *t;
	buf *csv; /* NULL: the page */
	int n, more;
};

static int list_one(void *ctx, const struct audit_record *rec)
{
	static const char *const keys[9] = {"id",     "when",	"actor", "ip",	  "object",
					    "action", "before", "after", "detail"};
	struct listing *l = ctx;
	char when[17];
	date_format_tr_time(rec->at, when);
	const char *id = arena_printf(req_arena(l->r), "%lld", (long long)rec->id);
	const char *cells[9] = {id,
				when,
				rec->e.actor,
				rec->e.client_ip,
				rec->e.object,
				rec->e.action,
				rec->e.before,
				rec->e.after,
				rec->e.detail};
	if (l->csv != NULL) {
		console_csv_row(l->csv, cells, 9);
		return 0;
	}
	if (l->n == AUDIT_PAGE) {
		l->more = 1;
		return 1;
	}
	tpl *item = tpl_add(l->t, "rows");
	char actor[160];
	display_actor(rec->e.actor, actor, sizeof actor); /* the CSV keeps it as stored */
	cells[2] = actor;
	for (int i = 0; i < 9; i++)
		tpl_set(item, keys[i], cells[i] ? cells[i] : "");
	l->n++;
	return 0;
}

void console_audit_get(req *r)
{
	struct staff who;
	db *d = web_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_ADMIN, &who) != 0)
		return;
	const char *object = field_or_empty(r, "nesne"), *actor = field_or_empty(r, "aktor");
	const char *from_s = field_or_empty(r, "baslangic"), *to_s = field_or_empty(r, "bitis");
	struct audit_filter f = {.object = object,
				 .actor = actor,
				 .from = date_tr_day_start(from_s),
				 .to = date_tr_day_start(to_s)};
	if (f.to)
		f.to += 86400;
	int csv = console_want_csv(r), page = console_page(r);
	int64_t limit = csv ? AUDIT_CSV_MAX : AUDIT_PAGE + 1;
	buf b;
	struct listing l = {.r = r,
			    .t = console_tpl(r, &who, "Denetim Kaydı"),
			    .csv = csv ? &b : NULL};
	if (csv) {
		console_csv_start(&b);
		console_csv_row(&b, audit_head, 9);
	}
	if (audit_list(d, &f, limit, csv ? 0 : (int64_t)(page - 1) * AUDIT_PAGE, list_one, &l) !=
	    0) {
		if (csv)
			buf_free(&b);
		reply_error(r, 500, "Denetim kaydı okunamadı.");
		return;
	}
	if (csv) {
		console_csv_reply(r, &b, "denetim-kaydi.csv");
		return;
	}
	tpl *t = l.t;
	struct audit_report rep;
	int v = app_audit_check(d, config_get("ca.dir"), &rep);
	tpl_set(t, v == 0 ? "chain_ok" : "chain_bad", "1");
	tpl_set(t, "chain_msg", rep.chain_msg);
	if (rep.cp_msg[0] != '\0')
		tpl_set(t, "checkpoint_msg", rep.cp_msg);
	if (l.n == 0)
		tpl_set(t, "empty", "1");
	tpl_set(t, "f_nesne", object);
	tpl_set(t, "f_aktor", actor);
	tpl_set(t, "f_baslangic", from_s);
	tpl_set(t, "f_bitis", to_s);
	arena *a = req_arena(r);
	const char *query = arena_printf(a, "nesne=%s&aktor=%s&baslangic=%s&bitis=%s",
					 http_url_encode(a, object), http_url_encode(a, actor),
					 http_url_encode(a, from_s), http_url_encode(a, to_s));
	console_set_pager(r, t, "/konsol/denetim", query, page, l.more);
	reply_page(r, 200, "konsol_denetim.html", t);
}
