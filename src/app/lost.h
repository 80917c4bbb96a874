/* Kayıp/Çalıntı (lost or stolen) applications made in the portal and the
 * certificate they replace (application->replaces_serial).
 *
 * The portal's login proves only knowledge of registry data, so the
 * application itself does nothing to the certificate. It is suspended
 * (certificateHold) at once only when the applicant proves to be its holder
 * (app/proof.h, PROOF_HOLDER: the holder's Güvenlik Sözcüğü or a code to
 * the number on record); otherwise it stays valid until the institution
 * authority approves the application, and approval revokes it
 * (keyCompromise). Each change is told to the contacts on record
 * (app/onrecord.h) with how to undo a hold. */
#ifndef EIMZA_APP_LOST_H
#define EIMZA_APP_LOST_H

#include "app/app.h"

/* 1 when app is a Kayıp/Çalıntı application whose certificate is still
 * good (not held, not revoked), so that a hold is offered; 0 otherwise
 * (also on a read error, logged). */
int lost_may_hold(struct uc_ctx *c, const struct application *app);

/* Suspends app's certificate after a proof (how: "güvenlik sözcüğü",
 * "kayıtlı cep telefonu", for the audit record), in one transaction with
 * the audit record ("hold") and the notice "lost_hold" to the contacts on
 * record; then the CRL and OCSP are refreshed. UC_CONFLICT (c->message)
 * when there is nothing to hold. Call only after proof_word / proof_code
 * (PROOF_HOLDER) gave UC_OK. */
enum uc_rc lost_hold(struct uc_ctx *c, const struct application *app, const char *how);

/* Inside the caller's transaction (the authority's approval of app):
 * revokes app's certificate for keyCompromise with the audit record
 * ("revoke") and the notice "lost_revoked" to the contacts on record.
 * Nothing for another reason, without a replaced serial or when the
 * certificate is already revoked (*revoked = 0); *revoked = 1 when it was
 * revoked here: the caller runs pki_after_revocation() after its commit.
 * UC_OK or UC_ERROR (logged). */
enum uc_rc lost_revoke_on_approval(struct uc_ctx *c, const struct application *app, int *revoked);

#endif
