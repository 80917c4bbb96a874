/* Wet-signed paperwork received by registered post (DYS letter): the
 * repository. One record per application; written inside the caller's
 * transaction. */
#ifndef EIMZA_STORE_PAPERWORK_H
#define EIMZA_STORE_PAPERWORK_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

struct paperwork {
	int64_t application_id;
	const char *dys_no;   /* the official letter's DYS number */
	const char *dys_date; /* YYYY-MM-DD */
	const char *post_no;  /* registered post (iadeli taahhütlü) number */
	const char *recorded_by;
	int64_t recorded_at;
};

/* Records p. 0, 1 when the application already has paperwork (nothing
 * written), -1 error. */
int paperwork_insert(db *d, const struct paperwork *p);
/* The paperwork of an application into out (strings in ar). 0 found,
 * 1 none, -1 error. */
int paperwork_load(db *d, arena *ar, int64_t application_id, struct paperwork *out);

#endif
