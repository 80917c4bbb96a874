/* Proof of being the person an action concerns, for the applicant portal,
 * whose login (registry data and Kurum Sicil No) anyone who knows those
 * facts can pass. Two proofs count, as in NES Bireysel:
 *   - a Güvenlik Sözcüğü (Argon2id-hashed; tries counted with NES
 *     Bireysel's lockout pairs, app/signin.h), or
 *   - an SMS code sent to the mobile number ON RECORD, never to a number
 *     typed in the request.
 *
 * PROOF_HOLDER: the holder of the current certificate, before a
 * Kayıp/Çalıntı application suspends it: the holder record's word
 * (store/holder.h) or a code to the holder record's number.
 * PROOF_MAKER: the person who made application `app`, before it is
 * cancelled, continued in a new session or its contact data shown: app's
 * own word, or the holder's (so that a holder can stop an application a
 * stranger made), or a code to the holder record's number (app's own
 * number when the person holds no certificate here). */
#ifndef EIMZA_APP_PROOF_H
#define EIMZA_APP_PROOF_H

#include "app/app.h"

enum proof_kind { PROOF_HOLDER, PROOF_MAKER, PROOF__MAX };

/* The number a code for k about app goes to (10 digits, arena copy in
 * *mobile10). UC_OK; UC_NOT_FOUND (c->message) when k is PROOF_HOLDER and
 * the person has no holder record; UC_ERROR. */
enum uc_rc proof_number(struct uc_ctx *c, const struct application *app, enum proof_kind k,
			const char **mobile10);

/* Checks word. UC_OK; UC_INVALID (field "guvenlik_sozcugu") for a wrong
 * or empty word, counted as a failed try; UC_LIMITED (c->message) while
 * the person or the address is locked out; UC_ERROR. */
enum uc_rc proof_word(struct uc_ctx *c, const struct application *app, enum proof_kind k,
		      const char *word);

/* Sends a code to proof_number() (otp_send; first: no 60 s wait, for the
 * first code of this proof). UC_LIMITED with c->message. */
enum uc_rc proof_send_code(struct uc_ctx *c, const struct application *app, enum proof_kind k,
			   int first);

/* Checks the code (otp_check): UC_OK consumes it; UC_INVALID (field
 * "sms_kodu") otherwise. */
enum uc_rc proof_code(struct uc_ctx *c, const struct application *app, enum proof_kind k,
		      const char *code);

#endif
