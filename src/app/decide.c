/* Approve, reject, approve several: the authority's decisions. */
#include "app/decide.h"

#include <string.h>

#include "app/institution_notice.h"
#include "app/lost.h"
#include "app/txn.h"
#include "notify/notify.h"
#include "pki/pki.h"
#include "util/log.h"

#define NOTE_APPROVED "Kurum yetkilisi onayladı"
#define NOTE_APPROVED_BULK "Kurum yetkilisi onayladı (toplu)"
#define MSG_NOT_FOUND "Başvuru bulunamadı."
#define MSG_NOT_AWAITING "Bu başvuru onay beklemiyor."
#define MSG_CHANGED "Başvuru bu arada değişti; sayfayı yenileyip tekrar deneyin."
#define MSG_NO_REASON "Ret gerekçesi zorunludur: başvuru sahibine iletilecek gerekçeyi yazınız."

/* Inside c's transaction: loads application id if `who` may see it.
 * Out of scope answers exactly like unknown, so that an authority cannot
 * learn which numbers exist in other units. */
static enum uc_rc load_visible(struct uc_ctx *c, const struct access_actor *who, int64_t id,
			       struct application *app)
{
	int rc = id > 0 ? application_load(c->d, c->a, id, app) : 1;
	if (rc < 0) {
		log_error("%s: loading application %lld failed: %s", c->actor, (long long)id,
			  db_errmsg(c->d));
		return UC_ERROR;
	}
	if (rc == 1 || !access_may_see(who, app->yetki_birimi))
		return uc_fail(c, UC_NOT_FOUND, NULL, MSG_NOT_FOUND);
	return UC_OK;
}

/* The state part of the rule, once the application is known visible. */
static enum uc_rc check_awaiting(struct uc_ctx *c, const struct access_actor *who,
				 const struct application *app)
{
	struct access_target t = {app->yetki_birimi, app->state, app->flags};
	switch (access_may_decide(who, &t)) {
	case ACCESS_OK: return UC_OK;
	case ACCESS_NOT_AUTHORITY: return uc_fail(c, UC_FORBIDDEN, NULL, NULL);
	case ACCESS_NOT_VISIBLE: return uc_fail(c, UC_NOT_FOUND, NULL, MSG_NOT_FOUND);
	default: return uc_fail(c, UC_CONFLICT, NULL, MSG_NOT_AWAITING);
	}
}

/* application_step, with the console's wording for a lost race. */
static enum uc_rc step(struct uc_ctx *c, struct application *app, const struct uc_step *s)
{
	enum uc_rc rc = application_step(c, app, s);
	if (rc == UC_CONFLICT)
		c->message = MSG_CHANGED;
	return rc;
}

static enum uc_rc approve(struct uc_ctx *c, const struct access_actor *who, int64_t id,
			  const char *note)
{
	struct application app;
	int revoked = 0;
	if (!access_may_decide_role(who))
		return uc_fail(c, UC_FORBIDDEN, NULL, NULL);
	enum uc_rc rc = uc_begin(c);
	if (rc == UC_OK)
		rc = load_visible(c, who, id, &app);
	if (rc == UC_OK)
		rc = check_awaiting(c, who, &app);
	if (rc == UC_OK)
		rc = step(c, &app,
			  &(struct uc_step){.ev = EV_AUTHORITY_APPROVED,
					    .action = "approve",
					    .note = note,
					    .notify = "approved"});
	/* An approved Kayıp/Çalıntı application revokes the certificate it
	 * replaces, in the same transaction as the approval. */
	if (rc == UC_OK)
		rc = lost_revoke_on_approval(c, &app, &revoked);
	if (rc == UC_OK)
		rc = institution_notify_decision(c, &app, INSTITUTION_APPROVED, NULL);
	rc = uc_end(c, rc);
	if (rc == UC_OK && revoked)
		pki_after_revocation(c->d);
	return rc;
}

/* approve(), run again after a serialization failure or deadlock. */
static enum uc_rc approve_retrying(struct uc_ctx *c, const struct access_actor *who, int64_t id,
				   const char *note)
{
	enum uc_rc rc;
	int attempt = 0;
	do
		rc = approve(c, who, id, note);
	while (uc_again(c, rc, &attempt));
	return rc;
}

enum uc_rc decide_approve(struct uc_ctx *c, const struct access_actor *who, int64_t id)
{
	return approve_retrying(c, who, id, NOTE_APPROVED);
}

/* 1 if s has a character other than ASCII white space. */
static int has_text(const char *s)
{
	for (; s != NULL && *s; s++)
		if (strchr(" \t\r\n\v\f", *s) == NULL)
			return 1;
	return 0;
}

enum uc_rc decide_reject(struct uc_ctx *c, const struct access_actor *who, int64_t id,
			 const char *reason)
{
	struct application app;
	struct notify_vars vars = {0};
	if (!access_may_decide_role(who))
		return uc_fail(c, UC_FORBIDDEN, NULL, NULL);
	enum uc_rc rc = uc_begin(c);
	if (rc == UC_OK)
		rc = load_visible(c, who, id, &app);
	if (rc == UC_OK && !has_text(reason))
		rc = uc_fail(c, UC_INVALID, "gerekce", MSG_NO_REASON);
	if (rc == UC_OK)
		rc = check_awaiting(c, who, &app);
	if (rc == UC_OK) {
		notify_vars_set(&vars, "reason", reason);
		rc = step(c, &app,
			  &(struct uc_step){.ev = EV_REJECTED,
					    .action = "reject",
					    .note = reason,
					    .notify = "rejected",
					    .vars = &vars});
	}
	if (rc == UC_OK && application_set_reject_reason(c->d, app.id, reason) != 0) {
		log_error("%s: storing the reason of %s failed: %s", c->actor, app.number,
			  db_errmsg(c->d));
		rc = UC_ERROR;
	}
	if (rc == UC_OK)
		rc = institution_notify_decision(c, &app, INSTITUTION_REJECTED, reason);
	return uc_end(c, rc);
}

/* One transaction per application, not one for all: the approvals are
 * independent decisions, and one that is refused (out of scope, decided
 * meanwhile by a colleague, changed by the operator) must neither undo nor
 * block the others; the page reports how many went through. Short
 * transactions also keep the write lock brief. */
enum uc_rc decide_bulk_approve(struct uc_ctx *c, const struct access_actor *who, const int64_t *ids,
			       size_t n, int *approved, int *refused)
{
	*approved = *refused = 0;
	if (!access_may_decide_role(who))
		return uc_fail(c, UC_FORBIDDEN, NULL, NULL);
	if (n > DECIDE_BULK_MAX)
		return uc_fail(c, UC_INVALID, NULL, "Bir seferde en çok 25 başvuru onaylanabilir.");
	for (size_t i = 0; i < n; i++) {
		if (ids[i] <= 0)
			continue;
		if (approve_retrying(c, who, ids[i], NOTE_APPROVED_BULK) == UC_OK)
			(*approved)++;
		else
			(*refused)++;
	}
	c->message = NULL;
	c->field = NULL;
	return UC_OK;
}
