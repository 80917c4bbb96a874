/* Revocation, suspension (certificateHold) and release of a hold. */
#include "pki/pki.h"
#include "pki/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/log.h"

static const char *const reason_names[PKI_REASON__MAX] = {
	"unspecified",	 "keyCompromise",	 "cACompromise",    "affiliationChanged",
	"superseded",	 "cessationOfOperation", "certificateHold", NULL,
	"removeFromCRL", "privilegeWithdrawn",	 "aACompromise",
};

const char *pki_reason_name(int reason)
{
	if (reason < 0 || reason >= PKI_REASON__MAX)
		return NULL;
	return reason_names[reason];
}

int pki_reason_parse(const char *s)
{
	if (s == NULL || *s == '\0')
		return -1;
	for (int i = 0; i < PKI_REASON__MAX; i++)
		if (reason_names[i] && strcmp(s, reason_names[i]) == 0)
			return i;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end != '\0' || v < 0 || v >= PKI_REASON__MAX || reason_names[v] == NULL)
		return -1;
	return (int)v;
}

/* Current status of a certificate: 0 found, -1 unknown or error. */
static int cert_status(db *d, const char *serial_hex, enum pki_cert_status *st)
{
	int rc = -1;
	db_stmt *s = db_prepare(d, "SELECT status FROM certificates WHERE serial_hex = $1");
	if (s == NULL)
		return -1;
	db_bind_text(s, 1, serial_hex);
	if (db_step(s) == DB_ROW) {
		const char *t = db_col_text(s, 0);
		for (int i = 0; t && i < PKI_CERT_STATUS__MAX; i++)
			if (strcmp(t, pki_cert_status_names[i]) == 0) {
				*st = (enum pki_cert_status)i;
				rc = 0;
			}
	}
	db_finalize(s);
	return rc;
}

static int set_status(db *d, const char *serial_hex, const char *status, int reason, int64_t when)
{
	db_stmt *s = db_prepare(d, "UPDATE certificates SET status = $1, revoked_at = $2, "
				   "reason = $3 WHERE serial_hex = $4");
	if (s == NULL)
		return -1;
	db_bind_text(s, 1, status);
	if (reason < 0) {
		db_bind_null(s, 2);
		db_bind_null(s, 3);
	} else {
		db_bind_int64(s, 2, when);
		db_bind_int64(s, 3, reason);
	}
	db_bind_text(s, 4, serial_hex);
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE && db_changes(d) == 1 ? 0 : -1;
}

int pki_revoke_tx(db *d, const char *serial_hex, int reason, int64_t when, char *err, size_t n)
{
	enum pki_cert_status st;
	if (when == 0)
		when = clock_now();
	if (pki_reason_name(reason) == NULL || reason == PKI_REASON_CA_COMPROMISE || reason == 10) {
		snprintf(err, n, "İptal nedeni geçersiz.");
		return -1;
	}
	if (cert_status(d, serial_hex, &st) != 0) {
		snprintf(err, n, "Sertifika bulunamadı.");
		return -1;
	}
	if (st == PKI_REVOKED) {
		snprintf(err, n, "Sertifika zaten iptal edilmiş.");
		return -1;
	}
	if (reason == PKI_REASON_REMOVE_FROM_CRL) {
		if (st != PKI_HOLD) {
			snprintf(err, n, "Sertifika askıda değil.");
			return -1;
		}
		return set_status(d, serial_hex, "good", -1, 0) == 0 ? 0 : -1;
	}
	if (reason == PKI_REASON_HOLD && st == PKI_HOLD) {
		snprintf(err, n, "Sertifika zaten askıda.");
		return -1;
	}
	if (set_status(d, serial_hex, reason == PKI_REASON_HOLD ? "hold" : "revoked", reason,
		       when) != 0) {
		snprintf(err, n, "Sertifika durumu kaydedilemedi.");
		return -1;
	}
	return 0;
}

int pki_after_revocation(db *d)
{
	char err[256] = "";
	pki_ocsp_invalidate();
	if (pki_crl_generate(d, err, sizeof err) != 0) {
		log_error("pki: CRL not regenerated after a revocation: %s", err);
		return -1;
	}
	pki_ocsp_invalidate();
	return 0;
}

int pki_revoke(db *d, const char *serial_hex, int reason, int64_t when, char *err, size_t n)
{
	if (db_begin(d) != DB_OK) {
		snprintf(err, n, "Veritabanı meşgul.");
		return -1;
	}
	if (pki_revoke_tx(d, serial_hex, reason, when, err, n) != 0) {
		db_rollback(d);
		return -1;
	}
	if (db_commit(d) != DB_OK) {
		snprintf(err, n, "Sertifika durumu kaydedilemedi.");
		return -1;
	}
	log_info("pki: %s -> %s", serial_hex, pki_reason_name(reason));
	pki_after_revocation(d);
	return 0;
}

int pki_hold(db *d, const char *serial_hex, char *err, size_t n)
{
	return pki_revoke(d, serial_hex, PKI_REASON_HOLD, 0, err, n);
}

int pki_release_hold(db *d, const char *serial_hex, char *err, size_t n)
{
	return pki_revoke(d, serial_hex, PKI_REASON_REMOVE_FROM_CRL, 0, err, n);
}
