/* The application's state machine, pending flags and reasons (DESIGN.md
 * "Application states"). States, events and reasons are stored and logged
 * by name (app_*_name), never by number. */
#ifndef EIMZA_DOMAIN_APPLICATION_H
#define EIMZA_DOMAIN_APPLICATION_H

#include <stdint.h>

enum app_state {
	APP_FORM_CONFIRMED,
	APP_SMS_VERIFIED,
	APP_SIGNING,
	APP_AWAITING_APPROVAL,
	APP_APPROVED,
	APP_PRODUCED,
	APP_SHIPPED,
	APP_DELIVERED,
	APP_REJECTED,
	APP_CANCELLED,
	APP_STATE__MAX
};

/* Conditions pending beside APP_AWAITING_APPROVAL; the application moves
 * to APP_APPROVED when all are cleared. */
enum app_flag { APP_NEEDS_APPROVAL = 1, APP_NEEDS_PAPERWORK = 2, APP_NEEDS_PAYMENT = 4 };
#define APP_FLAGS_ALL 7u

enum app_event {
	EV_SMS_VERIFIED,
	EV_SIGNING_STARTED,
	EV_SIGNING_CHOSEN_WET,
	EV_SIGNING_CHOSEN_EAPPROVAL,
	EV_AUTHORITY_APPROVED,
	EV_PAPERWORK_RECEIVED,
	EV_PAYMENT_RECEIVED,
	EV_PRODUCED,
	EV_SHIPPED,
	EV_DELIVERED,
	EV_REJECTED,
	EV_CANCELLED,
	EV__MAX
};

/* Başvuru Nedeni; names are the form's values. */
enum app_reason { REASON_ILK, REASON_YENILEME, REASON_KAYIP_CALINTI, REASON_DIGER, REASON__MAX };

/* Signing method (Adım 5); names are the form's values (imza_yontemi). */
enum sign_method { SIGN_NONE, SIGN_E_ONAY, SIGN_ISLAK, SIGN__MAX };

/* "", "E_ONAY", "ISLAK"; "?" if bad. Static string. */
const char *sign_method_name(enum sign_method m);
/* The method of a stored or submitted value (NULL and "" give SIGN_NONE),
 * or -1. */
int sign_method_parse(const char *name);
/* "Islak İmzalı Başvuru", "E-Onaylı Başvuru", "-"; static. */
const char *sign_method_label_tr(enum sign_method m);

/* "FORM_CONFIRMED", ...; "?" for an out-of-range value. Static string. */
const char *app_state_name(enum app_state s);
/* The state of a name from app_state_name (exact, case-sensitive), or -1. */
int app_state_parse(const char *name);
/* Turkish label for applicants ("Form onaylandı", ...); static, "?" if bad. */
const char *app_state_label_tr(enum app_state s);
/* 1 for states from which the application may still be rejected or
 * cancelled: FORM_CONFIRMED .. APPROVED. 0 for PRODUCED and later. */
int app_state_is_open(enum app_state s);
/* 1 for states that accept no event: DELIVERED, REJECTED, CANCELLED. */
int app_state_is_terminal(enum app_state s);

/* "SMS_VERIFIED", ...; "?" if bad. Static string. */
const char *app_event_name(enum app_event ev);
/* The event of a name, or -1. */
int app_event_parse(const char *name);

/* Turkish description of one pending flag ("Kurum onayı bekleniyor",
 * "Islak imzalı evrak bekleniyor", "Ücret ödemesi bekleniyor"), or NULL
 * if f is not a single known flag. Static string. */
const char *app_flag_label_tr(enum app_flag f);

/* "ILK", "YENILEME", "KAYIP_CALINTI", "DIGER"; "?" if bad. */
const char *app_reason_name(enum app_reason r);
/* The reason of a form value, or -1. */
int app_reason_parse(const char *name);
/* "İlk Başvuru", "Yenileme", "Kayıp/Çalıntı", "Diğer"; "?" if bad. */
const char *app_reason_label_tr(enum app_reason r);

/*
 * Applies event ev to an application in state `from` with pending `flags`.
 * Returns 0 and sets *to / *to_flags, or -1 (outputs untouched) when the
 * event is not allowed there. The rules:
 *   FORM_CONFIRMED   --SMS_VERIFIED-->            SMS_VERIFIED
 *   SMS_VERIFIED     --SIGNING_STARTED-->         SIGNING
 *   SMS_VERIFIED | SIGNING --SIGNING_CHOSEN_*-->  AWAITING_APPROVAL with
 *       NEEDS_APPROVAL | (WET ? NEEDS_PAPERWORK) | (fee_due ? NEEDS_PAYMENT)
 *       (fee_due: the caller's fee_for_reason(reason, ...) > 0). E-approval
 *       is refused for REASON_ILK (a first application is always wet-signed);
 *       the caller checks renewal_requires_wet_signature for the others.
 *   AWAITING_APPROVAL --AUTHORITY_APPROVED / PAPERWORK_RECEIVED /
 *       PAYMENT_RECEIVED--> clears its flag (-1 if it was not pending); with
 *       no flag left the state becomes APPROVED.
 *   APPROVED --PRODUCED--> PRODUCED --SHIPPED--> SHIPPED --DELIVERED--> DELIVERED
 *   any open state --REJECTED--> REJECTED, --CANCELLED--> CANCELLED (flags 0)
 * Terminal states accept nothing; flags outside APP_FLAGS_ALL, flags on a
 * state other than AWAITING_APPROVAL, and bad enum values give -1.
 */
int app_transition(enum app_state from, unsigned flags, enum app_event ev, enum app_reason reason,
		   int fee_due, enum app_state *to, unsigned *to_flags);

/* Writes the human application number "YYYY-NNNNNN" (sequence zero-padded
 * to 6 digits, wider if needed) to out. 0, or -1 if year is not 1..9999 or
 * seq is not 1..999999999999 (out is then ""). */
int app_number_format(int year, int64_t seq, char out[24]);

#endif
