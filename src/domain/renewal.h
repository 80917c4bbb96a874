/* Who may apply for what, renewal dates, reminders and fees (guide, issue
 * 3 step 2). Times are epoch seconds (UTC). */
#ifndef EIMZA_DOMAIN_RENEWAL_H
#define EIMZA_DOMAIN_RENEWAL_H

#include <stddef.h>
#include <stdint.h>

#include "domain/application.h"

/* Renewal is offered in the last 3 months of validity, counted as 90 days. */
#define RENEWAL_WINDOW_DAYS 90

/* One certificate the person holds or held at this CA. */
struct cert_summary {
	int64_t not_before, not_after;
	int revoked;	    /* revoked or on hold: not usable */
	int key_compromise; /* revoked for keyCompromise (lost, stolen, key exposed) */
};

/*
 * The reasons the person may apply with, as a mask of (1u << enum
 * app_reason). A certificate is "held" when it is not revoked and now is
 * before its not_after (this includes one issued for a renewal that has
 * not started yet). The rule:
 *   - no certificate at all (n == 0): ILK only;
 *   - certificates, none held, and the one with the latest not_after was
 *     revoked for keyCompromise before its end (the holder reported it lost
 *     or stolen, e.g. in NES Bireysel): KAYIP_CALINTI only, with its fee;
 *   - otherwise certificates, none held (all expired or revoked): YENILEME
 *     only (a renewal left until expiry, which needs a wet signature);
 *   - some held: KAYIP_CALINTI and DIGER, plus YENILEME when the latest
 *     not_after of the held certificates is at most 90 days away (a person
 *     whose renewal is already issued does not get YENILEME again).
 */
unsigned renewal_allowed_reasons(const struct cert_summary *certs, size_t n, int64_t now);

/*
 * 1 if the application forms must be wet-signed, 0 if e-approval (signing
 * with a currently valid certificate: unrevoked, not_before <= now <
 * not_after) is possible:
 *   - ILK: always 1;
 *   - YENILEME, DIGER: 1 when no certificate is currently valid;
 *   - KAYIP_CALINTI: the lost card cannot sign, so 1 unless at least two
 *     certificates are currently valid (the other one can sign);
 *   - a bad reason: 1.
 */
int renewal_requires_wet_signature(enum app_reason r, const struct cert_summary *certs, size_t n,
				   int64_t now);

/* Start of a renewal certificate: current->not_after if that is still in
 * the future, otherwise now (also when current is NULL). */
int64_t renewal_new_not_before(const struct cert_summary *current, int64_t now);

/* 1 when now < not_after and not_after - now <= days_before days (used
 * with 90 and 25), else 0. */
int renewal_reminder_due(int64_t not_after, int64_t now, int days_before);

/* The fee of reason r in kuruş from the configured table, or -1 for a bad
 * reason. */
long fee_for_reason(enum app_reason r, const long fee_kurus[REASON__MAX]);

/* Parses a non-negative Turkish lira amount "170", "170.00", "170,5",
 * "170,50" (one or two decimals after '.' or ',', at most 9 integer digits)
 * into kuruş. 0 ok, -1 bad (*kurus untouched). */
int fee_parse_tl(const char *s, long *kurus);

/* Formats kuruş as Turkish lira with thousands dots: 17000 -> "170,00 TL",
 * 123456 -> "1.234,56 TL", negatives with a leading '-'. */
void fee_format_tl(long kurus, char out[32]);

#endif
