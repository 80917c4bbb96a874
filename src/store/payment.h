/* Fees paid for an application (Kayıp/Çalıntı): the repository. One payment
 * per application; written inside the caller's transaction. */
#ifndef EIMZA_STORE_PAYMENT_H
#define EIMZA_STORE_PAYMENT_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

struct payment {
	int64_t application_id, amount_kurus;
	const char *receipt_no, *recorded_by; /* recorded_by: the audit actor */
	int64_t recorded_at;
};

/* Records p. 0, 1 when the application already has a payment (nothing
 * written), -1 error. */
int payment_insert(db *d, const struct payment *p);
/* The payment of an application into out (strings in ar). 0 found, 1 none,
 * -1 error. */
int payment_load(db *d, arena *ar, int64_t application_id, struct payment *out);

#endif
