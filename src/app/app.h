/* The application layer: one function per use case, between the handlers
 * (web/, and the command line) and the repositories (store/).
 *
 * A use case owns its transaction: it begins, checks the rules (pure
 * functions of domain/), changes what it must through store/, appends the
 * audit record and queues the notices, and commits, all or nothing. It
 * answers with an enum uc_rc; a handler maps that to an HTTP status and a
 * Turkish page with one table (web_reply_uc), so error handling is written
 * once. A use case never sees a request: what it needs from one (who acts,
 * from which address) travels in struct uc_ctx. */
#ifndef EIMZA_APP_APP_H
#define EIMZA_APP_APP_H

#include <stdint.h>

#include "domain/application.h"
#include "notify/notify.h"
#include "store/application.h"
#include "store/db.h"
#include "util/arena.h"

enum uc_rc {
	UC_OK,
	UC_INVALID,	/* input refused by a rule: c->message says why (400) */
	UC_NOT_FOUND,	/* no such object, or outside the actor's scope (404) */
	UC_FORBIDDEN,	/* the actor may not do this (403) */
	UC_CONFLICT,	/* the object is not (or no longer) in a state for it (409) */
	UC_LIMITED,	/* too many tries or too soon: c->message says (429) */
	UC_UNAVAILABLE, /* the database cannot be reached (503) */
	UC_ERROR,	/* a storage or internal failure, already logged (500) */
	UC__MAX
};

/* "ok", "invalid", ...: for logs. "?" if out of range. */
const char *uc_rc_name(enum uc_rc rc);

/* Who acts, from where, and when; and what a use case says back. */
struct uc_ctx {
	db *d;
	arena *a;		 /* results and messages live here */
	const char *actor;	 /* audit actor: "basvuru:<tckn>", "yetkili:ayse", "cli:root" */
	const char *actor_label; /* what the applicant reads as "İşlemi yapan" */
	const char *client_ip;	 /* may be NULL */
	int64_t now;
	const char *message; /* with UC_INVALID, UC_CONFLICT, UC_LIMITED: Turkish text */
	const char *field;   /* the form field message belongs to, or NULL */
};

/* Fills c for one use case at clock_now(); message and field cleared. */
void uc_ctx_init(struct uc_ctx *c, db *d, arena *a, const char *actor, const char *actor_label,
		 const char *client_ip);

/* Sets c->message (static or arena text) and c->field, returns rc. */
enum uc_rc uc_fail(struct uc_ctx *c, enum uc_rc rc, const char *field, const char *message);

/* Begins c's transaction: UC_OK or UC_ERROR (logged). */
enum uc_rc uc_begin(struct uc_ctx *c);
/* Ends it: commits when rc is UC_OK (a failed commit gives UC_ERROR),
 * otherwise rolls back. Returns the final rc. */
enum uc_rc uc_end(struct uc_ctx *c, enum uc_rc rc);

/* One step of an application's life. */
struct uc_step {
	enum app_event ev;
	int fee_due;		  /* only for SIGNING_CHOSEN_*: a fee is owed */
	const char *action;	  /* audit action; NULL: the event's name */
	const char *note;	  /* history note shown to the applicant; may be NULL */
	const char *detail;	  /* audit detail; NULL: the note */
	const char *notify;	  /* message template to the applicant; NULL: none */
	struct notify_vars *vars; /* extra template values; "name" and
				   * "application_no" are set here; may be NULL */
};

/* Applies s->ev to app with the pure app_transition() and, inside the
 * caller's open transaction: stores the new state and flags only if the
 * stored state is still app's (a concurrent change gives UC_CONFLICT),
 * appends the history event and the audit record, and queues the notice
 * through the applicant's Bilgi Kanalı. On UC_OK app->state and app->flags
 * hold the new values. UC_CONFLICT also when the event is not allowed. */
enum uc_rc application_step(struct uc_ctx *c, struct application *app, const struct uc_step *s);

/* "application:<number>": the audit object of an application. */
const char *uc_application_object(struct uc_ctx *c, const struct application *app);

#endif
