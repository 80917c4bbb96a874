/* Signed audit checkpoints as the database keeps them (table
 * audit_checkpoints): the number of audit records and the newest record's
 * hash at a time, with the signer's Ed25519 signature over them (see
 * pki/checkpoint.h for the signed message). The signer's journal holds the
 * same checkpoints; this copy is for display and for readers that cannot
 * read the journal. */
#ifndef EIMZA_AUDIT_CHECKPOINT_H
#define EIMZA_AUDIT_CHECKPOINT_H

#include <stdint.h>

#include "store/db.h"

#define AUDIT_HEAD_HEX 64
#define AUDIT_SIG_HEX 128 /* Ed25519: 64 bytes */

struct audit_checkpoint {
	int64_t count;			   /* audit records covered */
	int64_t at;			   /* signing time, epoch seconds */
	char head[AUDIT_HEAD_HEX + 1];	   /* hash of record `count` (64 '0' for 0) */
	char signature[AUDIT_SIG_HEX + 1]; /* lower-case hex */
};

/* Stores c. 0 or -1. */
int audit_checkpoint_add(db *d, const struct audit_checkpoint *c);
/* The newest stored checkpoint (highest count, then latest time): 1 found,
 * 0 none, -1 on error. A row whose fields do not have their lengths is
 * returned as it is (its signature then fails). */
int audit_checkpoint_newest(db *d, struct audit_checkpoint *c);

#endif
