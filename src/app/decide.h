/* The institution authority's decisions (Adım 6): approve an application,
 * reject it with a reason, approve several at once. Each decision is one
 * transaction through application_step(): state, history, audit record,
 * the applicant's notice (Bilgi Kanalı) and the notice to the institution's
 * official address (app/institution_notice.h) together. Who may decide on which
 * application is domain/access.h's rule, and only that. */
#ifndef EIMZA_APP_DECIDE_H
#define EIMZA_APP_DECIDE_H

#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "domain/access.h"

/* The most applications one bulk approval takes (one queue page). */
#define DECIDE_BULK_MAX 25

/* Approves application `id` for `who` (audit action "approve", history
 * note "Kurum yetkilisi onayladı", notice "approved"): clears
 * NEEDS_APPROVAL, and the application becomes APPROVED when no other
 * condition is pending. UC_FORBIDDEN when who is not an authority;
 * UC_NOT_FOUND ("Başvuru bulunamadı.") when unknown or out of who's scope;
 * UC_CONFLICT (c->message) when it does not wait for approval, or changed
 * meanwhile; UC_ERROR. */
enum uc_rc decide_approve(struct uc_ctx *c, const struct access_actor *who, int64_t id);

/* Rejects application `id` with `reason` (the text the applicant reads):
 * stores the reason, moves it to REJECTED (audit action "reject", the
 * reason as history note and audit detail, notice "rejected" with
 * {reason}). UC_INVALID with c->field "gerekce" when the reason is empty
 * or only white space; otherwise the refusals of decide_approve, in the
 * same order (role, then scope, then reason, then state). */
enum uc_rc decide_reject(struct uc_ctx *c, const struct access_actor *who, int64_t id,
			 const char *reason);

/* Approves each of ids[0..n) (n at most DECIDE_BULK_MAX; ids <= 0 are
 * skipped) with the history note "Kurum yetkilisi onayladı (toplu)" and
 * counts the approved and the refused ones (unknown, out of scope, not
 * waiting, or failed alike, so the page does not reveal which exist).
 * UC_FORBIDDEN (nothing done) when who is not an authority, UC_INVALID
 * when n is too large, else UC_OK. */
enum uc_rc decide_bulk_approve(struct uc_ctx *c, const struct access_actor *who, const int64_t *ids,
			       size_t n, int *approved, int *refused);

#endif
