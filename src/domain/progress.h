/* What the applicant's status page (/basvuru/durum) says in each state of
 * an application: one heading and one text per step of the journey, and
 * whether the applicant may start a new application from there. A pure
 * table (progress.c), so the page never contradicts the state (an approved
 * application no longer asks the applicant to contact their authority). */
#ifndef EIMZA_DOMAIN_PROGRESS_H
#define EIMZA_DOMAIN_PROGRESS_H

#include "domain/application.h"

/* The steps the applicant can see; AWAITING_APPROVAL splits by whether the
 * authority has decided yet. */
enum progress_step {
	PROGRESS_SMS,		 /* FORM_CONFIRMED: the mobile number is not confirmed */
	PROGRESS_SIGNING_METHOD, /* SMS_VERIFIED: no signing method chosen yet */
	PROGRESS_SIGNING,	 /* SIGNING: the e-onay signature is awaited */
	PROGRESS_AUTHORITY,	 /* AWAITING_APPROVAL, the authority has not decided */
	PROGRESS_AFTER_APPROVAL, /* AWAITING_APPROVAL, approved; paperwork or fee pending */
	PROGRESS_APPROVED,	 /* APPROVED: waiting for production */
	PROGRESS_PRODUCED,	 /* PRODUCED */
	PROGRESS_SHIPPED,	 /* SHIPPED */
	PROGRESS_DELIVERED,	 /* DELIVERED */
	PROGRESS_REJECTED,	 /* REJECTED: the decision and its reason are shown */
	PROGRESS_CANCELLED,	 /* CANCELLED */
	PROGRESS__MAX
};

struct progress_text {
	const char *heading; /* e.g. "Kurum onayı bekleniyor" */
	const char *text;    /* one or two Turkish sentences */
	int restart;	     /* 1: the page offers a new application */
};

/* The step of an application in state st with pending flags (enum
 * app_flag); PROGRESS__MAX for a state out of range. */
enum progress_step progress_of(enum app_state st, unsigned flags);

/* The text of step s; NULL when s is out of range. Static strings. */
const struct progress_text *progress_text(enum progress_step s);

/* "sms", "authority", ...: the step's name for the page (data-step) and
 * tests; "?" when out of range. */
const char *progress_name(enum progress_step s);

#endif
