/* Use cases of the certificate holder (NES Bireysel): hold, release and
 * revoke one of their own certificates, and change their contact details.
 *
 * Each change is one transaction: the certificate's status (pki_revoke_tx)
 * or the holder record, the audit record and the notice to the holder;
 * after the commit of a certificate change pki_after_revocation() refreshes
 * the CRL and the OCSP cache. A serial that is not one of the holder's own
 * certificates is UC_NOT_FOUND, whoever it belongs to. Which action is
 * allowed from which status, the holder's view of a status and the
 * revocation reasons are rules of domain/certificate.h. */
#ifndef EIMZA_APP_HOLDER_H
#define EIMZA_APP_HOLDER_H

#include <stdint.h>

#include "app/app.h"
#include "domain/certificate.h" /* the views, actions and reasons */

/* One of the holder's certificates. */
struct holder_cert {
	const char *serial; /* upper-case hex, in c->a */
	enum holder_cert_view view;
	enum cert_status status; /* as stored */
};

/* Finds `serial` (hex, any case) among holder's certificates (holder: the
 * holder record, store/holder.h). UC_OK fills out; UC_NOT_FOUND (with
 * c->message) for an empty, too long, unknown or another person's serial;
 * UC_ERROR. Reads only: no transaction. */
enum uc_rc holder_cert_find(struct uc_ctx *c, const struct application *holder, const char *serial,
			    struct holder_cert *out);

/* Suspends (certificateHold) a valid certificate of the holder. UC_OK;
 * UC_NOT_FOUND as holder_cert_find; UC_CONFLICT with c->message when the
 * certificate is not valid now (held, revoked, expired) or the CA refuses. */
enum uc_rc holder_cert_hold(struct uc_ctx *c, const struct application *holder, const char *serial);
/* Releases a hold: only a held certificate (UC_CONFLICT otherwise). */
enum uc_rc holder_cert_release(struct uc_ctx *c, const struct application *holder,
			       const char *serial);
/* Revokes a valid or held certificate for good, for `why` (UC_INVALID for
 * a reason out of range; UC_CONFLICT for a revoked or expired one). */
enum uc_rc holder_cert_revoke(struct uc_ctx *c, const struct application *holder,
			      const char *serial, enum holder_revoke_reason why);

/* Contact details as typed on "İletişim Bilgilerim". */
struct holder_contact {
	const char *eposta;
	const char *cep_tel;	  /* any accepted mobile form; 10 digits after a check */
	const char *bilgi_kanali; /* "EPOSTA", "SMS", "IKISI" */
};

/* Checks in and writes the normalised details into out (cep_tel as 10
 * digits in tel, strings otherwise in's). UC_OK, or UC_INVALID with the
 * Turkish c->message and c->field. Pure apart from c. */
enum uc_rc holder_contact_check(struct uc_ctx *c, const struct holder_contact *in,
				struct holder_contact *out, char tel[11]);

/* Changes the holder record's contact details to `to` (checked again), in
 * one transaction with the audit record ("contact_update", detail: the
 * fields that changed) and a notice ("contact_changed") through the OLD
 * details, so that a hijacked session does not go unnoticed. A new mobile
 * number needs the SMS code sent to it (otp_send OTP_CONTACT_CHANGE):
 * sms_code is checked first (otp_check: UC_INVALID or UC_LIMITED with
 * c->message); it is ignored when the number stays. */
enum uc_rc holder_contact_change(struct uc_ctx *c, const struct application *holder,
				 const struct holder_contact *to, const char *sms_code);

#endif
