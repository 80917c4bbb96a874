/* Message templates: templates/msg/<name>.txt (compiled in), plain UTF-8
 * text, no HTML.
 *
 * A template starts with header lines "Konu: ..." (the e-mail subject,
 * required) and optionally "SMS: ..." (the SMS text; without it an SMS
 * carries the body), then one blank line, then the e-mail body. Placeholders
 * {{key}} take values from struct notify_vars; {{base_url}} and
 * {{contact_phones}} default to the configuration, {{edevlet_pin}} to the
 * guide's e-Devlet step (domain/guidance.h, also on /bireysel/pin). A placeholder without a
 * value is an error, so a message never goes out with "{{...}}" in it.
 *
 * Templates and the variables they use (vars beyond `name` = applicant's full
 * name and `application_no` where the message is about an application):
 *   sms_otp                    code
 *   application_received       name, application_no
 *   authority_new_application  name, institution, application_no
 *   approved, paperwork_received, produced, delivered, cancelled
 *                              name, application_no
 *   rejected                   name, application_no, reason
 *   payment_received           name, application_no, amount
 *   shipped                    name, application_no, tracking_no, tracking_url
 *   application_received also payment (the fee's payment instruction
 *                              or "", app/payinfo.h)
 *   renewal_reminder_90, renewal_reminder_25
 *                              name, expiry_date (GG.AA.YYYY)
 *   institution_decision       name, title, tckn_tail, institution,
 *                              application_no, decision, reason_line, decider
 *   institution_endorsement    name, institution, application_no, sample,
 *                              link, expiry_date
 */
#ifndef EIMZA_MSGTPL_H
#define EIMZA_MSGTPL_H

#include "notify/notify.h"

struct msgtpl_out {
	char *subject;	/* malloc'd */
	char *body;	/* malloc'd: the e-mail body */
	char *sms_text; /* malloc'd: the SMS text */
};

/* Renders templates/msg/<name>.txt with vars. 0 on success (caller frees with
 * msgtpl_out_free), -1 on an unknown template, a malformed template or a
 * placeholder without value (logged). */
int msgtpl_render(const char *name, const struct notify_vars *vars, struct msgtpl_out *out);
void msgtpl_out_free(struct msgtpl_out *out);

#endif
