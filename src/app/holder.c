/* The certificate holder's use cases (see holder.h). */
#include "app/holder.h"

#include <ctype.h>
#include <string.h>

#include "app/onrecord.h"
#include "app/otp.h"
#include "app/txn.h"
#include "domain/date.h"
#include "domain/email.h"
#include "domain/form.h"
#include "domain/phone.h"
#include "notify/outbox.h"
#include "pki/pki.h"
#include "store/audit.h"
#include "store/holder.h"
#include "util/log.h"

/* ---- one certificate of the holder ---- */

static const char *const not_yours = "Bu seri numarasıyla size ait bir sertifika bulunamadı.";

enum uc_rc holder_cert_find(struct uc_ctx *c, const struct application *holder, const char *serial,
			    struct holder_cert *out)
{
	char upper[81];
	size_t n = serial != NULL ? strlen(serial) : 0;
	if (n == 0 || n >= sizeof upper)
		return uc_fail(c, UC_NOT_FOUND, "seri", not_yours);
	for (size_t i = 0; i <= n; i++)
		upper[i] = (char)toupper((unsigned char)serial[i]);
	enum cert_status st;
	int64_t not_after;
	int rc = holder_certificate(c->d, upper, holder->tckn, &st, &not_after);
	if (rc == 1)
		return uc_fail(c, UC_NOT_FOUND, "seri", not_yours);
	if (rc != 0) {
		log_error("%s: reading certificate %s failed: %s", c->actor, upper,
			  db_errmsg(c->d));
		return UC_ERROR;
	}
	out->serial = arena_strdup(c->a, upper);
	out->view = holder_cert_view_of(st, not_after, c->now);
	out->status = st;
	return out->serial != NULL ? UC_OK : UC_ERROR;
}

/* holder_revoke_reason_crl() gives RFC 5280 codes, which pki's are. */
_Static_assert(PKI_REASON_KEY_COMPROMISE == 1 && PKI_REASON_AFFILIATION_CHANGED == 3 &&
		       PKI_REASON_CESSATION == 5,
	       "pki_reason is not RFC 5280's CRLReason");

/* One status change of a holder's certificate. */
struct cert_change {
	enum holder_cert_action action; /* the rule, the audit action, the status after */
	int pki_reason;			/* for pki_revoke_tx */
	const char *notice;		/* templates/msg/<name>.txt */
	const char *reason_tr;		/* revocation reason shown in the notice, or NULL */
};

/* "GG.AA.YYYY" in Türkiye time (arena). */
static const char *day_tr(struct uc_ctx *c, int64_t t)
{
	char out[11];
	date_format_tr(t + DATE_TR_OFFSET, out);
	return arena_strdup(c->a, out);
}

/* The audit record and the notice of a change of cert to the contacts on
 * record (e-mail and SMS), inside the open transaction. 0 or -1. */
static int record_change(struct uc_ctx *c, const struct application *holder,
			 const struct holder_cert *cert, const struct cert_change *ch)
{
	struct notify_vars vars = {0};
	notify_vars_set(&vars, "serial", cert->serial);
	notify_vars_set(&vars, "date", day_tr(c, c->now));
	if (ch->reason_tr != NULL)
		notify_vars_set(&vars, "reason", ch->reason_tr);
	const char *detail = arena_printf(c->a, "%s (NES Bireysel%s%s)",
					  pki_reason_name(ch->pki_reason),
					  ch->reason_tr ? ": " : "",
					  ch->reason_tr ? ch->reason_tr : "");
	if (audit_append(c->d,
			 &(struct audit_entry){
				 .actor = c->actor,
				 .client_ip = c->client_ip,
				 .object = arena_printf(c->a, "certificate:%s", cert->serial),
				 .action = holder_cert_action_name(ch->action),
				 .before = cert_status_name(cert->status),
				 .after = cert_status_name(holder_cert_action_result(ch->action)),
				 .detail = detail}) != 0)
		return -1;
	/* A security notice: to both contacts on record, whatever Bilgi Kanalı. */
	return onrecord_notify_holder(c, holder, ch->notice, &vars);
}

/* The change in one transaction (status read again inside it), then the
 * CRL and OCSP refresh. */
static enum uc_rc change_cert_once(struct uc_ctx *c, const struct application *holder,
				   const char *serial, const struct cert_change *ch)
{
	struct holder_cert cert;
	char err[256] = "";
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	rc = holder_cert_find(c, holder, serial, &cert);
	if (rc == UC_OK && !holder_cert_view_allows(cert.view, ch->action))
		rc = uc_fail(c, UC_CONFLICT, NULL,
			     arena_printf(c->a,
					  "Bu işlem sertifikanın şimdiki durumunda (%s) "
					  "yapılamaz.",
					  holder_cert_view_label(cert.view)));
	if (rc == UC_OK &&
	    pki_revoke_tx(c->d, cert.serial, ch->pki_reason, c->now, err, sizeof err) != 0)
		rc = uc_fail(c, UC_CONFLICT, NULL, arena_strdup(c->a, err));
	if (rc == UC_OK && record_change(c, holder, &cert, ch) != 0) {
		log_error("%s: %s of %s failed: %s", c->actor, holder_cert_action_name(ch->action),
			  cert.serial, db_errmsg(c->d));
		rc = UC_ERROR;
	}
	rc = uc_end(c, rc);
	if (rc != UC_OK)
		return rc;
	log_info("%s: %s %s by the holder", c->actor, cert.serial, pki_reason_name(ch->pki_reason));
	pki_after_revocation(c->d);
	return UC_OK;
}

/* change_cert_once(), run again after a serialization failure or deadlock
 * (an approval revoking the same certificate on another node). */
static enum uc_rc change_cert(struct uc_ctx *c, const struct application *holder,
			      const char *serial, const struct cert_change *ch)
{
	enum uc_rc rc;
	int attempt = 0;
	do
		rc = change_cert_once(c, holder, serial, ch);
	while (uc_again(c, rc, &attempt));
	return rc;
}

enum uc_rc holder_cert_hold(struct uc_ctx *c, const struct application *holder, const char *serial)
{
	static const struct cert_change ch = {HCA_HOLD, PKI_REASON_HOLD, "cert_hold", NULL};
	return change_cert(c, holder, serial, &ch);
}

enum uc_rc holder_cert_release(struct uc_ctx *c, const struct application *holder,
			       const char *serial)
{
	static const struct cert_change ch = {HCA_RELEASE, PKI_REASON_REMOVE_FROM_CRL,
					      "cert_released", NULL};
	return change_cert(c, holder, serial, &ch);
}

enum uc_rc holder_cert_revoke(struct uc_ctx *c, const struct application *holder,
			      const char *serial, enum holder_revoke_reason why)
{
	if ((unsigned)why >= HRR__MAX)
		return uc_fail(c, UC_INVALID, "neden", "İptal nedenini seçiniz.");
	struct cert_change ch = {HCA_REVOKE, holder_revoke_reason_crl(why), "cert_revoked",
				 holder_revoke_reason_label(why)};
	return change_cert(c, holder, serial, &ch);
}

/* ---- contact details ---- */

enum uc_rc holder_contact_check(struct uc_ctx *c, const struct holder_contact *in,
				struct holder_contact *out, char tel[11])
{
	*out = *in;
	if (!email_valid(in->eposta))
		return uc_fail(c, UC_INVALID, "eposta",
			       "E-posta adresi geçerli değil (ör. ad.soyad@meb.gov.tr).");
	if (phone_normalize_mobile(in->cep_tel, tel) != 0)
		return uc_fail(c, UC_INVALID, "cep_tel",
			       "Cep Telefonu 5XX XXX XX XX biçiminde bir cep telefonu numarası "
			       "olmalıdır.");
	out->cep_tel = tel;
	if (in->bilgi_kanali == NULL || form_channel_parse(in->bilgi_kanali) <= 0)
		return uc_fail(c, UC_INVALID, "bilgi_kanali", "Bilgi Kanalı seçiniz.");
	return UC_OK;
}

/* "eposta cep_tel bilgi_kanali": the fields that change (arena). */
static const char *changed_fields(struct uc_ctx *c, const struct application *holder,
				  const struct holder_contact *to)
{
	return arena_printf(c->a, "%s%s%s",
			    strcmp(holder->form[FF_EPOSTA], to->eposta) ? "eposta " : "",
			    strcmp(holder->form[FF_CEP_TEL], to->cep_tel) ? "cep_tel " : "",
			    strcmp(form_channel_name(holder->channels), to->bilgi_kanali)
				    ? "bilgi_kanali"
				    : "");
}

/* The update, its audit record and the notice to the old details, inside
 * the open transaction. 0 or -1. */
static int store_contact(struct uc_ctx *c, const struct application *holder,
			 const struct holder_contact *to)
{
	struct notify_vars vars = {0};
	char when[17];
	date_format_tr_time(c->now, when);
	notify_vars_set(&vars, "name", arena_printf(c->a, "%s %s", holder->ad, holder->soyad));
	notify_vars_set(&vars, "date", when);
	unsigned channels = (unsigned)form_channel_parse(to->bilgi_kanali);
	if (holder_set_contact(c->d, holder->id, to->eposta, to->cep_tel, channels, c->now) != 0)
		return -1;
	if (audit_append(c->d, &(struct audit_entry){.actor = c->actor,
						     .client_ip = c->client_ip,
						     .object = uc_application_object(c, holder),
						     .action = "contact_update",
						     .detail = changed_fields(c, holder, to)}) != 0)
		return -1;
	return outbox_notify_applicant(c->d, holder->channels, holder->form[FF_EPOSTA],
				       holder->form[FF_CEP_TEL], "contact_changed", &vars,
				       holder->number);
}

enum uc_rc holder_contact_change(struct uc_ctx *c, const struct application *holder,
				 const struct holder_contact *to, const char *sms_code)
{
	struct holder_contact ok;
	char tel[11];
	enum uc_rc rc = holder_contact_check(c, to, &ok, tel);
	if (rc != UC_OK)
		return rc;
	/* The code's try is used up outside our transaction, so that a wrong
	 * code counts even though nothing else is written. */
	if (strcmp(ok.cep_tel, holder->form[FF_CEP_TEL]) != 0 &&
	    (rc = otp_check(c, holder, OTP_CONTACT_CHANGE, sms_code)) != UC_OK)
		return rc;
	if ((rc = uc_begin(c)) != UC_OK)
		return rc;
	if (store_contact(c, holder, &ok) != 0) {
		log_error("%s: contact update of %s failed: %s", c->actor, holder->number,
			  db_errmsg(c->d));
		rc = UC_ERROR;
	}
	rc = uc_end(c, rc);
	if (rc == UC_OK)
		log_info("%s: contact details of %s changed", c->actor, holder->number);
	return rc;
}
