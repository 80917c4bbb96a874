/* Application state machine, names and labels. */
#include "domain/application.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const app_state_names[APP_STATE__MAX] = {
	[APP_FORM_CONFIRMED] = "FORM_CONFIRMED",
	[APP_SMS_VERIFIED] = "SMS_VERIFIED",
	[APP_SIGNING] = "SIGNING",
	[APP_AWAITING_APPROVAL] = "AWAITING_APPROVAL",
	[APP_APPROVED] = "APPROVED",
	[APP_PRODUCED] = "PRODUCED",
	[APP_SHIPPED] = "SHIPPED",
	[APP_DELIVERED] = "DELIVERED",
	[APP_REJECTED] = "REJECTED",
	[APP_CANCELLED] = "CANCELLED",
};

static const char *const app_state_labels[APP_STATE__MAX] = {
	[APP_FORM_CONFIRMED] = "Form onaylandı",
	[APP_SMS_VERIFIED] = "SMS doğrulandı",
	[APP_SIGNING] = "İmza yöntemi bekleniyor",
	[APP_AWAITING_APPROVAL] = "Kurum onayı bekleniyor",
	[APP_APPROVED] = "Onaylandı, üretim bekleniyor",
	[APP_PRODUCED] = "Üretildi",
	[APP_SHIPPED] = "Kargoya verildi",
	[APP_DELIVERED] = "Teslim edildi",
	[APP_REJECTED] = "Reddedildi",
	[APP_CANCELLED] = "İptal edildi",
};

static const char *const app_event_names[EV__MAX] = {
	[EV_SMS_VERIFIED] = "SMS_VERIFIED",
	[EV_SIGNING_STARTED] = "SIGNING_STARTED",
	[EV_SIGNING_CHOSEN_WET] = "SIGNING_CHOSEN_WET",
	[EV_SIGNING_CHOSEN_EAPPROVAL] = "SIGNING_CHOSEN_EAPPROVAL",
	[EV_AUTHORITY_APPROVED] = "AUTHORITY_APPROVED",
	[EV_PAPERWORK_RECEIVED] = "PAPERWORK_RECEIVED",
	[EV_PAYMENT_RECEIVED] = "PAYMENT_RECEIVED",
	[EV_PRODUCED] = "PRODUCED",
	[EV_SHIPPED] = "SHIPPED",
	[EV_DELIVERED] = "DELIVERED",
	[EV_REJECTED] = "REJECTED",
	[EV_CANCELLED] = "CANCELLED",
};

static const char *const app_reason_names[REASON__MAX] = {
	[REASON_ILK] = "ILK",
	[REASON_YENILEME] = "YENILEME",
	[REASON_KAYIP_CALINTI] = "KAYIP_CALINTI",
	[REASON_DIGER] = "DIGER",
};

static const char *const app_reason_labels[REASON__MAX] = {
	[REASON_ILK] = "İlk Başvuru",
	[REASON_YENILEME] = "Yenileme",
	[REASON_KAYIP_CALINTI] = "Kayıp/Çalıntı",
	[REASON_DIGER] = "Diğer",
};

static const char *const sign_method_names[SIGN__MAX] = {
	[SIGN_NONE] = "",
	[SIGN_E_ONAY] = "E_ONAY",
	[SIGN_ISLAK] = "ISLAK",
};

static const char *const sign_method_labels[SIGN__MAX] = {
	[SIGN_NONE] = "-",
	[SIGN_E_ONAY] = "E-Onaylı Başvuru",
	[SIGN_ISLAK] = "Islak İmzalı Başvuru",
};

/* Index of name in a table of n names, or -1. */
static int app_lookup(const char *const *names, int n, const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (strcmp(names[i], name) == 0)
			return i;
	}
	return -1;
}

const char *app_state_name(enum app_state s)
{
	return (unsigned)s < APP_STATE__MAX ? app_state_names[s] : "?";
}

int app_state_parse(const char *name)
{
	return app_lookup(app_state_names, APP_STATE__MAX, name);
}

const char *app_state_label_tr(enum app_state s)
{
	return (unsigned)s < APP_STATE__MAX ? app_state_labels[s] : "?";
}

int app_state_is_open(enum app_state s)
{
	return (unsigned)s <= APP_APPROVED;
}

int app_state_is_terminal(enum app_state s)
{
	return s == APP_DELIVERED || s == APP_REJECTED || s == APP_CANCELLED;
}

const char *app_event_name(enum app_event ev)
{
	return (unsigned)ev < EV__MAX ? app_event_names[ev] : "?";
}

int app_event_parse(const char *name)
{
	return app_lookup(app_event_names, EV__MAX, name);
}

const char *app_flag_label_tr(enum app_flag f)
{
	switch (f) {
	case APP_NEEDS_APPROVAL: return "Kurum onayı bekleniyor";
	case APP_NEEDS_PAPERWORK: return "Islak imzalı evrak bekleniyor";
	case APP_NEEDS_PAYMENT: return "Ücret ödemesi bekleniyor";
	}
	return NULL;
}

const char *app_reason_name(enum app_reason r)
{
	return (unsigned)r < REASON__MAX ? app_reason_names[r] : "?";
}

int app_reason_parse(const char *name)
{
	return app_lookup(app_reason_names, REASON__MAX, name);
}

const char *app_reason_label_tr(enum app_reason r)
{
	return (unsigned)r < REASON__MAX ? app_reason_labels[r] : "?";
}

/* The flag an AWAITING_APPROVAL event clears, or 0 for other events. */
static unsigned app_event_clears(enum app_event ev)
{
	switch (ev) {
	case EV_AUTHORITY_APPROVED: return APP_NEEDS_APPROVAL;
	case EV_PAPERWORK_RECEIVED: return APP_NEEDS_PAPERWORK;
	case EV_PAYMENT_RECEIVED: return APP_NEEDS_PAYMENT;
	default: return 0;
	}
}

/* The next state of the forward path for events that carry no flags. */
static int app_simple_step(enum app_state from, enum app_event ev, enum app_state *to)
{
	static const struct {
		enum app_state from;
		enum app_event ev;
		enum app_state to;
	} steps[] = {
		{APP_FORM_CONFIRMED, EV_SMS_VERIFIED, APP_SMS_VERIFIED},
		{APP_SMS_VERIFIED, EV_SIGNING_STARTED, APP_SIGNING},
		{APP_APPROVED, EV_PRODUCED, APP_PRODUCED},
		{APP_PRODUCED, EV_SHIPPED, APP_SHIPPED},
		{APP_SHIPPED, EV_DELIVERED, APP_DELIVERED},
	};
	size_t k;

	for (k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
		if (steps[k].from == from && steps[k].ev == ev) {
			*to = steps[k].to;
			return 0;
		}
	}
	return -1;
}

static int app_signing_chosen(enum app_state from, enum app_event ev, enum app_reason reason,
			      int fee_due, unsigned *to_flags)
{
	unsigned f = APP_NEEDS_APPROVAL;

	if (from != APP_SMS_VERIFIED && from != APP_SIGNING)
		return -1;
	if (ev == EV_SIGNING_CHOSEN_EAPPROVAL && reason == REASON_ILK)
		return -1;
	if (ev == EV_SIGNING_CHOSEN_WET)
		f |= APP_NEEDS_PAPERWORK;
	if (fee_due)
		f |= APP_NEEDS_PAYMENT;
	*to_flags = f;
	return 0;
}

int app_transition(enum app_state from, unsigned flags, enum app_event ev, enum app_reason reason,
		   int fee_due, enum app_state *to, unsigned *to_flags)
{
	enum app_state next = from;
	unsigned nflags = 0, clear;

	if ((unsigned)from >= APP_STATE__MAX || (unsigned)ev >= EV__MAX ||
	    (unsigned)reason >= REASON__MAX || (flags & ~APP_FLAGS_ALL) != 0 ||
	    (flags != 0 && from != APP_AWAITING_APPROVAL) || app_state_is_terminal(from))
		return -1;
	if (ev == EV_REJECTED || ev == EV_CANCELLED) {
		if (!app_state_is_open(from))
			return -1;
		next = ev == EV_REJECTED ? APP_REJECTED : APP_CANCELLED;
	} else if (ev == EV_SIGNING_CHOSEN_WET || ev == EV_SIGNING_CHOSEN_EAPPROVAL) {
		if (app_signing_chosen(from, ev, reason, fee_due, &nflags) < 0)
			return -1;
		next = APP_AWAITING_APPROVAL;
	} else if ((clear = app_event_clears(ev)) != 0) {
		if (from != APP_AWAITING_APPROVAL || (flags & clear) == 0)
			return -1;
		nflags = flags & ~clear;
		next = nflags == 0 ? APP_APPROVED : APP_AWAITING_APPROVAL;
	} else if (app_simple_step(from, ev, &next) < 0) {
		return -1;
	}
	*to = next;
	*to_flags = nflags;
	return 0;
}

int app_number_format(int year, int64_t seq, char out[24])
{
	out[0] = '\0';
	if (year < 1 || year > 9999 || seq < 1 || seq > INT64_C(999999999999))
		return -1;
	(void)snprintf(out, 24, "%04d-%06" PRId64, year, seq);
	return 0;
}

const char *sign_method_name(enum sign_method m)
{
	return (unsigned)m < SIGN__MAX ? sign_method_names[m] : "?";
}

int sign_method_parse(const char *name)
{
	if (name == NULL || *name == '\0')
		return SIGN_NONE;
	return app_lookup(sign_method_names, SIGN__MAX, name);
}

const char *sign_method_label_tr(enum sign_method m)
{
	return (unsigned)m < SIGN__MAX ? sign_method_labels[m] : "?";
}
