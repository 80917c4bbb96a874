/* The CA operator (SM Operatörü): wet-signed paperwork received by post,
 * fees, production (issue from the card's CSR), courier hand-over,
 * delivery and returns. Each use case is one transaction: the application's
 * step (application_step: state, history, audit record, the holder's
 * notice) and the row it records, together. The caller has checked that
 * the actor is an operator; app is loaded by the caller and updated on
 * success. */
#ifndef EIMZA_APP_OPERATOR_H
#define EIMZA_APP_OPERATOR_H

#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "store/paperwork.h"
#include "store/payment.h"
#include "store/shipment.h"

/* The wet-signed forms arrived with the institution's DYS letter. */
struct op_paperwork {
	const char *dys_no;   /* required */
	const char *dys_date; /* required: GG.AA.YYYY or YYYY-MM-DD (date_parse) */
	const char *post_no;  /* registered post number, required */
};
/* Records the paperwork and clears NEEDS_PAPERWORK (APPROVED when nothing
 * else is pending), notice "paperwork_received". UC_INVALID (message) for a
 * missing field or a bad date, UC_CONFLICT when the application does not
 * wait for paperwork. */
enum uc_rc operator_record_paperwork(struct uc_ctx *c, struct application *app,
				     const struct op_paperwork *in);

/* The fee was paid: amount as typed ("170", "170,00"), receipt number. */
struct op_payment {
	const char *amount, *receipt_no;
};
/* Records the payment and clears NEEDS_PAYMENT, notice "payment_received".
 * UC_INVALID (message) unless the amount equals the fee owed by the
 * application (fixed from fee_for_reason when it was submitted) and a
 * receipt number is given; UC_CONFLICT when no payment is pending. */
enum uc_rc operator_record_payment(struct uc_ctx *c, struct application *app,
				   const struct op_payment *in);

/* Issues the certificate for the key generated on the card (csr_pem:
 * PKCS#10 PEM) through pki_issue and moves APPROVED -> PRODUCED, notice
 * "produced". A renewal starts when the replaced certificate ends. Writes
 * the new serial (hex) to serial. UC_INVALID (message) for a missing CSR or
 * one the CA refuses (nothing stored), UC_CONFLICT unless APPROVED. */
enum uc_rc operator_produce(struct uc_ctx *c, struct application *app, const char *csr_pem,
			    char serial[81]);

/* Card production (app/card.c): the PKCS#10 request (DER) signed on the
 * card by the key generated there, and what is done on the card inside
 * the same transaction once the certificate is issued (write it onto the
 * card, record the card): UC_OK or a failure that rolls everything back. */
struct op_card {
	const unsigned char *csr_der;
	size_t csr_len;
	enum uc_rc (*finish)(struct uc_ctx *c, const struct application *app, const char *serial,
			     void *arg);
	void *arg;
};
/* As operator_produce, but the certificate is issued under the card
 * profile (KEY_ON_QSCD: QcSSCD, QCP-n-qscd; only a signer serving `eimza
 * card produce` grants it), then card->finish runs; one transaction with
 * the step, its audit record and the "produced" notice. */
enum uc_rc operator_produce_card(struct uc_ctx *c, struct application *app,
				 const struct op_card *card, char serial[81]);

/* The card goes to the courier. */
struct op_ship {
	const char *courier, *tracking_no;
	const char *tracking_url; /* the public tracking page, for the notice */
};
/* Records a shipment (status yolda, with its first event) and notifies
 * "shipped" with tracking_no and tracking_url. From PRODUCED the
 * application becomes SHIPPED; from SHIPPED after a return it is shipped
 * again (audit "reshipped", no state change). UC_INVALID (message) without a
 * courier or with a malformed tracking number, or when the tracking number
 * is already used; UC_CONFLICT otherwise (not produced, already on its
 * way: a card is never shipped twice at once). */
enum uc_rc operator_ship(struct uc_ctx *c, struct application *app, const struct op_ship *in);

/* The operator records that the holder received the card: a TESLIM event
 * on the newest shipment (courier_apply), so SHIPPED -> DELIVERED.
 * UC_CONFLICT (message) when there is no shipment or it is closed. */
enum uc_rc operator_deliver(struct uc_ctx *c, struct application *app);

/* The card came back: an IADE event on the newest shipment (note NULL or
 * "": "Gönderi iade edildi"). The application stays SHIPPED and may be
 * shipped again. UC_CONFLICT (message) unless SHIPPED with an open
 * shipment. */
enum uc_rc operator_record_return(struct uc_ctx *c, struct application *app, const char *note);

/* What the operator has recorded for an application (strings in c->a). */
struct op_facts {
	int has_paperwork, has_payment, has_shipment;
	struct paperwork paperwork;
	struct payment payment;
	struct shipment shipment; /* the newest */
};
/* Reads them; UC_OK or UC_ERROR. */
enum uc_rc operator_facts(struct uc_ctx *c, const struct application *app, struct op_facts *out);

/* Which operator actions the application's state allows now. */
struct op_actions {
	int paperwork, payment, produce, ship, deliver;
};
void operator_actions(const struct application *app, const struct op_facts *f,
		      struct op_actions *out);

/* The operator's work queues. */
enum op_queue {
	OPQ_PAPERWORK,	/* waiting for wet-signed paperwork */
	OPQ_PAYMENT,	/* waiting for the fee */
	OPQ_PRODUCTION, /* approved */
	OPQ_SHIPPING,	/* produced */
	OPQ_IN_TRANSIT, /* shipped */
	OPQ__MAX
};
/* Calls cb for each application of queue q, least recently changed first,
 * at most limit (strings in c->a). UC_OK or UC_ERROR. */
enum uc_rc operator_queue(struct uc_ctx *c, enum op_queue q, int limit,
			  void (*cb)(void *ctx, const struct application *a), void *ctx);

#endif
