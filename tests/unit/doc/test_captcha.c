/* CAPTCHA text, image and check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc/captcha.h"
#include "util/secret.h"

static void test_alphabet(void **state)
{
	(void)state;
	const char *forbidden = "0O1Il2Z5S8B";
	assert_int_equal(strlen(captcha_alphabet), 24);
	for (const char *c = captcha_alphabet; *c; c++) {
		assert_null(strchr(forbidden, *c));
		assert_true((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9'));
		assert_ptr_equal(strchr(captcha_alphabet, *c), c); /* no duplicates */
	}
}

static void test_new_text(void **state)
{
	(void)state;
	int seen[256] = {0};
	char prev[8] = "", text[8];
	int differs = 0;
	for (int i = 0; i < 500; i++) {
		memset(text, 'x', sizeof text);
		assert_int_equal(captcha_new_text(text), 0);
		assert_int_equal(strlen(text), CAPTCHA_LEN);
		for (int k = 0; k < CAPTCHA_LEN; k++) {
			assert_non_null(strchr(captcha_alphabet, text[k]));
			seen[(unsigned char)text[k]]++;
		}
		if (strcmp(prev, text) != 0)
			differs++;
		memcpy(prev, text, sizeof prev);
	}
	assert_true(differs > 490);
	/* 3000 draws: every character of the alphabet must have come up. */
	for (const char *c = captcha_alphabet; *c; c++)
		assert_true(seen[(unsigned char)*c] > 0);
}

static const struct {
	const char *expected, *given;
	int ok;
} check_cases[] = {
	{"ACD479", "ACD479", 1},
	{"ACD479", "acd479", 1},
	{"ACD479", "aCd479", 1},
	{"ACD479", "  acd479 \r\n", 1},
	{"ACD479", "\tACD479", 1},
	{"ACD479", "ACD47", 0},
	{"ACD479", "ACD4799", 0},
	{"ACD479", "ACD 479", 0},
	{"ACD479", "ACD478", 0},
	{"ACD479", "XCD479", 0},
	{"ACD479", "", 0},
	{"ACD479", "   ", 0},
	{"", "", 0},
	{"ACD479", NULL, 0},
	{NULL, "ACD479", 0},
	{"ACD479", "ACD479ACD479ACD479ACD479", 0},
	{"ACD479", "ACD479\0ignored", 1},
	{"ACD479",
	 "ACD4\xc4\xb0"
	 "79",
	 0},
};

static void test_check(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof check_cases / sizeof check_cases[0]; i++) {
		int got = captcha_check(check_cases[i].expected, check_cases[i].given);
		if (got != check_cases[i].ok)
			fail_msg("case %zu: '%s' vs '%s': got %d", i,
				 check_cases[i].expected ? check_cases[i].expected : "(null)",
				 check_cases[i].given ? check_cases[i].given : "(null)", got);
	}
}

struct reader {
	const unsigned char *p;
	size_t left;
};

static cairo_status_t read_mem(void *closure, unsigned char *data, unsigned int length)
{
	struct reader *r = closure;
	if (length > r->left)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->p, length);
	r->p += length;
	r->left -= length;
	return CAIRO_STATUS_SUCCESS;
}

/* Counts pixels darker than half grey: the characters and lines. */
static int dark_pixels(cairo_surface_t *s)
{
	cairo_surface_flush(s);
	const unsigned char *d = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s), n = 0;
	for (int y = 0; y < cairo_image_surface_get_height(s); y++)
		for (int x = 0; x < cairo_image_surface_get_width(s); x++) {
			uint32_t px;
			memcpy(&px, d + y * stride + 4 * x, 4);
			int lum = (int)(((px >> 16) & 0xff) + ((px >> 8) & 0xff) + (px & 0xff));
			n += lum < 3 * 128;
		}
	return n;
}

static void test_render(void **state)
{
	(void)state;
	buf a, b;
	buf_init(&a, 1 << 20);
	buf_init(&b, 1 << 20);
	assert_int_equal(captcha_render_png("HK7XP3", &a), 0);
	assert_int_equal(captcha_render_png("HK7XP3", &b), 0);
	assert_true(a.len > 1000);
	assert_memory_equal(a.data, "\x89PNG\r\n\x1a\n", 8);
	/* Same text, different random distortion. */
	assert_true(a.len != b.len || memcmp(a.data, b.data, a.len) != 0);

	struct reader r = {(const unsigned char *)a.data, a.len};
	cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_mem, &r);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	assert_int_equal(cairo_image_surface_get_width(s), CAPTCHA_WIDTH);
	assert_int_equal(cairo_image_surface_get_height(s), CAPTCHA_HEIGHT);
	int dark = dark_pixels(s);
	int total = CAPTCHA_WIDTH * CAPTCHA_HEIGHT;
	assert_true(dark > total / 40); /* text is drawn */
	assert_true(dark < total / 2);	/* background is light */
	cairo_surface_destroy(s);
	buf_free(&a);
	buf_free(&b);
}

static void test_render_bad(void **state)
{
	(void)state;
	buf a;
	buf_init(&a, 1 << 20);
	assert_int_equal(captcha_render_png(NULL, &a), -1);
	assert_int_equal(captcha_render_png("", &a), -1);
	assert_int_equal(captcha_render_png("ABCDEFGHJKLMNPQRSTUV", &a), -1);
	assert_int_equal(captcha_render_png("ACD479", NULL), -1);
	buf_free(&a);
	/* A buffer too small for the image is an error, not a crash. */
	buf_init(&a, 100);
	assert_int_equal(captcha_render_png("ACD479", &a), -1);
	buf_free(&a);
}

/* The session keeps a keyed hash of the answer (issue 12), checked with
 * the same normalisation as captcha_check. */
static void test_hash(void **state)
{
	(void)state;
	char dir[] = "/tmp/eimza-captcha-XXXXXX", path[64], h[65], again[65];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/secret.key", dir);
	assert_int_equal(secret_init(path), 0);
	assert_int_equal(captcha_hash("K7PX4Q", h), 0);
	assert_int_equal(strlen(h), 64);
	assert_null(strstr(h, "K7PX4Q"));
	assert_int_equal(captcha_hash(" k7px4q\n", again), 0);
	assert_string_equal(h, again);
	assert_int_equal(captcha_check_hash(h, "k7px4q"), 1);
	assert_int_equal(captcha_check_hash(h, "K7PX4R"), 0);
	assert_int_equal(captcha_check_hash(h, ""), 0);
	assert_int_equal(captcha_check_hash(h, NULL), 0);
	assert_int_equal(captcha_check_hash("K7PX4Q", "K7PX4Q"),
			 0); /* a clear value never passes */
	assert_int_equal(captcha_check_hash(NULL, "K7PX4Q"), 0);
	assert_int_equal(captcha_hash("", h), -1);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alphabet),   cmocka_unit_test(test_new_text),
		cmocka_unit_test(test_check),	   cmocka_unit_test(test_render),
		cmocka_unit_test(test_render_bad), cmocka_unit_test(test_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
