/* The cards' PINs at rest (src/pki/card_pins.c): a sealed PIN opens only
 * under its key, for its kind and its token serial, untampered; the card
 * key file is refused when others may read it or its size is wrong; PINs
 * are decimal digits of the asked length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "helpers.h"
#include "pki/card_pins.h"

static void test_seal_open(void **state)
{
	(void)state;
	unsigned char key[CARD_KEY_LEN], other[CARD_KEY_LEN];
	char sealed[CARD_SEALED_MAX], again[CARD_SEALED_MAX], pin[64];
	randombytes_buf(key, sizeof key);
	randombytes_buf(other, sizeof other);
	assert_int_equal(card_pin_seal(key, "so", "a1b2c3", "12345678", sealed), 0);
	assert_null(strstr(sealed, "12345678"));
	assert_int_equal(card_pin_open(key, "so", "a1b2c3", sealed, pin, sizeof pin), 0);
	assert_string_equal(pin, "12345678");
	/* a fresh nonce each time */
	assert_int_equal(card_pin_seal(key, "so", "a1b2c3", "12345678", again), 0);
	assert_string_not_equal(sealed, again);
	static const struct {
		int other_key;
		const char *kind, *serial;
	} refused[] = {
		{1, "so", "a1b2c3"},	    /* another card key */
		{0, "transport", "a1b2c3"}, /* the other PIN's slot */
		{0, "so", "a1b2c4"},	    /* another card */
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		assert_int_equal(card_pin_open(refused[i].other_key ? other : key, refused[i].kind,
					       refused[i].serial, sealed, pin, sizeof pin),
				 -1);
	/* a flipped byte anywhere */
	for (size_t i = 0, len = strlen(sealed); i < len; i += 7) {
		char t[CARD_SEALED_MAX];
		memcpy(t, sealed, sizeof t);
		t[i] = t[i] == '0' ? '1' : '0';
		if (card_pin_open(key, "so", "a1b2c3", t, pin, sizeof pin) != -1)
			fail_msg("opened with byte %zu flipped: %s / %s", i, sealed, t);
	}
	assert_int_equal(card_pin_open(key, "so", "a1b2c3", "zz", pin, sizeof pin), -1);
	assert_int_equal(card_pin_open(key, "so", "a1b2c3", "", pin, sizeof pin), -1);
	/* empty or over-long PINs are not sealed */
	assert_int_equal(card_pin_seal(key, "so", "a1b2c3", "", sealed), -1);
	assert_int_equal(card_pin_seal(key, "so", "a1b2c3", "123456789012345678901234567890123",
				       sealed),
			 -1);
}

static void test_random_digits(void **state)
{
	(void)state;
	char pin[16];
	int seen[10] = {0};
	for (int round = 0; round < 200; round++) {
		card_random_digits(pin, sizeof pin, CARD_TRANSPORT_PIN_DIGITS);
		assert_int_equal(strlen(pin), CARD_TRANSPORT_PIN_DIGITS);
		for (const char *p = pin; *p; p++) {
			assert_true(*p >= '0' && *p <= '9');
			seen[*p - '0'] = 1;
		}
	}
	for (int d = 0; d < 10; d++)
		assert_true(seen[d]);
	card_random_digits(pin, 4, CARD_SO_PIN_DIGITS); /* bounded by the buffer */
	assert_int_equal(strlen(pin), 3);
}

static void test_key_file(void **state)
{
	(void)state;
	char *tmp = tp_tmpdir(), path[600], err[256] = "";
	unsigned char key[CARD_KEY_LEN], again[CARD_KEY_LEN];
	struct stat st;
	snprintf(path, sizeof path, "%s/card.key", tmp);
	assert_int_equal(card_key_load(path, 0, key, err, sizeof err), -1); /* none yet */
	assert_int_equal(card_key_load(path, 1, key, err, sizeof err), 0);  /* made */
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, CARD_KEY_LEN);
	assert_int_equal(card_key_load(path, 1, again, err, sizeof err), 0); /* kept */
	assert_memory_equal(key, again, sizeof key);
	assert_int_equal(chmod(path, 0640), 0);
	err[0] = '\0';
	assert_int_equal(card_key_load(path, 0, key, err, sizeof err), -1);
	assert_non_null(strstr(err, "0600"));
	assert_int_equal(chmod(path, 0600), 0);
	FILE *f = fopen(path, "a");
	assert_non_null(f);
	fputc('x', f);
	fclose(f);
	assert_int_equal(card_key_load(path, 0, key, err, sizeof err), -1); /* 33 bytes */
	tp_rmtree(tmp);
	free(tmp);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seal_open),
		cmocka_unit_test(test_random_digits),
		cmocka_unit_test(test_key_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
