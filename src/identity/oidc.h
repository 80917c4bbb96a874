/* The OpenID Connect relying party of "e-Devlet Kapısı ile giriş" (issue
 * 14): authorization code flow with PKCE (S256), state and nonce.
 *
 * The provider is found by discovery (<issuer>/.well-known/openid-
 * configuration, whose "issuer" must equal the configured one); the code is
 * exchanged at its token_endpoint with client_secret_basic; the ID token is
 * a JWS checked with libcjose against the keys of its jwks_uri (alg RS256 or
 * ES256 only, the key chosen by kid and key type), then its claims with
 * domain/idtoken.h. Nothing here parses or verifies JOSE by hand. */
#ifndef EIMZA_IDENTITY_OIDC_H
#define EIMZA_IDENTITY_OIDC_H

#include <stddef.h>
#include <stdint.h>

#define OIDC_URL_MAX 1024
#define OIDC_TOKEN_LEN 43 /* 32 random bytes, base64url without padding */

struct oidc_rp {
	const char *issuer, *client_id, *client_secret, *redirect_uri, *tckn_claim;
	int allow_loopback_http; /* an issuer on http://127.0.0.1 etc. (tests) */
};

struct oidc_endpoints {
	char authorization[OIDC_URL_MAX], token[OIDC_URL_MAX], jwks[OIDC_URL_MAX];
};

enum oidc_result {
	OIDC_OK,
	OIDC_UNREACHABLE,   /* discovery, token or keys could not be fetched */
	OIDC_REFUSED,	    /* the token endpoint refused the code */
	OIDC_TOKEN_INVALID, /* signature, alg or a claim failed (reason in err) */
	OIDC_NO_TCKN,	    /* the claim is missing or not a valid T.C. Kimlik No */
	OIDC__MAX
};
extern const char *const oidc_result_names[OIDC__MAX];

/* Reads the rp from config (edevlet.*, server.base_url); the secret is read
 * from edevlet.client_secret_file into secret (caller wipes). 0, 1 when
 * edevlet.issuer is empty (sign-in off), -1 (err). */
int oidc_rp_from_config(struct oidc_rp *rp, char *secret, size_t secret_len, char *redirect,
			size_t redirect_len, char *err, size_t n);
/* Discovery. 0 or -1 (err). */
int oidc_discover(const struct oidc_rp *rp, struct oidc_endpoints *e, char *err, size_t n);
/* A fresh random token (state, nonce, PKCE code_verifier): 43 characters
 * of base64url and a NUL. 0 or -1. */
int oidc_random_token(char out[OIDC_TOKEN_LEN + 1]);
/* The S256 code_challenge of verifier (base64url SHA-256, no padding). */
int oidc_pkce_challenge(const char *verifier, char out[OIDC_TOKEN_LEN + 1]);
/* The authorization request URL into out (NUL-terminated). 0 or -1. */
int oidc_authorize_url(const struct oidc_rp *rp, const struct oidc_endpoints *e, const char *state,
		       const char *nonce, const char *challenge, char *out, size_t outlen);
/* Exchanges code (with the PKCE verifier), verifies the ID token for nonce
 * at time now and writes the T.C. Kimlik No claim to tckn. */
enum oidc_result oidc_finish(const struct oidc_rp *rp, const struct oidc_endpoints *e,
			     const char *code, const char *verifier, const char *nonce, int64_t now,
			     char tckn[12], char *err, size_t n);
/* Verifies a compact ID token against a JWKS document (both NUL-terminated)
 * and checks its claims; the T.C. Kimlik No claim goes to tckn. */
enum oidc_result oidc_verify_id_token(const struct oidc_rp *rp, const char *id_token,
				      const char *jwks, const char *nonce, int64_t now,
				      char tckn[12], char *err, size_t n);

#endif
