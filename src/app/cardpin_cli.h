/* `eimza card ...` (issue 14): on the holder's computer `set-pin` and
 * `unblock` (no database: they speak to the server's POST /api/v1/kart/pin
 * and to the card); at the CA `record` (stores a card's sealed PINs). */
#ifndef EIMZA_APP_CARDPIN_CLI_H
#define EIMZA_APP_CARDPIN_CLI_H

#include "store/db.h"

/* argv[0] is "card". d: the opened store for `record`, NULL otherwise.
 * Exit status for main. */
int app_cardpin_cli_main(db *d, int argc, char **argv);
/* True when the subcommand in argv needs the database. */
int app_cardpin_cli_needs_db(int argc, char **argv);

#endif
