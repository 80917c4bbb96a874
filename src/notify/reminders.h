/* Expiry reminders (guide, "E-İmza Sertifikanızı teslim aldıktan sonra"):
 * 3 months before a certificate ends the holder is told by e-mail and SMS,
 * and again when 25 days are left, the recommended moment to renew. */
#ifndef EIMZA_REMINDERS_H
#define EIMZA_REMINDERS_H

#include <stdint.h>

#include "store/db.h"

/* Queues every reminder that is due at `now` and not yet sent: valid,
 * unrevoked certificates whose holder has no later certificate. Each one is
 * its own transaction (outbox row + reminders_sent row). Returns how many
 * were queued, or -1 on a database error. Runs as a worker job. */
int reminders_run(db *d, int64_t now);
/* The same with the signature outbox_worker_add_job() wants. */
void reminders_job(db *d, int64_t now);

#endif
