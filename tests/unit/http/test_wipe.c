/* src/http keeps no unwiped copy of a field value or a raw body:
 * http_buf_append_wiped() wipes a buffer before it moves to a larger one,
 * and http_buf_free_wiped() before it is freed.
 *
 * The test is linked with -Wl,--wrap=free: __wrap_free() looks at the one
 * buffer being watched at the moment it is released, and counts it dirty
 * when any byte is still set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/internal.h"

void __real_free(void *p);
void __wrap_free(void *p);

static const unsigned char *watched;
static size_t watched_len;
static int released, dirty;

void __wrap_free(void *p)
{
	if (p != NULL && p == watched) {
		for (size_t i = 0; i < watched_len; i++)
			if (watched[i] != 0) {
				dirty = 1;
				break;
			}
		released = 1;
		watched = NULL;
	}
	__real_free(p);
}

static void watch(const buf *b)
{
	watched = (const unsigned char *)b->data;
	watched_len = b->cap;
	released = dirty = 0;
}

static void test_growth_leaves_no_copy(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 4096);
	assert_int_equal(http_buf_append_wiped(&b, "parola=", 7), 0);
	char chunk[100];
	memset(chunk, 'S', sizeof chunk);
	/* Grow until the data has moved at least once, watching each move. */
	int moves = 0;
	for (int i = 0; i < 20; i++) {
		watch(&b);
		assert_int_equal(http_buf_append_wiped(&b, chunk, sizeof chunk), 0);
		if (released) {
			moves++;
			assert_int_equal(dirty, 0);
		}
	}
	assert_true(moves >= 2);
	assert_int_equal(b.len, 7 + 20 * sizeof chunk);
	assert_memory_equal(b.data, "parola=SSS", 10);
	assert_int_equal(b.data[b.len - 1], 'S');
	assert_int_equal(b.data[b.len], '\0');
	watch(&b);
	http_buf_free_wiped(&b);
	assert_int_equal(released, 1);
	assert_int_equal(dirty, 0);
	assert_null(b.data);
}

static void test_limits_as_buf_append(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 300);
	char chunk[150];
	memset(chunk, 'x', sizeof chunk);
	assert_int_equal(http_buf_append_wiped(&b, chunk, sizeof chunk), 0);
	assert_int_equal(http_buf_append_wiped(&b, chunk, 149), 0);
	assert_int_equal(b.len, 299);
	assert_int_equal(http_buf_append_wiped(&b, "y", 1), -1);
	assert_int_equal(b.err, 1);
	assert_int_equal(b.len, 299);
	http_buf_free_wiped(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_growth_leaves_no_copy),
		cmocka_unit_test(test_limits_as_buf_append),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
