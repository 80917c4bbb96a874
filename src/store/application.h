/* Applications (başvurular): the repository. Every function that changes an
 * application's state is meant to run inside one transaction together with
 * audit_append() and outbox_enqueue(): application_step() in app/step.c. */
#ifndef EIMZA_APPLICATION_H
#define EIMZA_APPLICATION_H

#include <stddef.h>
#include <stdint.h>

#include "domain/application.h"
#include "domain/form.h"
#include "store/db.h"
#include "util/arena.h"

/* One application as stored. Strings live in the arena given to the loader;
 * state, reason, signing method and channels are parsed into enums here, so
 * nothing above the store compares their names.
 *
 * The fields of the application form (domain/form.h) are one array indexed
 * by enum form_field, read by looping over the form table: form[f] is the
 * text of column form_field_def(f)->column as stored (NULL for a NULL
 * column and for fields without a column). Integer columns (il, years) are
 * read as their decimal text too ("67", "3"); application_form_int()
 * parses them where a number is needed. Only the two fields the workflow
 * branches on are also kept typed: reason (Başvuru Nedeni) and channels
 * (Bilgi Kanalı), derived from form[] when loaded. */
struct application {
	int64_t id;
	const char *number, *tckn, *ad, *soyad, *dogum_yeri, *dogum_tarihi, *sicil_no;
	const char *kurum_kodu, *kurum_adi, *yetki_birimi;
	const char *form[FF__MAX];
	enum app_reason reason; /* from form[FF_BASVURU_NEDENI] */
	unsigned channels;	/* enum form_channel mask from form[FF_BILGI_KANALI]; 0 if bad */
	enum sign_method signing_method;
	enum app_state state;
	int64_t flags, fee_kurus;
	const char *reject_reason, *replaces_serial;
	int64_t otp_expires_at, otp_attempts, otp_last_sent_at;
	int64_t created_at, updated_at;
};

/* What the form step stores. security_word_hash is an Argon2id string.
 * form[f] is bound as text to the column of field f (NULL: SQL NULL), as
 * struct app_form_clean's value[] gives it ("ILK", "3", "67", ...). */
struct application_new {
	const char *tckn, *ad, *soyad, *dogum_yeri, *dogum_tarihi, *sicil_no;
	const char *kurum_kodu, *kurum_adi, *yetki_birimi;
	const char *security_word_hash;
	const char *form[FF__MAX];
	int64_t fee_kurus;
	const char *replaces_serial;
};

/* The stored value of form field f of a as a number (il, years); 0 when it
 * is not given or not a decimal number. */
int64_t application_form_int(const struct application *a, enum form_field f);

/* Inserts an application in state FORM_CONFIRMED and gives it its number
 * ("YYYY-NNNNNN"). Writes the new id and number (into number[24]). */
int application_insert(db *d, const struct application_new *a, int64_t now, int64_t *id,
		       char number[24]);
/* Loads by id into `out` (strings in arena). 0 found, 1 not found, -1 error. */
int application_load(db *d, arena *ar, int64_t id, struct application *out);
/* The newest application of this person that is still open (not DELIVERED,
 * REJECTED or CANCELLED); 1 if none. */
int application_load_open_for_tckn(db *d, arena *ar, const char *tckn, struct application *out);
/* The newest application of this person in any state; 1 if none. */
int application_load_latest_for_tckn(db *d, arena *ar, const char *tckn, struct application *out);

/* Records a history event of application id (from NULL: none). 0 or -1. */
int application_event_add(db *d, int64_t id, int64_t now, const char *actor, const char *from,
			  const char *to, const char *note);
/* Moves the application to `to` with `flags` and records a history event.
 * Fails (returns 1) if the stored state is no longer `from` (a concurrent
 * change won). */
int application_set_state(db *d, int64_t id, enum app_state from, enum app_state to, int64_t flags,
			  const char *actor, const char *note, int64_t now);
int application_set_signing_method(db *d, int64_t id, enum sign_method method, int64_t now);
int application_set_reject_reason(db *d, int64_t id, const char *reason);

/* The Argon2id hash of the application's Güvenlik Sözcüğü (arena copy),
 * or NULL (none, or an error). */
const char *application_security_word_hash(db *d, arena *ar, int64_t id);

/* SMS code bookkeeping. */
int application_otp_store(db *d, int64_t id, const char *hash_hex, int64_t expires_at, int64_t now);
/* The stored keyed hash (arena copy) or NULL. */
const char *application_otp_hash(db *d, arena *ar, int64_t id);
int application_otp_fail(db *d, int64_t id);
/* Uses up one try of the current code before it is compared, in one
 * conditional UPDATE, so that concurrent guesses cannot share a try: 0 when
 * a try was left (fewer than max used and a code stored), 1 when none is
 * left, -1 on error. */
int application_otp_take_attempt(db *d, int64_t id, int64_t max);
int application_otp_clear(db *d, int64_t id);
/* Clears the code only if it is still hash_hex: 0 when this call used it,
 * 1 when it was gone (used by a parallel request, or replaced), -1 error. */
int application_otp_consume(db *d, int64_t id, const char *hash_hex);
/* Number of codes sent for this application since `since`. */
int64_t application_otp_sends_since(db *d, int64_t id, int64_t since);

/* History of an application, oldest first. */
struct application_event {
	int64_t at;
	const char *actor, *from_state, *to_state, *note;
};
int application_events(db *d, int64_t id, void (*cb)(void *ctx, const struct application_event *e),
		       void *ctx);

#endif

/* Applications in `state` that have every flag of `flags` pending (flags 0:
 * all in the state), least recently updated first, at most `limit`: cb is
 * called for each with the application's strings in ar. 0 or -1. */
int application_list_by_state(db *d, arena *ar, enum app_state state, unsigned flags, int limit,
			      void (*cb)(void *ctx, const struct application *a), void *ctx);
