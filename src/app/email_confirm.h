/* E-mail confirmation of an application (issue 10): the address of the
 * form's "eposta" field goes into a certificate's subjectAltName only when
 * the applicant proved it by opening a one-time link mailed to it. The
 * token (32 random bytes, hex) is stored only as its SHA-256, expires after
 * EMAIL_CONFIRM_HOURS and is single-use. */
#ifndef EIMZA_APP_EMAIL_CONFIRM_H
#define EIMZA_APP_EMAIL_CONFIRM_H

#include "app/app.h"
#include "store/application.h"

#define EMAIL_CONFIRM_HOURS 72
#define EMAIL_CONFIRM_TOKEN_HEX 64

/* Inside the caller's transaction: stores a new token for app's address
 * and queues the mail with the link <server.base_url>/basvuru/eposta-onay
 * ?t=TOKEN. Nothing when the address is empty. 0 or -1. */
int email_confirm_queue(struct uc_ctx *c, const struct application *app);

/* The link was opened: in one transaction the token is used and an audit
 * record (email_confirmed) written. UC_OK with the application's number and
 * the proven address in *number / *email; UC_NOT_FOUND for a token that is
 * malformed, unknown, used or expired. */
enum uc_rc email_confirm_use(struct uc_ctx *c, const char *token, const char **number,
			     const char **email);

/* The e-mail address a certificate for app may carry: the form's address
 * when it was proven, otherwise NULL (no subjectAltName). */
const char *email_confirm_for_cert(db *d, const struct application *app);

#endif
