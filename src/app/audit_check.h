/* `eimza audit verify` and the console's audit page (issue 9): the audit
 * chain, then the newest signed checkpoint against it. */
#ifndef EIMZA_APP_AUDIT_CHECK_H
#define EIMZA_APP_AUDIT_CHECK_H

#include <stdint.h>

#include "store/db.h"

enum audit_cp_result {
	AUDIT_CP_OK,	   /* the checkpoint verifies and the chain holds it */
	AUDIT_CP_NONE,	   /* no checkpoint yet (or the chain is broken) */
	AUDIT_CP_BAD,	   /* missing records, rewritten records, bad signature */
	AUDIT_CP_UNCHECKED /* audit.pub or the database could not be read */
};

struct audit_report {
	int chain;		 /* audit_verify(): 0 intact, 1 broken, -1 error */
	int64_t records;	 /* records in the chain that verified */
	enum audit_cp_result cp; /* only looked at when the chain is intact */
	int64_t cp_count, cp_at; /* the checkpoint the result is about */
	char chain_msg[512];	 /* Turkish, always set */
	char cp_msg[768];	 /* Turkish; empty when the chain is broken */
};

/* Verifies the chain of d, then the newest checkpoint: from the signer's
 * journal in ca_dir when this user can read it, and the newest row of
 * audit_checkpoints (both when both exist). Each one's signature must
 * verify with `<ca_dir>/audit.pub`, its count must not exceed the records
 * there are (else the newest records were deleted) and the record at its
 * count must have its head hash (else records were rewritten and the chain
 * recomputed). Returns 0 when all is well (also with no checkpoint yet),
 * 1 when something was found, -1 when it could not be checked. */
int app_audit_check(db *d, const char *ca_dir, struct audit_report *r);

/* `eimza audit verify|checkpoint` (argv[0] is "audit"): the exit status. */
int app_audit_cli_main(int argc, char **argv);

#endif
