/* The CA operator's use cases: paperwork, payment, production, shipping,
 * delivery and returns, each one transaction. */
#include "app/operator.h"

#include <stdio.h>
#include <string.h>

#include "app/courier.h"
#include "app/email_confirm.h"
#include "domain/date.h"
#include "domain/renewal.h"
#include "domain/shipment.h"
#include "domain/trcase.h"
#include "pki/pki.h"
#include "store/audit.h"
#include "store/card.h"
#include "notify/outbox.h"
#include "util/log.h"

static const char *const msg_state = "Bu işlem başvurunun şu anki durumunda yapılamaz.";

static int empty(const char *s)
{
	return s == NULL || *s == '\0';
}

/* application_step, with the operator's wording for a refused step. */
static enum uc_rc op_step(struct uc_ctx *c, struct application *app, const struct uc_step *s)
{
	enum uc_rc rc = application_step(c, app, s);
	if (rc == UC_CONFLICT)
		c->message = msg_state;
	return rc;
}

/* Ends the transaction begun for app; when it did not commit, app gets back
 * the state and flags it had before (application_step changed them). */
static enum uc_rc op_end(struct uc_ctx *c, struct application *app, enum app_state state,
			 int64_t flags, enum uc_rc rc)
{
	rc = uc_end(c, rc);
	if (rc != UC_OK) {
		app->state = state;
		app->flags = flags;
	}
	return rc;
}

/* A row insert that found one already there (1) is a
 * conflict, a failure (-1) an error. */
static enum uc_rc row_rc(struct uc_ctx *c, int rc, const char *what)
{
	if (rc == 0)
		return UC_OK;
	if (rc == 1)
		return uc_fail(c, UC_CONFLICT, NULL, msg_state);
	log_error("%s: %s failed: %s", c->actor, what, db_errmsg(c->d));
	return UC_ERROR;
}

/* ---- paperwork ---- */

enum uc_rc operator_record_paperwork(struct uc_ctx *c, struct application *app,
				     const struct op_paperwork *in)
{
	int y, m, d;
	if (empty(in->dys_no) || empty(in->post_no) || date_parse(in->dys_date, &y, &m, &d) != 0)
		return uc_fail(c, UC_INVALID, "dys_tarihi",
			       "Evrak kaydı için DYS sayısı, DYS tarihi (GG.AA.YYYY) ve iadeli "
			       "taahhütlü posta numarası zorunludur.");
	if (!(app->flags & APP_NEEDS_PAPERWORK))
		return uc_fail(c, UC_CONFLICT, NULL, "Bu başvuru ıslak imzalı evrak beklemiyor.");
	struct paperwork p = {.application_id = app->id,
			      .dys_no = in->dys_no,
			      .dys_date = arena_printf(c->a, "%04d-%02d-%02d", y, m, d),
			      .post_no = in->post_no,
			      .recorded_by = c->actor,
			      .recorded_at = c->now};
	enum app_state state0 = app->state;
	int64_t flags0 = app->flags;
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	struct notify_vars vars = {0};
	rc = op_step(c, app,
		     &(struct uc_step){.ev = EV_PAPERWORK_RECEIVED,
				       .action = "paperwork_received",
				       .note = arena_printf(
					       c->a,
					       "Islak imzalı evrak alındı (DYS %s, %s; posta %s)",
					       p.dys_no, p.dys_date, p.post_no),
				       .notify = "paperwork_received",
				       .vars = &vars});
	if (rc == UC_OK)
		rc = row_rc(c, paperwork_insert(c->d, &p), "paperwork");
	return op_end(c, app, state0, flags0, rc);
}

/* ---- payment ---- */

enum uc_rc operator_record_payment(struct uc_ctx *c, struct application *app,
				   const struct op_payment *in)
{
	long kurus = -1;
	char due[32], paid[32];
	fee_format_tl((long)app->fee_kurus, due);
	if (in->amount == NULL || fee_parse_tl(in->amount, &kurus) != 0 ||
	    kurus != app->fee_kurus || empty(in->receipt_no))
		return uc_fail(c, UC_INVALID, "tutar",
			       arena_printf(c->a,
					    "Ödeme kaydedilemedi: tutar başvurunun ücretine "
					    "(%s) eşit olmalı ve makbuz numarası "
					    "girilmelidir.",
					    due));
	if (!(app->flags & APP_NEEDS_PAYMENT))
		return uc_fail(c, UC_CONFLICT, NULL, "Bu başvuru ücret ödemesi beklemiyor.");
	fee_format_tl(kurus, paid);
	struct payment p = {.application_id = app->id,
			    .amount_kurus = kurus,
			    .receipt_no = in->receipt_no,
			    .recorded_by = c->actor,
			    .recorded_at = c->now};
	enum app_state state0 = app->state;
	int64_t flags0 = app->flags;
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	struct notify_vars vars = {0};
	notify_vars_set(&vars, "amount", paid);
	rc = op_step(c, app,
		     &(struct uc_step){.ev = EV_PAYMENT_RECEIVED,
				       .action = "payment_received",
				       .note = arena_printf(c->a, "Ücret ödendi: %s (makbuz %s)",
							    paid, in->receipt_no),
				       .notify = "payment_received",
				       .vars = &vars});
	if (rc == UC_OK)
		rc = row_rc(c, payment_insert(c->d, &p), "payment");
	return op_end(c, app, state0, flags0, rc);
}

/* ---- production ---- */

struct replaced {
	const char *serial;
	int found;
	struct cert_summary cert;
};

static void find_replaced(const struct pki_cert_summary *s, void *arg)
{
	struct replaced *r = arg;
	if (r->found || strcmp(s->serial_hex, r->serial) != 0)
		return;
	r->found = 1;
	r->cert = (struct cert_summary){.not_before = s->not_before,
					.not_after = s->not_after,
					.revoked = s->status != PKI_GOOD};
}

/* The serial a renewal renews, when the certificate it replaces has not
 * ended yet (the new one starts at its end; the signer checks the renewal
 * window); else NULL: a new certificate from now. */
static const char *renewed_serial(struct uc_ctx *c, const struct application *app)
{
	if (app->reason != REASON_YENILEME || app->replaces_serial == NULL)
		return NULL;
	struct replaced r = {.serial = app->replaces_serial};
	if (pki_cert_list_for_tckn(c->d, app->tckn, find_replaced, &r) < 0 || !r.found ||
	    renewal_new_not_before(&r.cert, c->now) == c->now)
		return NULL;
	return app->replaces_serial;
}

/* Issues inside the open transaction; UC_INVALID with the CA's reason.
 * csr: PEM (csr_len 0) or DER; key_on_qscd only from card production. */
static enum uc_rc issue(struct uc_ctx *c, const struct application *app, const char *csr,
			size_t csr_len, int key_on_qscd, char serial[81])
{
	char given[256], sur[256], err[256] = "";
	struct pki_issued out;
	if (trcase_upper(app->ad, given, sizeof given) != 0 ||
	    trcase_upper(app->soyad, sur, sizeof sur) != 0)
		return uc_fail(c, UC_INVALID, "csr",
			       "Sertifika üretilemedi: Ad ya da soyad "
			       "sertifikaya yazılamadı.");
	struct pki_issue_req rq = {.csr_pem = csr,
				   .csr_len = csr_len,
				   .key_on_qscd = key_on_qscd,
				   .tckn = app->tckn,
				   .given_name = given,
				   .surname = sur,
				   .years = (int)application_form_int(app, FF_SERTIFIKA_SURESI),
				   .application_id = app->id,
				   .application_ref = app->number,
				   /* only an address the applicant proved */
				   .email = email_confirm_for_cert(c->d, app),
				   .renews = renewed_serial(c, app)};
	if (pki_issue(c->d, &rq, &out, err, sizeof err) != 0)
		return uc_fail(c, UC_INVALID, "csr",
			       arena_printf(c->a, "Sertifika üretilemedi: %s",
					    err[0] ? err : "bilinmeyen hata"));
	snprintf(serial, 81, "%s", out.serial_hex);
	pki_issued_free(&out);
	return UC_OK;
}

enum uc_rc operator_produce(struct uc_ctx *c, struct application *app, const char *csr_pem,
			    char serial[81])
{
	serial[0] = '\0';
	if (csr_pem == NULL || strstr(csr_pem, "-----BEGIN CERTIFICATE REQUEST-----") == NULL)
		return uc_fail(c, UC_INVALID, "csr",
			       "Sertifika üretimi için kartta üretilen anahtarın sertifika "
			       "isteğini (PKCS#10, PEM) yapıştırınız.");
	enum app_state state0 = app->state;
	int64_t flags0 = app->flags;
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	rc = op_step(c, app,
		     &(struct uc_step){.ev = EV_PRODUCED,
				       .action = "produced",
				       .note = "Sertifika ve kart üretildi",
				       .notify = "produced"});
	if (rc == UC_OK)
		rc = issue(c, app, csr_pem, 0, 0, serial);
	rc = op_end(c, app, state0, flags0, rc);
	if (rc != UC_OK)
		serial[0] = '\0';
	return rc;
}

enum uc_rc operator_produce_card(struct uc_ctx *c, struct application *app,
				 const struct op_card *card, char serial[81])
{
	serial[0] = '\0';
	enum app_state state0 = app->state;
	int64_t flags0 = app->flags;
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	rc = op_step(c, app,
		     &(struct uc_step){.ev = EV_PRODUCED,
				       .action = "produced",
				       .note = "Sertifika ve kart üretildi",
				       .notify = "produced"});
	if (rc == UC_OK)
		rc = issue(c, app, (const char *)card->csr_der, card->csr_len, 1, serial);
	if (rc == UC_OK)
		rc = card->finish(c, app, serial, card->arg);
	rc = op_end(c, app, state0, flags0, rc);
	if (rc != UC_OK)
		serial[0] = '\0';
	return rc;
}

/* ---- shipping ---- */

/* The shipment row; a taken tracking number is the operator's input error. */
static enum uc_rc insert_shipment(struct uc_ctx *c, const struct application *app,
				  const struct op_ship *in)
{
	int64_t id;
	int rc = shipment_insert(c->d, app->id, in->courier, in->tracking_no,
				 "Gönderi kuryeye teslim edildi", c->now, &id);
	if (rc == 1)
		return uc_fail(c, UC_INVALID, "takip_no",
			       "Bu takip numarası başka bir gönderide kullanılıyor.");
	return row_rc(c, rc, "shipment");
}

/* Ships again after a return: shipment, audit record and notice. */
static enum uc_rc reship(struct uc_ctx *c, const struct application *app, const struct op_ship *in,
			 struct notify_vars *vars)
{
	enum uc_rc rc = insert_shipment(c, app, in);
	if (rc != UC_OK)
		return rc;
	notify_vars_set(vars, "name", arena_printf(c->a, "%s %s", app->ad, app->soyad));
	notify_vars_set(vars, "application_no", app->number);
	const char *state = app_state_name(app->state);
	int r = audit_append(c->d, &(struct audit_entry){.actor = c->actor,
							 .client_ip = c->client_ip,
							 .object = uc_application_object(c, app),
							 .action = "reshipped",
							 .before = state,
							 .after = state,
							 .detail = arena_printf(c->a, "%s %s",
										in->courier,
										in->tracking_no)});
	if (r == 0)
		r = outbox_notify_applicant(c->d, app->channels, app->form[FF_EPOSTA],
					    app->form[FF_CEP_TEL], "shipped", vars, app->number);
	return row_rc(c, r, "reshipment");
}

/* A card the CA produced goes to the courier once (card_tokens.shipped_at;
 * a return is resent as the same shipment, reship). */
static enum uc_rc ship_card_once(struct uc_ctx *c, const struct application *app)
{
	int r = card_mark_shipped(c->d, app->id, c->now);
	if (r == 1)
		return uc_fail(c, UC_CONFLICT, NULL, "Bu kart zaten kargoya verildi.");
	return row_rc(c, r, "card shipped");
}

enum uc_rc operator_ship(struct uc_ctx *c, struct application *app, const struct op_ship *in)
{
	if (empty(in->courier) || !ship_tracking_no_valid(in->tracking_no))
		return uc_fail(c, UC_INVALID, "takip_no",
			       "Kurye firması ve takip numarası (4-40 harf, rakam ya da tire) "
			       "zorunludur.");
	enum app_state state0 = app->state;
	int64_t flags0 = app->flags;
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	struct shipment last;
	struct notify_vars vars = {0};
	notify_vars_set(&vars, "tracking_no", in->tracking_no);
	notify_vars_set(&vars, "tracking_url", in->tracking_url ? in->tracking_url : "");
	int has = shipment_latest_for_application(c->d, c->a, app->id, &last);
	enum ship_dispatch how = ship_dispatch(app->state, has == 0, last.status);
	if (has < 0)
		rc = row_rc(c, -1, "latest shipment");
	else if (how == SHIP_AGAIN)
		rc = reship(c, app, in, &vars);
	else if (how == SHIP_REFUSED)
		rc = uc_fail(c, UC_CONFLICT, NULL, msg_state);
	else
		rc = op_step(c, app,
			     &(struct uc_step){
				     .ev = EV_SHIPPED,
				     .action = "shipped",
				     .notify = "shipped",
				     .vars = &vars,
				     .note = arena_printf(c->a, "Kargoya verildi: %s, takip no %s",
							  in->courier, in->tracking_no)});
	if (rc == UC_OK && how == SHIP_FIRST)
		rc = insert_shipment(c, app, in);
	if (rc == UC_OK && how == SHIP_FIRST)
		rc = ship_card_once(c, app);
	return op_end(c, app, state0, flags0, rc);
}

/* ---- delivery and returns ---- */

/* A courier event on the newest shipment, recorded by the operator. */
static enum uc_rc newest_event(struct uc_ctx *c, struct application *app, enum ship_status ev,
			       const char *note, const char *none)
{
	enum app_state state0 = app->state;
	int64_t flags0 = app->flags;
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	struct shipment s;
	int has = shipment_latest_for_application(c->d, c->a, app->id, &s);
	if (has < 0)
		rc = row_rc(c, -1, "latest shipment");
	else if (has == 1 || (ev == SHIP_IADE && app->state != APP_SHIPPED))
		rc = uc_fail(c, UC_CONFLICT, NULL, none);
	else if ((rc = courier_apply(c, &s, ev, NULL, note, c->now)) == UC_CONFLICT)
		c->message = msg_state;
	rc = op_end(c, app, state0, flags0, rc);
	if (rc == UC_OK && ev == SHIP_TESLIM)
		app->state = APP_DELIVERED; /* courier_apply stepped its own copy */
	return rc;
}

enum uc_rc operator_deliver(struct uc_ctx *c, struct application *app)
{
	return newest_event(c, app, SHIP_TESLIM, "Teslim edildi (SM operatörü kaydetti)",
			    "Bu başvurunun gönderisi yok.");
}

enum uc_rc operator_record_return(struct uc_ctx *c, struct application *app, const char *note)
{
	return newest_event(c, app, SHIP_IADE, empty(note) ? "Gönderi iade edildi" : note,
			    "Bu başvurunun yoldaki bir gönderisi yok.");
}

/* ---- what the application page shows ---- */

enum uc_rc operator_facts(struct uc_ctx *c, const struct application *app, struct op_facts *out)
{
	memset(out, 0, sizeof *out);
	int pw = paperwork_load(c->d, c->a, app->id, &out->paperwork);
	int pay = payment_load(c->d, c->a, app->id, &out->payment);
	int sh = shipment_latest_for_application(c->d, c->a, app->id, &out->shipment);
	if (pw < 0 || pay < 0 || sh < 0) {
		log_error("%s: facts of %s: %s", c->actor, app->number, db_errmsg(c->d));
		return UC_ERROR;
	}
	out->has_paperwork = pw == 0;
	out->has_payment = pay == 0;
	out->has_shipment = sh == 0;
	return UC_OK;
}

void operator_actions(const struct application *app, const struct op_facts *f,
		      struct op_actions *out)
{
	int waiting = app->state == APP_AWAITING_APPROVAL;
	out->paperwork = waiting && (app->flags & APP_NEEDS_PAPERWORK);
	out->payment = waiting && (app->flags & APP_NEEDS_PAYMENT);
	out->produce = app->state == APP_APPROVED;
	out->ship = ship_dispatch(app->state, f->has_shipment, f->shipment.status) != SHIP_REFUSED;
	out->deliver = ship_may_deliver(app->state, f->has_shipment, f->shipment.status);
}

/* ---- queues ---- */

static const struct {
	enum app_state state;
	unsigned flags;
} queues[OPQ__MAX] = {
	[OPQ_PAPERWORK] = {APP_AWAITING_APPROVAL, APP_NEEDS_PAPERWORK},
	[OPQ_PAYMENT] = {APP_AWAITING_APPROVAL, APP_NEEDS_PAYMENT},
	[OPQ_PRODUCTION] = {APP_APPROVED, 0},
	[OPQ_SHIPPING] = {APP_PRODUCED, 0},
	[OPQ_IN_TRANSIT] = {APP_SHIPPED, 0},
};

enum uc_rc operator_queue(struct uc_ctx *c, enum op_queue q, int limit,
			  void (*cb)(void *ctx, const struct application *a), void *ctx)
{
	if ((unsigned)q >= OPQ__MAX)
		return UC_INVALID;
	if (application_list_by_state(c->d, c->a, queues[q].state, queues[q].flags, limit, cb,
				      ctx) != 0) {
		log_error("%s: operator queue %d: %s", c->actor, (int)q, db_errmsg(c->d));
		return UC_ERROR;
	}
	return UC_OK;
}
