/* identity/oidc.h: ID tokens made and signed here with libcjose (ES256 and
 * HS256 keys generated per run) are verified against a JWKS document, and
 * the URL rule of identity/httpfetch.h. Table-driven; no network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjose/cjose.h>

#include "identity/httpfetch.h"
#include "identity/oidc.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define NOW 1800000000
#define ISS "https://giris.example.gov.tr"
#define TCKN "10000000146"

static const struct oidc_rp rp = {.issuer = ISS, .client_id = "eimza", .tckn_claim = "tckn"};

static cjose_jwk_t *key, *other, *hmac;
static char jwks[4096];

static int setup(void **state)
{
	(void)state;
	cjose_err e;
	key = cjose_jwk_create_EC_random(CJOSE_JWK_EC_P_256, &e);
	other = cjose_jwk_create_EC_random(CJOSE_JWK_EC_P_256, &e);
	hmac = cjose_jwk_create_oct_random(32, &e);
	if (key == NULL || other == NULL || hmac == NULL || !cjose_jwk_set_kid(key, "k1", 2, &e) ||
	    !cjose_jwk_set_kid(other, "k1", 2, &e))
		return -1;
	char *pub = cjose_jwk_to_json(key, false, &e);
	if (pub == NULL)
		return -1;
	snprintf(jwks, sizeof jwks, "{\"keys\": [%s]}", pub);
	free(pub);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cjose_jwk_release(key);
	cjose_jwk_release(other);
	cjose_jwk_release(hmac);
	return 0;
}

/* A compact JWS of payload signed by k with alg (caller frees). */
static char *sign(cjose_jwk_t *k, const char *alg, const char *kid, const char *payload)
{
	cjose_err e;
	cjose_header_t *h = cjose_header_new(&e);
	const char *ser = NULL;
	char *out = NULL;
	if (h == NULL || !cjose_header_set(h, CJOSE_HDR_ALG, alg, &e) ||
	    (kid && !cjose_header_set(h, CJOSE_HDR_KID, kid, &e)))
		return NULL;
	cjose_jws_t *jws = cjose_jws_sign(k, h, (const uint8_t *)payload, strlen(payload), &e);
	if (jws != NULL && cjose_jws_export(jws, &ser, &e))
		out = strdup(ser);
	cjose_jws_release(jws);
	cjose_header_release(h);
	return out;
}

#define CLAIMS(aud, tckn, nonce) \
	"{\"iss\":\"" ISS "\",\"aud\":" aud ",\"exp\":1800000300,\"iat\":1799999990," \
	"\"nonce\":\"" nonce "\",\"sub\":\"x\",\"tckn\":" tckn "}"

static const struct {
	const char *what, *alg, *kid, *payload;
	int signer; /* 0 key, 1 other (same kid, not in the JWKS), 2 hmac */
	enum oidc_result want;
} cases[] = {
	{"good", "ES256", "k1", CLAIMS("\"eimza\"", "\"" TCKN "\"", "n1"), 0, OIDC_OK},
	{"good, no kid", "ES256", NULL, CLAIMS("\"eimza\"", "\"" TCKN "\"", "n1"), 0, OIDC_OK},
	{"numeric tckn", "ES256", "k1", CLAIMS("\"eimza\"", TCKN, "n1"), 0, OIDC_OK},
	{"aud array with azp", "ES256", "k1",
	 "{\"iss\":\"" ISS "\",\"aud\":[\"eimza\",\"x\"],\"azp\":\"eimza\",\"exp\":1800000300,"
	 "\"iat\":1799999990,\"nonce\":\"n1\",\"tckn\":\"" TCKN "\"}",
	 0, OIDC_OK},
	{"another key", "ES256", "k1", CLAIMS("\"eimza\"", "\"" TCKN "\"", "n1"), 1,
	 OIDC_TOKEN_INVALID},
	{"unknown kid", "ES256", "k2", CLAIMS("\"eimza\"", "\"" TCKN "\"", "n1"), 0,
	 OIDC_TOKEN_INVALID},
	{"HS256", "HS256", "k1", CLAIMS("\"eimza\"", "\"" TCKN "\"", "n1"), 2, OIDC_TOKEN_INVALID},
	{"wrong audience", "ES256", "k1", CLAIMS("\"baska\"", "\"" TCKN "\"", "n1"), 0,
	 OIDC_TOKEN_INVALID},
	{"wrong nonce", "ES256", "k1", CLAIMS("\"eimza\"", "\"" TCKN "\"", "n2"), 0,
	 OIDC_TOKEN_INVALID},
	{"bad tckn checksum", "ES256", "k1", CLAIMS("\"eimza\"", "\"10000000145\"", "n1"), 0,
	 OIDC_NO_TCKN},
	{"tckn missing", "ES256", "k1", CLAIMS("\"eimza\"", "null", "n1"), 0, OIDC_NO_TCKN},
	{"not JSON", "ES256", "k1", "not json", 0, OIDC_TOKEN_INVALID},
};

static void test_verify(void **state)
{
	(void)state;
	cjose_jwk_t *signers[] = {key, other, hmac};
	for (size_t i = 0; i < N(cases); i++) {
		char *tok = sign(signers[cases[i].signer], cases[i].alg, cases[i].kid,
				 cases[i].payload);
		assert_non_null(tok);
		char tckn[12] = "", err[256] = "";
		enum oidc_result got = oidc_verify_id_token(&rp, tok, jwks, "n1", NOW, tckn, err,
							    sizeof err);
		if (got != cases[i].want)
			fail_msg("%s: got %s want %s (%s)", cases[i].what, oidc_result_names[got],
				 oidc_result_names[cases[i].want], err);
		if (got == OIDC_OK)
			assert_string_equal(tckn, TCKN);
		free(tok);
	}
}

static void test_not_a_jws(void **state)
{
	(void)state;
	static const char *const toks[] = {"", "a.b", "eyJhbGciOiJub25lIn0.eyJ9.", "...."};
	for (size_t i = 0; i < N(toks); i++) {
		char tckn[12], err[256];
		assert_int_equal(oidc_verify_id_token(&rp, toks[i], jwks, "n1", NOW, tckn, err,
						      sizeof err),
				 OIDC_TOKEN_INVALID);
	}
}

static void test_pkce(void **state)
{
	(void)state;
	/* RFC 7636 appendix B. */
	char out[OIDC_TOKEN_LEN + 1];
	assert_int_equal(oidc_pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", out),
			 0);
	assert_string_equal(out, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	char a[OIDC_TOKEN_LEN + 1], b[OIDC_TOKEN_LEN + 1];
	assert_int_equal(oidc_random_token(a), 0);
	assert_int_equal(oidc_random_token(b), 0);
	assert_int_equal(strlen(a), 43);
	assert_string_not_equal(a, b);
}

static void test_url_rule(void **state)
{
	(void)state;
	static const struct {
		const char *url;
		int loopback_ok, want;
	} urls[] = {
		{"https://giris.turkiye.gov.tr/auth", 0, 1},
		{"https://", 0, 0},
		{"http://giris.turkiye.gov.tr/auth", 1, 0},
		{"http://127.0.0.1:8080/x", 0, 0},
		{"http://127.0.0.1:8080/x", 1, 1},
		{"http://localhost/x", 1, 1},
		{"http://[::1]:80/", 1, 1},
		{"http://127.0.0.1.evil.example/", 1, 0},
		{"http://localhost.evil.example/", 1, 0},
		{"ftp://127.0.0.1/", 1, 0},
		{"file:///etc/passwd", 1, 0},
		{NULL, 1, 0},
	};
	for (size_t i = 0; i < N(urls); i++)
		if (httpfetch_url_ok(urls[i].url, urls[i].loopback_ok) != urls[i].want)
			fail_msg("%s (loopback %d)", urls[i].url ? urls[i].url : "NULL",
				 urls[i].loopback_ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_not_a_jws),
		cmocka_unit_test(test_pkce),
		cmocka_unit_test(test_url_rule),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
