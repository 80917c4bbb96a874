/* The e-Devlet OpenID Connect relying party (oidc.h). */
#include "identity/oidc.h"

#include <stdio.h>
#include <string.h>

#include <cjose/cjose.h>
#include <jansson.h>
#include <sodium.h>

#include "domain/idtoken.h"
#include "domain/tckn.h"
#include "identity/httpfetch.h"
#include "util/config.h"
#include "util/log.h"

#define OIDC_DOC_MAX (256 * 1024) /* discovery, token answer, JWKS */
#define OIDC_SECRET_MAX 512

const char *const oidc_result_names[OIDC__MAX] = {
	[OIDC_OK] = "ok",	    [OIDC_UNREACHABLE] = "unreachable",
	[OIDC_REFUSED] = "refused", [OIDC_TOKEN_INVALID] = "token_invalid",
	[OIDC_NO_TCKN] = "no_tckn",
};

int oidc_rp_from_config(struct oidc_rp *rp, char *secret, size_t secret_len, char *redirect,
			size_t redirect_len, char *err, size_t n)
{
	memset(rp, 0, sizeof *rp);
	rp->issuer = config_get("edevlet.issuer");
	if (rp->issuer == NULL || rp->issuer[0] == '\0')
		return 1;
	rp->client_id = config_get("edevlet.client_id");
	rp->tckn_claim = config_get("edevlet.tckn_claim");
	rp->allow_loopback_http = 1; /* only ever reaches a loopback host over http */
	const char *path = config_get("edevlet.client_secret_file");
	if (rp->client_id == NULL || rp->client_id[0] == '\0' || path == NULL || !path[0]) {
		snprintf(err, n, "edevlet.client_id and edevlet.client_secret_file are required");
		return -1;
	}
	FILE *f = fopen(path, "re");
	if (f == NULL || fgets(secret, (int)secret_len, f) == NULL) {
		snprintf(err, n, "cannot read edevlet.client_secret_file %s", path);
		if (f != NULL)
			fclose(f);
		return -1;
	}
	fclose(f);
	secret[strcspn(secret, "\r\n")] = '\0';
	if (secret[0] == '\0') {
		snprintf(err, n, "edevlet.client_secret_file %s is empty", path);
		return -1;
	}
	rp->client_secret = secret;
	const char *base = config_get("server.base_url");
	size_t bl = strlen(base);
	while (bl > 0 && base[bl - 1] == '/')
		bl--;
	if (snprintf(redirect, redirect_len, "%.*s/bireysel/edevlet/donus", (int)bl, base) >=
	    (int)redirect_len) {
		snprintf(err, n, "server.base_url too long");
		return -1;
	}
	rp->redirect_uri = redirect;
	return 0;
}

/* GET url into b and parse it as a JSON object (caller json_decref). */
static json_t *fetch_json(const struct oidc_rp *rp, const char *url, buf *b, char *err, size_t n)
{
	long status = 0;
	struct httpfetch f = {.url = url, .allow_loopback_http = rp->allow_loopback_http};
	if (httpfetch_do(&f, b, &status, err, n) != 0)
		return NULL;
	if (status != 200) {
		snprintf(err, n, "%s answered HTTP %ld", url, status);
		return NULL;
	}
	json_error_t je;
	json_t *j = json_loadb(b->data, b->len, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL || !json_is_object(j)) {
		snprintf(err, n, "%s: not a JSON object", url);
		json_decref(j);
		return NULL;
	}
	return j;
}

static int copy_url(const struct oidc_rp *rp, json_t *doc, const char *name, char *out,
		    size_t outlen, char *err, size_t n)
{
	const char *v = json_string_value(json_object_get(doc, name));
	if (v == NULL || !httpfetch_url_ok(v, rp->allow_loopback_http) ||
	    snprintf(out, outlen, "%s", v) >= (int)outlen) {
		snprintf(err, n, "discovery: %s missing or not an acceptable URL", name);
		return -1;
	}
	return 0;
}

int oidc_discover(const struct oidc_rp *rp, struct oidc_endpoints *e, char *err, size_t n)
{
	char url[OIDC_URL_MAX];
	size_t il = strlen(rp->issuer);
	while (il > 0 && rp->issuer[il - 1] == '/')
		il--;
	if (snprintf(url, sizeof url, "%.*s/.well-known/openid-configuration", (int)il,
		     rp->issuer) >= (int)sizeof url) {
		snprintf(err, n, "issuer too long");
		return -1;
	}
	buf b;
	buf_init(&b, OIDC_DOC_MAX);
	json_t *doc = fetch_json(rp, url, &b, err, n);
	int rc = -1;
	if (doc == NULL)
		goto out;
	const char *iss = json_string_value(json_object_get(doc, "issuer"));
	if (iss == NULL || strcmp(iss, rp->issuer) != 0) {
		snprintf(err, n, "discovery: issuer %s is not the configured one",
			 iss ? iss : "(none)");
		goto out;
	}
	if (copy_url(rp, doc, "authorization_endpoint", e->authorization, sizeof e->authorization,
		     err, n) != 0 ||
	    copy_url(rp, doc, "token_endpoint", e->token, sizeof e->token, err, n) != 0 ||
	    copy_url(rp, doc, "jwks_uri", e->jwks, sizeof e->jwks, err, n) != 0)
		goto out;
	rc = 0;
out:
	json_decref(doc);
	buf_free(&b);
	return rc;
}

int oidc_random_token(char out[OIDC_TOKEN_LEN + 1])
{
	unsigned char r[32];
	randombytes_buf(r, sizeof r);
	sodium_bin2base64(out, OIDC_TOKEN_LEN + 1, r, sizeof r,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(r, sizeof r);
	return strlen(out) == OIDC_TOKEN_LEN ? 0 : -1;
}

int oidc_pkce_challenge(const char *verifier, char out[OIDC_TOKEN_LEN + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
	sodium_bin2base64(out, OIDC_TOKEN_LEN + 1, h, sizeof h,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return strlen(out) == OIDC_TOKEN_LEN ? 0 : -1;
}

int oidc_authorize_url(const struct oidc_rp *rp, const struct oidc_endpoints *e, const char *state,
		       const char *nonce, const char *challenge, char *out, size_t outlen)
{
	buf b;
	buf_init(&b, outlen);
	buf_puts(&b, e->authorization);
	buf_putc(&b, strchr(e->authorization, '?') ? '&' : '?');
	buf_puts(&b, "response_type=code&scope=openid&client_id=");
	httpfetch_append_encoded(&b, rp->client_id);
	buf_puts(&b, "&redirect_uri=");
	httpfetch_append_encoded(&b, rp->redirect_uri);
	buf_puts(&b, "&state=");
	httpfetch_append_encoded(&b, state);
	buf_puts(&b, "&nonce=");
	httpfetch_append_encoded(&b, nonce);
	buf_puts(&b, "&code_challenge_method=S256&code_challenge=");
	httpfetch_append_encoded(&b, challenge);
	int rc = -1;
	if (!b.err && b.len < outlen) {
		memcpy(out, b.data, b.len);
		out[b.len] = '\0';
		rc = 0;
	}
	buf_free(&b);
	return rc;
}

/* The claims of a verified token into c (pointers into j). */
static void read_claims(json_t *j, struct idtoken_claims *c)
{
	memset(c, 0, sizeof *c);
	c->iss = json_string_value(json_object_get(j, "iss"));
	c->azp = json_string_value(json_object_get(j, "azp"));
	c->nonce = json_string_value(json_object_get(j, "nonce"));
	json_t *aud = json_object_get(j, "aud");
	if (json_is_string(aud)) {
		c->aud[0] = json_string_value(aud);
		c->naud = 1;
	} else if (json_is_array(aud)) {
		size_t i;
		json_t *v;
		json_array_foreach(aud, i, v)
		{
			if (c->naud < IDTOKEN_MAX_AUD && json_is_string(v))
				c->aud[c->naud++] = json_string_value(v);
			else
				c->naud = IDTOKEN_MAX_AUD + 1; /* refused below */
		}
		if (c->naud > IDTOKEN_MAX_AUD)
			c->naud = 0;
	}
	json_t *exp = json_object_get(j, "exp"), *iat = json_object_get(j, "iat");
	if ((c->has_exp = json_is_integer(exp)))
		c->exp = (int64_t)json_integer_value(exp);
	if ((c->has_iat = json_is_integer(iat)))
		c->iat = (int64_t)json_integer_value(iat);
}

/* Verifies jws with a key of the JWKS whose kid (when the token names one)
 * and key type fit alg. 0 verified, -1 (err). */
static int verify_with_jwks(cjose_jws_t *jws, const char *alg, const char *kid, const char *jwks,
			    char *err, size_t n)
{
	json_error_t je;
	json_t *doc = json_loads(jwks, JSON_REJECT_DUPLICATES, &je);
	json_t *keys = json_object_get(doc, "keys");
	const char *want_kty = strcmp(alg, "RS256") == 0 ? "RSA" : "EC";
	int rc = -1, tried = 0;
	snprintf(err, n, "no key of the provider fits the token (alg %s, kid %s)", alg,
		 kid ? kid : "-");
	if (!json_is_array(keys)) {
		snprintf(err, n, "the provider's JWKS has no keys array");
		goto out;
	}
	size_t i;
	json_t *k;
	json_array_foreach(keys, i, k)
	{
		const char *kty = json_string_value(json_object_get(k, "kty"));
		const char *kkid = json_string_value(json_object_get(k, "kid"));
		const char *use = json_string_value(json_object_get(k, "use"));
		if (kty == NULL || strcmp(kty, want_kty) != 0 || (use && strcmp(use, "sig") != 0))
			continue;
		if (kid != NULL && (kkid == NULL || strcmp(kid, kkid) != 0))
			continue;
		char *text = json_dumps(k, JSON_COMPACT);
		cjose_err ce;
		cjose_jwk_t *jwk = text ? cjose_jwk_import(text, strlen(text), &ce) : NULL;
		free(text);
		if (jwk == NULL)
			continue;
		tried++;
		int ok = cjose_jws_verify(jws, jwk, &ce);
		cjose_jwk_release(jwk);
		if (ok) {
			rc = 0;
			goto out;
		}
	}
	if (tried > 0)
		snprintf(err, n, "the ID token's signature does not verify");
out:
	json_decref(doc);
	return rc;
}

enum oidc_result oidc_verify_id_token(const struct oidc_rp *rp, const char *id_token,
				      const char *jwks, const char *nonce, int64_t now,
				      char tckn[12], char *err, size_t n)
{
	cjose_err ce;
	enum oidc_result rc = OIDC_TOKEN_INVALID;
	json_t *claims = NULL;
	uint8_t *plain = NULL;
	size_t plain_len = 0;
	cjose_jws_t *jws = cjose_jws_import(id_token, strlen(id_token), &ce);
	if (jws == NULL) {
		snprintf(err, n, "the ID token is not a compact JWS: %s", ce.message);
		return OIDC_TOKEN_INVALID;
	}
	cjose_header_t *hdr = cjose_jws_get_protected(jws);
	const char *alg = hdr ? cjose_header_get(hdr, CJOSE_HDR_ALG, &ce) : NULL;
	const char *kid = hdr ? cjose_header_get(hdr, CJOSE_HDR_KID, &ce) : NULL;
	if (!idtoken_alg_allowed(alg)) {
		snprintf(err, n, "ID token alg %s is not allowed", alg ? alg : "(none)");
		goto out;
	}
	if (verify_with_jwks(jws, alg, kid, jwks, err, n) != 0)
		goto out;
	if (!cjose_jws_get_plaintext(jws, &plain, &plain_len, &ce)) {
		snprintf(err, n, "ID token payload unreadable");
		goto out;
	}
	json_error_t je;
	claims = json_loadb((const char *)plain, plain_len, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(claims)) {
		snprintf(err, n, "ID token payload is not a JSON object");
		goto out;
	}
	struct idtoken_claims c;
	read_claims(claims, &c);
	enum idtoken_problem p = idtoken_check(&c, rp->issuer, rp->client_id, nonce, now);
	if (p != IDTOKEN_OK) {
		snprintf(err, n, "ID token claims refused: %s", idtoken_problem_names[p]);
		goto out;
	}
	/* The T.C. Kimlik No: a string of 11 digits, or a number (some
	 * providers send it as one). */
	json_t *t = json_object_get(claims, rp->tckn_claim);
	char v[32] = "";
	if (json_is_string(t))
		snprintf(v, sizeof v, "%s", json_string_value(t));
	else if (json_is_integer(t))
		snprintf(v, sizeof v, "%lld", (long long)json_integer_value(t));
	if (strlen(v) != 11 || !tckn_valid(v)) {
		snprintf(err, n, "claim %s is missing or not a valid T.C. Kimlik No",
			 rp->tckn_claim);
		rc = OIDC_NO_TCKN;
		goto out;
	}
	memcpy(tckn, v, 12);
	rc = OIDC_OK;
out:
	json_decref(claims);
	cjose_jws_release(jws);
	return rc;
}

enum oidc_result oidc_finish(const struct oidc_rp *rp, const struct oidc_endpoints *e,
			     const char *code, const char *verifier, const char *nonce, int64_t now,
			     char tckn[12], char *err, size_t n)
{
	buf form, ans, keys;
	buf_init(&form, 8192);
	buf_init(&ans, OIDC_DOC_MAX);
	buf_init(&keys, OIDC_DOC_MAX);
	/* client_secret_basic: id and secret form-encoded first (RFC 6749 2.3.1). */
	buf user, pass;
	buf_init(&user, OIDC_SECRET_MAX * 3);
	buf_init(&pass, OIDC_SECRET_MAX * 3);
	enum oidc_result rc = OIDC_UNREACHABLE;
	json_t *tok = NULL;
	long status = 0;
	buf_puts(&form, "grant_type=authorization_code&code=");
	httpfetch_append_encoded(&form, code);
	buf_puts(&form, "&redirect_uri=");
	httpfetch_append_encoded(&form, rp->redirect_uri);
	buf_puts(&form, "&code_verifier=");
	httpfetch_append_encoded(&form, verifier);
	httpfetch_append_encoded(&user, rp->client_id);
	httpfetch_append_encoded(&pass, rp->client_secret);
	if (form.err || buf_putc(&form, '\0') || buf_putc(&user, '\0') || buf_putc(&pass, '\0')) {
		snprintf(err, n, "token request too long");
		goto out;
	}
	struct httpfetch f = {.url = e->token,
			      .form = form.data,
			      .user = user.data,
			      .pass = pass.data,
			      .allow_loopback_http = rp->allow_loopback_http};
	if (httpfetch_do(&f, &ans, &status, err, n) != 0)
		goto out;
	json_error_t je;
	tok = json_loadb(ans.data, ans.len, JSON_REJECT_DUPLICATES, &je);
	if (status != 200) {
		const char *e2 = json_string_value(json_object_get(tok, "error"));
		snprintf(err, n, "token endpoint answered HTTP %ld (%s)", status, e2 ? e2 : "-");
		rc = OIDC_REFUSED;
		goto out;
	}
	const char *idt = json_string_value(json_object_get(tok, "id_token"));
	if (idt == NULL) {
		snprintf(err, n, "the token answer has no id_token");
		rc = OIDC_REFUSED;
		goto out;
	}
	struct httpfetch kf = {.url = e->jwks, .allow_loopback_http = rp->allow_loopback_http};
	if (httpfetch_do(&kf, &keys, &status, err, n) != 0)
		goto out;
	if (status != 200) {
		snprintf(err, n, "jwks_uri answered HTTP %ld", status);
		goto out;
	}
	rc = oidc_verify_id_token(rp, idt, keys.data, nonce, now, tckn, err, n);
out:
	json_decref(tok);
	if (pass.data != NULL)
		sodium_memzero(pass.data, pass.len);
	buf_free(&form);
	buf_free(&ans);
	buf_free(&keys);
	buf_free(&user);
	buf_free(&pass);
	return rc;
}
