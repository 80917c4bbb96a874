/* The web layer: every route table of the product, registered in one place. */
#ifndef EIMZA_WEB_H
#define EIMZA_WEB_H

#include <stdio.h>

#include "app/app.h"
#include "http/http.h"
#include "store/db.h"

/* Registers every route (the dev routes only exist when dev is set; the
 * HTTP core enforces ROUTE_DEV too). */
void web_register_routes(int dev);

/* Replies for a use case that did not succeed: one table maps rc to the
 * HTTP status and the Turkish page; c->message (when set) is the page's
 * text, otherwise the table's. For UC_OK it does nothing. */
void web_reply_uc(req *r, const struct uc_ctx *c, enum uc_rc rc);
/* The HTTP status of rc (200 for UC_OK). */
int web_uc_status(enum uc_rc rc);
/* This thread's database handle, or replies 503 (UC_UNAVAILABLE) and
 * returns NULL: the caller just returns. */
db *web_db_or_reply(req *r);
/* A use-case context for this request: this thread's database (NULL when
 * unreachable: the caller replies web_reply_uc(r, c, UC_UNAVAILABLE)), the
 * request's arena and client address. */
db *web_uc_ctx(req *r, struct uc_ctx *c, const char *actor, const char *actor_label);

/* `init --demo`: staff accounts for the demo, with passwords printed once.
 * 0 on success. */
int web_demo_staff(db *d, FILE *report);

#endif
