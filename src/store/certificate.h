/* Certificates (the table `certificates`): the repository for everything
 * above pki/ that reads a person's certificates — the applicant portal's
 * renewal rules and e-onay, and (later) NES Bireysel. The CA itself
 * (pki/issue.c, pki/revoke.c) writes the table; nothing here changes a
 * certificate. Status strings are parsed into enum cert_status here, so
 * nothing above the store compares them. */
#ifndef EIMZA_STORE_CERTIFICATE_H
#define EIMZA_STORE_CERTIFICATE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/certificate.h"
#include "domain/renewal.h"
#include "store/db.h"
#include "util/arena.h"

/* One certificate as stored (without its DER). Strings live in the arena
 * given to the loader. */
struct certificate {
	const char *serial_hex; /* upper-case hex */
	const char *tckn;
	int64_t application_id; /* 0 when issued without an application */
	int64_t not_before, not_after;
	enum cert_status status;
	int64_t revoked_at; /* 0 when not revoked */
	int reason;	    /* RFC 5280 revocation reason, -1 when none */
	int64_t created_at;
};

/* Fills out[0..max) with the person's certificates, latest not_after
 * first, as the renewal rules (domain/renewal.h) see them: a certificate
 * that is not "good" (revoked or on hold) counts as revoked. Returns the
 * number written (at most max) or -1 on error. */
int certificate_history(db *d, const char *tckn, struct cert_summary *out, size_t max);

/* The serial (arena copy) of the person's newest certificate that is good
 * and valid at `now` (not_before <= now < not_after). 0 found, 1 none,
 * -1 error (*serial is then NULL). */
int certificate_current_serial(db *d, arena *ar, const char *tckn, int64_t now,
			       const char **serial);

/* The validity of the certificate `serial_hex` as the renewal rules see it
 * (not "good" counts as revoked). 0 found, 1 not found, -1 error. */
int certificate_validity(db *d, const char *serial_hex, struct cert_summary *out);

/* Loads the certificate with this serial into out (strings in ar).
 * 0 found, 1 not found, -1 error. */
int certificate_load(db *d, arena *ar, const char *serial_hex, struct certificate *out);

/* Like certificate_load, but only a certificate of the person `tckn`: a
 * serial of someone else is "not found" (1). */
int certificate_load_of_holder(db *d, arena *ar, const char *serial_hex, const char *tckn,
			       struct certificate *out);

/* Calls fn for each certificate of the person, newest not_before first;
 * the certificate's strings are valid during the call only. Returns the
 * count or -1. */
int certificate_list_for_tckn(db *d, const char *tckn,
			      void (*fn)(void *ctx, const struct certificate *c), void *ctx);

#endif
