/* ID token claim checks (idtoken.h). */
#include "domain/idtoken.h"

#include <string.h>

const char *const idtoken_problem_names[IDTOKEN__MAX] = {
	[IDTOKEN_OK] = "OK",	       [IDTOKEN_ALG] = "ALG",
	[IDTOKEN_ISSUER] = "ISSUER",   [IDTOKEN_AUDIENCE] = "AUDIENCE",
	[IDTOKEN_EXPIRED] = "EXPIRED", [IDTOKEN_ISSUED_AT] = "ISSUED_AT",
	[IDTOKEN_NONCE] = "NONCE",
};

bool idtoken_alg_allowed(const char *alg)
{
	return alg != NULL && (strcmp(alg, "RS256") == 0 || strcmp(alg, "ES256") == 0);
}

static bool same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static bool audience_ok(const struct idtoken_claims *c, const char *client_id)
{
	bool found = false;
	for (size_t i = 0; i < c->naud && i < IDTOKEN_MAX_AUD; i++)
		if (same(c->aud[i], client_id))
			found = true;
	if (!found)
		return false;
	/* Several audiences: azp must be present and name us (Core 3.1.3.7
	 * items 4 and 5); a single audience with an azp must name us too. */
	if (c->naud > 1 && c->azp == NULL)
		return false;
	return c->azp == NULL || same(c->azp, client_id);
}

enum idtoken_problem idtoken_check(const struct idtoken_claims *c, const char *issuer,
				   const char *client_id, const char *nonce, int64_t now)
{
	if (!same(c->iss, issuer))
		return IDTOKEN_ISSUER;
	if (!audience_ok(c, client_id))
		return IDTOKEN_AUDIENCE;
	if (!c->has_exp || c->exp + IDTOKEN_SKEW <= now)
		return IDTOKEN_EXPIRED;
	if (!c->has_iat || c->iat > now + IDTOKEN_SKEW || c->iat + IDTOKEN_MAX_AGE < now)
		return IDTOKEN_ISSUED_AT;
	if (!same(c->nonce, nonce))
		return IDTOKEN_NONCE;
	return IDTOKEN_OK;
}
