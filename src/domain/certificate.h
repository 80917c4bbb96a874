/* A certificate's status and what its holder may do with it (NES Bireysel:
 * hold, release, revoke, and the reasons a holder may give). Pure: no I/O.
 * Statuses are stored and logged by name (cert_status_name), never by
 * number; pki/pki.h spells the same enum with its PKI_ prefix. */
#ifndef EIMZA_DOMAIN_CERTIFICATE_H
#define EIMZA_DOMAIN_CERTIFICATE_H

#include <stdbool.h>
#include <stdint.h>

/* certificates.status (its CHECK constraint) and the OCSP status. */
enum cert_status { CERT_GOOD, CERT_REVOKED, CERT_HOLD, CERT_STATUS__MAX };

/* "good", "revoked", "hold": the stored names, indexed by the enum. */
extern const char *const cert_status_names[CERT_STATUS__MAX];
/* The stored name of s; "?" if out of range. */
const char *cert_status_name(enum cert_status s);
/* The status of a stored name (exact, lower case), or -1. */
int cert_status_parse(const char *name);

/* The Turkish label of an RFC 5280 revocation reason code (pki.h's
 * PKI_REASON_*), as pages and notices show it; "Belirtilmedi" for codes
 * without their own label. */
const char *cert_reason_label_tr(int reason);

/* What the holder sees of a certificate's state. */
enum holder_cert_view { HCV_GOOD, HCV_HOLD, HCV_REVOKED, HCV_EXPIRED, HCV__MAX };

/* "gecerli", "askida", "iptal", "suresi_doldu" (the page's data-status);
 * "?" if out of range. */
const char *holder_cert_view_code(enum holder_cert_view v);
/* "Geçerli", "Askıda", "İptal edildi", "Süresi doldu"; "?" if bad. */
const char *holder_cert_view_label(enum holder_cert_view v);
/* The view of a certificate with this status and notAfter at `now`:
 * revoked wins over expired (not_after <= now), expired over hold. An
 * out-of-range status is seen as revoked (it can do nothing). */
enum holder_cert_view holder_cert_view_of(enum cert_status st, int64_t not_after, int64_t now);

/* What the holder may do with one of their certificates. */
enum holder_cert_action { HCA_HOLD, HCA_RELEASE, HCA_REVOKE, HCA__MAX };

/* "hold", "release", "revoke" (the audit action); "?" if out of range. */
const char *holder_cert_action_name(enum holder_cert_action a);
/* The rule: hold a valid (good, unexpired) certificate; release a held one;
 * revoke a valid or held one. Nothing is allowed on a revoked or expired
 * certificate, and nothing for an out-of-range view or action. */
bool holder_cert_view_allows(enum holder_cert_view v, enum holder_cert_action a);
/* The same rule for a certificate with this status and notAfter at `now`. */
bool holder_cert_action_allowed(enum cert_status st, enum holder_cert_action a, int64_t not_after,
				int64_t now);
/* The status an allowed action leaves: hold -> CERT_HOLD, release ->
 * CERT_GOOD, revoke -> CERT_REVOKED; CERT_STATUS__MAX if out of range. */
enum cert_status holder_cert_action_result(enum holder_cert_action a);

/* The reasons a holder may give for revocation (the form's `neden`). */
enum holder_revoke_reason {
	HRR_ANAHTAR,
	HRR_KAYIP_CALINTI,
	HRR_BILGI_DEGISTI,
	HRR_KULLANIM_SONA_ERDI,
	HRR__MAX
};
/* "ANAHTAR", ...; "?" if out of range. */
const char *holder_revoke_reason_code(enum holder_revoke_reason r);
/* "Anahtar ele geçirildi", "Kayıp/Çalıntı", ...; "?" if out of range. */
const char *holder_revoke_reason_label(enum holder_revoke_reason r);
/* The reason of a form code (exact), or -1. */
int holder_revoke_reason_parse(const char *code);
/* The RFC 5280 CRLReason a holder's reason is revoked with: ANAHTAR and
 * KAYIP_CALINTI keyCompromise (1), BILGI_DEGISTI affiliationChanged (3),
 * KULLANIM_SONA_ERDI cessationOfOperation (5); -1 if out of range. */
int holder_revoke_reason_crl(enum holder_revoke_reason r);

#endif
