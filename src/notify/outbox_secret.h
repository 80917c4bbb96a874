/* Secrets at rest in the outbox (issue 12, KVKK).
 *
 * A message that carries a one-time code (the template variable `code`)
 * keeps the code in outbox.secret beside the body. The body holds it in
 * clear only while it may still be sent: once the message is sent or has
 * failed for good, every occurrence of the code in the subject and body is
 * replaced by OUTBOX_MASK and outbox.secret is cleared. In dev mode the
 * outbox is the recipient's phone (/dev/outbox), so a sent message keeps
 * its code until it expires. Whatever the mode, no code outlives
 * OUTBOX_SECRET_TTL seconds after it was queued (far longer than any code
 * is valid). Sent and failed messages are deleted outbox.retention_days
 * after they were sent or queued (0: kept). */
#ifndef EIMZA_OUTBOX_SECRET_H
#define EIMZA_OUTBOX_SECRET_H

#include <stdint.h>

#include "store/db.h"

#define OUTBOX_MASK "******"
#define OUTBOX_SECRET_TTL 900
/* How often the worker runs outbox_housekeep(). */
#define OUTBOX_HOUSEKEEP_SECONDS 60

/* text with every occurrence of secret replaced by OUTBOX_MASK (malloc'd;
 * NULL when out of memory). An empty or NULL secret leaves text as it is. */
char *outbox_mask(const char *text, const char *secret);
/* Masks the secret of message id in its subject and body and clears it.
 * 0 (also when there was none), -1 on a database error. */
int outbox_redact(db *d, int64_t id);
/* Masks the codes of messages that are final (outside dev mode) or older
 * than OUTBOX_SECRET_TTL, and deletes final messages past
 * outbox.retention_days. Returns the number of rows changed, -1 on error. */
int outbox_housekeep(db *d, int64_t now);

#endif
