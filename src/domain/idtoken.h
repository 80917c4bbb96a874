/* The claim checks of an OpenID Connect ID token (OpenID Connect Core 1.0
 * section 3.1.3.7), once its signature has been verified (identity/oidc.c
 * does that with libcjose). Pure: the caller passes the claims it read and
 * the current time; no I/O, no allocation. */
#ifndef EIMZA_DOMAIN_IDTOKEN_H
#define EIMZA_DOMAIN_IDTOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IDTOKEN_MAX_AUD 8
#define IDTOKEN_SKEW 60	    /* seconds of clock difference tolerated */
#define IDTOKEN_MAX_AGE 600 /* an iat older than this is refused */

enum idtoken_problem {
	IDTOKEN_OK,
	IDTOKEN_ALG,	   /* the header's alg is not RS256 or ES256 */
	IDTOKEN_ISSUER,	   /* iss missing or not the configured issuer */
	IDTOKEN_AUDIENCE,  /* our client id is not among aud, or azp names another */
	IDTOKEN_EXPIRED,   /* exp missing or in the past */
	IDTOKEN_ISSUED_AT, /* iat missing, in the future or too old */
	IDTOKEN_NONCE,	   /* nonce missing or not the one this sign-in sent */
	IDTOKEN__MAX
};
extern const char *const idtoken_problem_names[IDTOKEN__MAX];

/* The claims read from a verified token; a missing string is NULL, a
 * missing number has has_* false. */
struct idtoken_claims {
	const char *iss;
	const char *aud[IDTOKEN_MAX_AUD];
	size_t naud;
	const char *azp;
	int64_t exp, iat;
	bool has_exp, has_iat;
	const char *nonce;
};

/* True for the signature algorithms eimza accepts (RS256, ES256). */
bool idtoken_alg_allowed(const char *alg);
/* Checks the claims against what this sign-in expects at time now. */
enum idtoken_problem idtoken_check(const struct idtoken_claims *c, const char *issuer,
				   const char *client_id, const char *nonce, int64_t now);

#endif
