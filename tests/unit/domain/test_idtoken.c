/* Table-driven tests of domain/idtoken.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/idtoken.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define NOW 1800000000
#define ISS "https://giris.turkiye.gov.tr"
#define CID "eimza"
#define NONCE "n-0S6_WzA2Mj"

/* A valid token's claims; each row changes one thing. */
static struct idtoken_claims good(void)
{
	struct idtoken_claims c = {.iss = ISS,
				   .aud = {CID},
				   .naud = 1,
				   .exp = NOW + 300,
				   .iat = NOW - 5,
				   .has_exp = true,
				   .has_iat = true,
				   .nonce = NONCE};
	return c;
}

enum change {
	C_NONE,
	C_ISS,
	C_ISS_NULL,
	C_AUD,
	C_AUD_MANY_NO_AZP,
	C_AUD_MANY_AZP,
	C_AZP_OTHER,
	C_EXP_PAST,
	C_EXP_SKEW,
	C_EXP_MISSING,
	C_IAT_FUTURE,
	C_IAT_OLD,
	C_IAT_MISSING,
	C_NONCE,
	C_NONCE_NULL
};

static const struct {
	enum change ch;
	enum idtoken_problem want;
} cases[] = {
	{C_NONE, IDTOKEN_OK},
	{C_ISS, IDTOKEN_ISSUER},
	{C_ISS_NULL, IDTOKEN_ISSUER},
	{C_AUD, IDTOKEN_AUDIENCE},
	{C_AUD_MANY_NO_AZP, IDTOKEN_AUDIENCE},
	{C_AUD_MANY_AZP, IDTOKEN_OK},
	{C_AZP_OTHER, IDTOKEN_AUDIENCE},
	{C_EXP_PAST, IDTOKEN_EXPIRED},
	{C_EXP_SKEW, IDTOKEN_OK},
	{C_EXP_MISSING, IDTOKEN_EXPIRED},
	{C_IAT_FUTURE, IDTOKEN_ISSUED_AT},
	{C_IAT_OLD, IDTOKEN_ISSUED_AT},
	{C_IAT_MISSING, IDTOKEN_ISSUED_AT},
	{C_NONCE, IDTOKEN_NONCE},
	{C_NONCE_NULL, IDTOKEN_NONCE},
};

static void apply(struct idtoken_claims *c, enum change ch)
{
	switch (ch) {
	case C_NONE: break;
	case C_ISS: c->iss = ISS "/"; break;
	case C_ISS_NULL: c->iss = NULL; break;
	case C_AUD: c->aud[0] = "baska"; break;
	case C_AUD_MANY_NO_AZP:
		c->aud[1] = "baska";
		c->naud = 2;
		break;
	case C_AUD_MANY_AZP:
		c->aud[1] = "baska";
		c->naud = 2;
		c->azp = CID;
		break;
	case C_AZP_OTHER: c->azp = "baska"; break;
	case C_EXP_PAST: c->exp = NOW - IDTOKEN_SKEW; break;
	case C_EXP_SKEW: c->exp = NOW - 10; break;
	case C_EXP_MISSING: c->has_exp = false; break;
	case C_IAT_FUTURE: c->iat = NOW + IDTOKEN_SKEW + 1; break;
	case C_IAT_OLD: c->iat = NOW - IDTOKEN_MAX_AGE - 1; break;
	case C_IAT_MISSING: c->has_iat = false; break;
	case C_NONCE: c->nonce = "n-0S6_WzA2Mk"; break;
	case C_NONCE_NULL: c->nonce = NULL; break;
	}
}

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct idtoken_claims c = good();
		apply(&c, cases[i].ch);
		enum idtoken_problem got = idtoken_check(&c, ISS, CID, NONCE, NOW);
		if (got != cases[i].want)
			fail_msg("case %zu: got %s want %s", i, idtoken_problem_names[got],
				 idtoken_problem_names[cases[i].want]);
	}
}

static void test_alg(void **state)
{
	(void)state;
	static const struct {
		const char *alg;
		bool ok;
	} algs[] = {{"RS256", true},  {"ES256", true},	{"none", false}, {"HS256", false},
		    {"RS512", false}, {"rs256", false}, {"", false},	 {NULL, false}};
	for (size_t i = 0; i < N(algs); i++)
		assert_int_equal(idtoken_alg_allowed(algs[i].alg), algs[i].ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_alg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
