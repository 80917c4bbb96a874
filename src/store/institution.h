/* Authority units and institutions (tables `authority_units` and
 * `institutions`, filled by `eimza import institutions`): the repository
 * for what the application side reads of them. */
#ifndef EIMZA_STORE_INSTITUTION_H
#define EIMZA_STORE_INSTITUTION_H

#include "store/db.h"
#include "util/arena.h"

/* The official e-mail address and the name of the authority unit `code`
 * (e.g. "ZONGULDAK-MEM"), as arena copies; both "" when the unit is not
 * known or has none. 0 found, 1 not found, -1 error (both then ""). */
int authority_unit_contact(db *d, arena *ar, const char *code, const char **email,
			   const char **name);

#endif
