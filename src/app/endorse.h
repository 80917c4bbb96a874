/* The institution's endorsement of its staff member's application (issue
 * 11). The guide has the school's principal e-mail the authority a sample
 * text from the school's official mailbox; here, when an application
 * reaches the authority, that official address (institutions.resmi_eposta)
 * receives the same sample text with a one-time link. Opening the link
 * shows a form; the principal types name and title and confirms, which
 * records the endorsement in the application's history and audit trail,
 * and the authority's queue shows "kurum onayı alındı".
 *
 * What an endorsement proves: only that someone who reads the official
 * mailbox confirmed. It is not the institution's signature and decides
 * nothing; the authority still compares the personnel record and decides.
 * The manual e-mail (the status page's mailto) remains possible.
 *
 * Links: 32 random bytes (64 hex) in the URL; only their keyed hash
 * (BLAKE2b under the server secret's SECRET_ENDORSEMENT subkey) is stored,
 * looked up by that hash, so the database alone yields no usable link.
 * Valid endorsement.days days (default 14), used once (a conditional
 * UPDATE), and only while the application waits for its authority. */
#ifndef EIMZA_APP_ENDORSE_H
#define EIMZA_APP_ENDORSE_H

#include "app/app.h"

/* The guide's sample e-mail ("Sayın Yetkili, ... arz ederim."), filled in
 * for app (arena text): the status page shows it for the manual e-mail,
 * the endorsement message carries it. */
const char *endorse_sample_text(arena *a, const struct application *app);

/* Inside c's open transaction, when app has just reached its authority:
 * creates a link and queues the "institution_endorsement" message to the
 * institution's official address. UC_OK also when the institution has no
 * address (logged: nothing to send); UC_ERROR on a failure. */
enum uc_rc endorse_offer(struct uc_ctx *c, const struct application *app);

/* What the link's page shows. */
struct endorse_view {
	const char *number, *name, *title, *institution, *email;
	int64_t expires_at;
};

/* Checks the link's token (from the URL) and fills v. UC_NOT_FOUND for a
 * malformed or unknown (forged) token; UC_CONFLICT when the link was used,
 * has expired, or the application no longer waits for its authority;
 * UC_ERROR. c->message holds the Turkish text of every refusal. */
enum uc_rc endorse_check(struct uc_ctx *c, const char *token, struct endorse_view *v);

/* Records the endorsement: the principal's name and title (each 2 to 100
 * characters after trimming; UC_INVALID with c->field "ad_soyad" or
 * "unvan"), the link used, a history row "Kurum onayı alındı: ..." and the
 * audit record "institution_endorsed", in one transaction. The refusals
 * of endorse_check otherwise. */
enum uc_rc endorse_record(struct uc_ctx *c, const char *token, const char *name, const char *title,
			  struct endorse_view *v);

/* 1 when application_id has an endorsement, 0 when not, -1 on error. */
int endorse_received(struct uc_ctx *c, int64_t application_id);
/* 1 when a link was sent to the institution for application_id, 0 when
 * not (no official address), -1 on error. */
int endorse_offered(struct uc_ctx *c, int64_t application_id);

#endif
