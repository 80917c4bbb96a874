/* `eimza init --demo`: one demo holder with a real certificate, so that the
 * expiry reminders (3 months and 25 days before the end) can be seen with
 * `eimza worker --once --today YYYY-MM-DD` (issue 11).
 *
 * The holder is a registry-only demo person (no personnel record, so no
 * test or demo login competes for them) with a DELIVERED first application
 * that carries the contacts reminders go to, and a one-year certificate
 * issued now by the running CA (the signer chooses the validity; it cannot
 * be back-dated). The certificate's private key is generated and thrown
 * away: the holder exists only to be reminded. init prints the --today
 * dates that make the certificate "near its end". */
#ifndef EIMZA_APP_DEMO_HOLDER_H
#define EIMZA_APP_DEMO_HOLDER_H

#include <stdio.h>

#include "store/db.h"

/* Seeds the holder unless they already have a certificate (init run
 * twice). Starts and stops the signer itself. Writes the holder and the
 * reminder commands to out. When no certificate can be issued here (the
 * signer does not start, the issuance fails) it warns on stderr, leaves
 * nothing behind (one transaction) and returns 0: the demo's other data
 * stays usable. -1 only when the demo person or the store is unusable. */
int demo_holder_seed(db *d, FILE *out);

#endif
