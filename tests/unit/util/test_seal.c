/* Sealed text (src/util/seal.c): round trip, tampering, another master
 * secret, values from before sealing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/seal.h"
#include "util/secret.h"

static char dir[] = "/tmp/eimza-seal-XXXXXX";

static void test_seal_round_trip(void **state)
{
	(void)state;
	char path[128], sealed[256], out[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/secret.key", dir);
	assert_int_equal(secret_init(path), 0);
	const char *plain = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
	assert_int_equal(seal_text(SECRET_TOTP_SEAL, plain, sealed, sizeof sealed), 0);
	assert_true(seal_is_sealed(sealed));
	assert_null(strstr(sealed, plain));
	assert_int_equal(seal_open(SECRET_TOTP_SEAL, sealed, out, sizeof out), 0);
	assert_string_equal(out, plain);

	/* A fresh nonce each time. */
	char again[256];
	assert_int_equal(seal_text(SECRET_TOTP_SEAL, plain, again, sizeof again), 0);
	assert_string_not_equal(again, sealed);

	/* Another purpose's key, a flipped character, a short buffer: refused. */
	assert_int_equal(seal_open(SECRET_OTP, sealed, out, sizeof out), -1);
	char bad[256];
	memcpy(bad, sealed, strlen(sealed) + 1);
	bad[10] = bad[10] == 'A' ? 'B' : 'A';
	assert_int_equal(seal_open(SECRET_TOTP_SEAL, bad, out, sizeof out), -1);
	assert_int_equal(seal_open(SECRET_TOTP_SEAL, sealed, out, 8), -1);
	assert_int_equal(seal_open(SECRET_TOTP_SEAL, "s1:", out, sizeof out), -1);

	/* A value stored before sealing is passed through and said so. */
	assert_int_equal(seal_open(SECRET_TOTP_SEAL, "ABCDEFGH", out, sizeof out), 1);
	assert_string_equal(out, "ABCDEFGH");
	assert_false(seal_is_sealed("ABCDEFGH"));

	/* Too small an output for the sealed form. */
	assert_int_equal(seal_text(SECRET_TOTP_SEAL, plain, out, 16), -1);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seal_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
