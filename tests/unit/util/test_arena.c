/* util/arena.c: allocation within the ceiling, and arena_free() wiping
 * every byte handed out before the block goes back to malloc.
 *
 * Memory cannot be read safely after it is freed, so the test includes
 * arena.c with free() replaced by checked_free(), which looks at each block
 * at the moment arena_free() releases it: a block still holding what was
 * written into it fails the test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

static void checked_free(void *p);
#define free checked_free
#include "../../../src/util/arena.c"
#undef free

#define MAX_BLOCKS 64

/* The blocks of the arena under test, recorded just before arena_free(). */
static struct block *blocks[MAX_BLOCKS];
static size_t nblocks, checked, dirty;

static void record_blocks(arena *a)
{
	nblocks = checked = dirty = 0;
	for (struct block *b = a->head; b != NULL && nblocks < MAX_BLOCKS; b = b->next)
		blocks[nblocks++] = b;
}

static void checked_free(void *p)
{
	for (size_t i = 0; i < nblocks; i++) {
		if (blocks[i] != p)
			continue;
		for (size_t j = 0; j < blocks[i]->used; j++)
			if (blocks[i]->mem[j] != 0) {
				dirty++;
				break;
			}
		checked++;
		blocks[i] = NULL;
	}
	free(p);
}

static void test_free_wipes_every_block(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	assert_non_null(a);
	/* Small allocations filling more than one block, one allocation larger
	 * than a block (a block of its own), and a string like a password. */
	for (int i = 0; i < 300; i++) {
		unsigned char *p = arena_alloc(a, 100);
		assert_non_null(p);
		memset(p, 0xA5, 100);
	}
	unsigned char *big = arena_alloc(a, 3 * ARENA_BLOCK);
	assert_non_null(big);
	memset(big, 0x5A, 3 * ARENA_BLOCK);
	assert_non_null(arena_printf(a, "parola=%s", "Gizli-Parola-2026"));
	record_blocks(a);
	assert_true(nblocks >= 3);
	arena_free(a);
	assert_int_equal(checked, nblocks);
	assert_int_equal(dirty, 0);
	nblocks = 0;
}

static void test_empty_and_null(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	record_blocks(a);
	assert_int_equal(nblocks, 0);
	arena_free(a);
	arena_free(NULL);
}

static void test_ceiling(void **state)
{
	(void)state;
	arena *a = arena_new(4096);
	assert_non_null(arena_alloc(a, 4000));
	assert_null(arena_alloc(a, 200));
	assert_null(arena_alloc(a, 5000));
	char *s = arena_strdup(a, "abc");
	assert_non_null(s);
	assert_string_equal(s, "abc");
	assert_true(arena_used(a) <= 4096);
	record_blocks(a);
	arena_free(a);
	assert_int_equal(dirty, 0);
	nblocks = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_wipes_every_block),
		cmocka_unit_test(test_empty_and_null),
		cmocka_unit_test(test_ceiling),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
