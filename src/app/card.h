/* Card production (issue 14): the CA initialises a card (any PKCS#11
 * token) with random PINs, has the holder's key generated on it, issues the
 * certificate under the card profile (QcSSCD, QCP-n-qscd) and writes it
 * onto the card. Only `eimza card produce` runs this: it needs the card
 * reader, the card key (pki/card_pins.h) and a signer that honours the
 * card profile (signer_set_card_client), none of which the web server has.
 * The console only queues a production (card_queue). */
#ifndef EIMZA_APP_CARD_H
#define EIMZA_APP_CARD_H

#include "app/app.h"
#include "store/card.h"

struct card_opts {
	const char *module;   /* PKCS#11 module path */
	long slot;	      /* slot id, or -1: the first slot with a token */
	const char *key_type; /* "p256" or "rsa2048" (card.key_type) */
};

struct card_result {
	char token_serial[17];
	char cert_serial[81];
	int token_blank; /* a failure after the card was initialised left it blank */
};

/* Produces the card for app (APPROVED): APPROVED -> PRODUCED with its audit
 * record and notice, the certificate, the card's row (token serial, sealed
 * SO and transport PINs) and the queued job removed, one transaction; the
 * certificate is on the card before it commits. A failure once the card
 * was initialised re-initialises it blank (its sealed SO PIN kept so that
 * it can be produced again) and changes nothing else. UC_CONFLICT
 * (message) when app is not APPROVED, already has a card, or the card is
 * produced already or initialised by someone else; UC_INVALID (message)
 * for a token, key or signer failure; UC_ERROR. PINs are never logged. */
enum uc_rc card_produce(struct uc_ctx *c, struct application *app, const struct card_opts *o,
			struct card_result *out);

/* The console's action: queues app (APPROVED, no card yet) for `eimza card
 * produce --queued`, with its audit record "card_production_queued", one
 * transaction; the state does not change. UC_CONFLICT (message) when not
 * APPROVED or already queued. */
enum uc_rc card_queue(struct uc_ctx *c, struct application *app);

/* 1 when app is queued for production, 0 not, -1 error. */
int card_is_queued(struct uc_ctx *c, const struct application *app);

/* `eimza card produce ...` (card_cli.c): argv[0] is "card". The exit
 * status. */
int app_card_cli_main(int argc, char **argv);

#endif
