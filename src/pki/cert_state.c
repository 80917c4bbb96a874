/* What eimza's own data says about one of its certificates, read the same
 * way by the OCSP responder, the CRL and the e-onay check, and the one rule
 * of which reason codes are published. */
#include "pki/pki.h"

#include <string.h>

int pki_reason_published(int reason)
{
	/* unspecified (0) is omitted (RFC 5280 5.3.1: "SHOULD be absent
	 * instead of using the unspecified (0) reasonCode value"); 7 is not a
	 * reason; removeFromCRL (8) belongs to delta CRLs, which we do not
	 * make (a released hold simply leaves the list). */
	return reason > 0 && reason < PKI_REASON__MAX && reason != 7 &&
	       reason != PKI_REASON_REMOVE_FROM_CRL;
}

int pki_cert_state_get(db *d, const char *serial_hex, struct pki_cert_state *cs)
{
	int rc = -1;
	memset(cs, 0, sizeof *cs);
	cs->reason = -1;
	db_stmt *s = db_prepare(d, "SELECT status, revoked_at, reason FROM certificates WHERE "
				   "serial_hex = $1");
	if (s == NULL)
		return -1;
	db_bind_text(s, 1, serial_hex);
	int r = db_step(s);
	if (r == DB_ROW) {
		const char *t = db_col_text(s, 0);
		cs->known = 1;
		cs->status = PKI_GOOD;
		for (int i = 0; t && i < PKI_CERT_STATUS__MAX; i++)
			if (strcmp(t, pki_cert_status_names[i]) == 0)
				cs->status = (enum pki_cert_status)i;
		cs->revoked_at = db_col_int64(s, 1);
		cs->reason = db_col_is_null(s, 2) ? -1 : (int)db_col_int64(s, 2);
		rc = 0;
	} else if (r == DB_DONE) {
		rc = 0;
	}
	db_finalize(s);
	return rc;
}
