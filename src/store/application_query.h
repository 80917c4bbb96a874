/* Read-only queries over applications for the staff console: the queue
 * with its filters and Turkish-name search, counts for the dashboard and
 * its charts, the institutions of a scope, the personnel record an
 * application is compared with, and the certificates expiring soon.
 *
 * `scope` everywhere is the authority unit (yetki_birimi) a list is limited
 * to, or NULL for every unit (the CA's staff); domain/access.h's
 * access_scope() gives it. Functions that call back pass typed rows whose
 * strings are valid only during the call; they return 0 when every row was
 * read, -1 on a database error (logged by the backend). */
#ifndef EIMZA_STORE_APPLICATION_QUERY_H
#define EIMZA_STORE_APPLICATION_QUERY_H

#include <stdint.h>

#include "domain/application.h"
#include "domain/form.h"
#include "store/db.h"
#include "util/arena.h"

/* The queue's filters; every member's zero-ish value means "no filter". */
struct application_filter {
	const char *scope;	/* NULL: every unit */
	int state;		/* enum app_state, or -1: any */
	int reason;		/* enum app_reason, or -1: any */
	const char *kurum_kodu; /* NULL or "": any institution */
	int64_t from, to;	/* created_at >= from and < to; 0: open */
	/* NULL or "": no search. Otherwise an exact T.C. Kimlik No or
	 * application number, or a part of "AD SOYAD" compared under Turkish
	 * case rules ("ayşe" finds "AYŞE"); % and _ match themselves. */
	const char *term;
};

/* One line of the queue. */
struct application_row {
	int64_t id;
	const char *number, *tckn, *ad, *soyad, *kurum_adi, *yetki_birimi;
	int reason; /* enum app_reason, -1 if the stored name is unknown */
	int state;  /* enum app_state, -1 if the stored name is unknown */
	int64_t flags, created_at;
	int signing_method; /* enum sign_method, -1 if unknown */
	/* The stored values (as in struct application's form[]) of the form
	 * fields the console exports: those with a csv_label in the form
	 * table; NULL for the others. */
	const char *form[FF__MAX];
};

/* Calls cb for each application matching f, newest first (created_at,
 * then id), skipping `offset` and at most `limit` of them. */
int application_query_list(db *d, const struct application_filter *f, int64_t limit, int64_t offset,
			   void (*cb)(void *ctx, const struct application_row *row), void *ctx);

/* Number of applications in scope in `state` (-1: any) that have the
 * pending flag `flag` set (0: whatever their flags); -1 on error. */
int64_t application_query_count(db *d, const char *scope, int state, enum app_flag flag);

/* Fills counts[s] with the number of applications in scope per state
 * (zero for states that have none). 0 or -1. */
int application_query_count_by_state(db *d, const char *scope, int64_t counts[APP_STATE__MAX]);

/* Fills counts[i] (i < weeks) with the number of applications in scope
 * created in [start + i weeks, start + (i + 1) weeks). 0 or -1. */
int application_query_count_by_week(db *d, const char *scope, int64_t start, int weeks,
				    int64_t *counts);

/* An institution of the scope, for the queue's filter. */
struct institution_row {
	const char *kurum_kodu, *kurum_adi;
};
/* Calls cb for each institution in scope, ordered by name. */
int application_query_institutions(db *d, const char *scope,
				   void (*cb)(void *ctx, const struct institution_row *row),
				   void *ctx);

/* The personnel record (MEBBİS) of a T.C. Kimlik No, with its institution
 * and the name in the population registry, to set beside an application.
 * Members may be NULL (no registry entry). */
struct personnel_view {
	const char *sicil_no, *kurum_kodu, *kurum_adi, *unvan, *birim, *ad, *soyad;
	const char *yetki_birimi;
};
/* 0 found (strings in arena ar), 1 no record, -1 error. */
int application_query_personnel(db *d, arena *ar, const char *tckn, struct personnel_view *out);

/* A valid certificate that expires soon, with its holder's institution. */
struct expiring_row {
	const char *serial_hex, *tckn, *kurum_adi;
	const char *ad, *soyad; /* from the registry; may be NULL */
	int64_t not_after;
};
/* Calls cb for each certificate with status good and from <= not_after <
 * until, held by staff of an institution in scope, soonest first (then
 * serial), at most `limit`. */
int application_query_expiring(db *d, const char *scope, int64_t from, int64_t until, int64_t limit,
			       void (*cb)(void *ctx, const struct expiring_row *row), void *ctx);

#endif
