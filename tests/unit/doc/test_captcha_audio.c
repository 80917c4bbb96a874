/* The CAPTCHA's audio alternative: the spoken script, the WAV size fix-up
 * and a real espeak-ng run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "doc/captcha.h"
#include "doc/captcha_audio.h"

static void test_script(void **state)
{
	static const struct {
		const char *text;
		int rc;
		const char *want;
	} rows[] = {
		{"K7", 0, "Resimdeki yazı: ke, yedi. Tekrar ediyorum: ke, yedi."},
		{"W3", 0, "Resimdeki yazı: çift ve, üç. Tekrar ediyorum: çift ve, üç."},
		{"A", 0, "Resimdeki yazı: a. Tekrar ediyorum: a."},
		{"K0", -1, NULL}, /* 0 is not in the alphabet */
		{"k", -1, NULL},
		{"", -1, NULL},
	};
	char out[512];
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int rc = captcha_audio_script(rows[i].text, out, sizeof out);
		if (rc != rows[i].rc)
			fail_msg("row %zu: rc %d, want %d", i, rc, rows[i].rc);
		if (rows[i].want != NULL)
			assert_string_equal(out, rows[i].want);
	}
	/* every character of the alphabet has a name */
	assert_int_equal(captcha_audio_script(captcha_alphabet, out, sizeof out), 0);
	/* too small a buffer is an error, not a cut */
	assert_int_equal(captcha_audio_script("K7", out, 20), -1);
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_fix_sizes(void **state)
{
	unsigned char wav[60] = {0};
	memcpy(wav, "RIFF", 4);
	put32(wav + 4, 0x7ffff024);
	memcpy(wav + 8, "WAVEfmt ", 8);
	put32(wav + 16, 16);
	memcpy(wav + 36, "data", 4);
	put32(wav + 40, 0x7ffff000);
	assert_int_equal(captcha_wav_fix_sizes(wav, sizeof wav), 0);
	assert_int_equal(get32(wav + 4), sizeof wav - 8);
	assert_int_equal(get32(wav + 40), sizeof wav - 44);
	/* not a WAV, or a chunk running past the end */
	unsigned char junk[60] = "RIFX";
	assert_int_equal(captcha_wav_fix_sizes(junk, sizeof junk), -1);
	put32(wav + 16, 1000);
	assert_int_equal(captcha_wav_fix_sizes(wav, sizeof wav), -1);
	assert_int_equal(captcha_wav_fix_sizes(wav, 8), -1);
}

static void test_espeak_wav(void **state)
{
	buf out;
	buf_init(&out, CAPTCHA_AUDIO_MAX);
	assert_int_equal(captcha_audio_wav("K7MX4P", &out), 0);
	assert_true(out.len > 44 + 22050); /* more than half a second of speech */
	assert_memory_equal(out.data, "RIFF", 4);
	assert_memory_equal(out.data + 8, "WAVE", 4);
	assert_int_equal(get32((unsigned char *)out.data + 4), out.len - 8);
	buf_free(&out);
	buf_init(&out, CAPTCHA_AUDIO_MAX);
	assert_int_equal(captcha_audio_wav("k0", &out), -1); /* not spoken */
	assert_int_equal(out.len, 0);
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script),
		cmocka_unit_test(test_fix_sizes),
		cmocka_unit_test(test_espeak_wav),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
