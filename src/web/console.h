/* The staff console (/konsol): institution authorities (yetkili), CA
 * operators and administrators; plus the public courier tracking page and
 * the courier API (tracking.c). Shared pieces of console_*.c. */
#ifndef EIMZA_WEB_CONSOLE_H
#define EIMZA_WEB_CONSOLE_H

#include <stdint.h>

#include "http/http.h"
#include "web/web.h"
#include "store/application.h"
#include "store/db.h"
#include "store/staff.h"
#include "util/buf.h"

extern const struct route console_routes[];

/* Role bits for console_staff_or_reply(). */
#define CONSOLE_YETKILI (1u << STAFF_YETKILI)
#define CONSOLE_OPERATOR (1u << STAFF_OPERATOR)
#define CONSOLE_ADMIN (1u << STAFF_ADMIN)
#define CONSOLE_ANY (CONSOLE_YETKILI | CONSOLE_OPERATOR | CONSOLE_ADMIN)

/* The longest a console login lasts, idle or not (seconds). */
#define CONSOLE_LOGIN_MAX (8 * 3600)

/* A logged-in staff member (strings in the request's arena). */
struct staff {
	int64_t id;
	const char *username;
	enum staff_role role;
	const char *scope; /* yetki_birimi of a yetkili, "" otherwise */
	const char *actor; /* "yetkili:ayse", for the audit trail */
	const char *label; /* "Kurum Yetkilisi": who the applicant's history names */
};

/* Fills `who` from the session after checking the account still exists, is
 * enabled, and the login is younger than CONSOLE_LOGIN_MAX. Nobody logged
 * in: redirects to /konsol/giris. Logged in with a role outside `roles`:
 * replies 403. Either way returns -1 and the caller just returns. */
int console_staff_or_reply(req *r, db *d, unsigned roles, struct staff *who);
/* Sets the values the console's pages share (user name, role, menu). */
tpl *console_tpl(req *r, const struct staff *who, const char *title);

/* Loads application `id` as `who` may see it: a yetkili only within its
 * scope. 0 found; otherwise replies (404 for unknown or out of scope, 500)
 * and returns -1. */
int console_application_or_reply(req *r, db *d, const struct staff *who, int64_t id,
				 struct application *app);
/* A one-time message shown on the next console page (kept in the session). */
void console_flash(req *r, const char *message);
/* The same for a refused action: shown once as an error (role=alert). */
void console_flash_error(req *r, const char *message);
/* After a refused operator step: keeps what was posted in the application
 * page's forms and the message (also as the error on top), shown once by
 * console_drafts_show(): values as taslak_<name>, the message as
 * hata_<field> beside the field the rule named (NULL: on top only). */
void console_drafts_keep(req *r, const char *field, const char *message);
void console_drafts_show(req *r, tpl *t);
/* Parses a positive decimal id; 0 if absent or malformed. */
int64_t console_parse_id(const char *s);

/* CSV export: a UTF-8 BOM, then rows. Cells that start with = + - @ (or
 * TAB/CR) get a leading apostrophe so a spreadsheet does not run them as
 * formulas; every cell is quoted. */
void console_csv_start(buf *b);
void console_csv_row(buf *b, const char *const *cells, int n);
/* Sends b as text/csv attachment `filename` and frees b. */
void console_csv_reply(req *r, buf *b, const char *filename);
/* 1 when the request asks for CSV (?bicim=csv). */
int console_want_csv(req *r);

/* Pagination: page number from ?sayfa= (1-based, at most 100000). */
int console_page(req *r);
/* Sets prev_url / next_url / page values, keeping the other filters. */
void console_set_pager(req *r, tpl *t, const char *base, const char *query, int page, int has_next);

/* The operator's part of an application page (console_operator.c):
 * paperwork, payment and shipment facts, plus the action forms for an
 * operator (_detail) or the facts only (_facts). */
struct tpl;
void console_operator_detail(req *r, db *d, tpl *t, const struct application *app);
void console_operator_facts(req *r, db *d, tpl *t, const struct application *app);

/* Handlers. */
void console_login_get(req *r);
void console_login_post(req *r);
void console_totp_get(req *r);
void console_totp_post(req *r);
void console_logout_post(req *r);
void console_password_get(req *r);
void console_password_post(req *r);
void console_users_get(req *r);
void console_users_post(req *r);
void console_dashboard(req *r);
void console_queue(req *r);
void console_application_get(req *r);
void console_decide_post(req *r);
void console_bulk_approve_post(req *r);
void console_expiring(req *r);
void console_operator_get(req *r);
void console_paperwork_post(req *r);
void console_payment_post(req *r);
void console_issue_post(req *r);
/* Queues the card production of an approved application (POST
 * /konsol/kart-uret, field id). */
void console_card_queue_post(req *r);
void console_ship_post(req *r);
void console_delivered_post(req *r);
void console_returned_post(req *r);
void console_audit_get(req *r);
void tracking_get(req *r);
void tracking_api_post(req *r);

/* The staff member as domain/access.h's rules see them (borrows who). */
#include "domain/access.h"
struct access_actor console_access(const struct staff *who);

#endif
