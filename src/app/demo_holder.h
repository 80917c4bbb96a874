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
 * reminder commands to out. 0, or -1 with the reason on stderr. */
int demo_holder_seed(db *d, FILE *out);

#endif
