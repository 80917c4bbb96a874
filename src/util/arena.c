#include "util/arena.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_DEFAULT_LIMIT (8u << 20)
#define ARENA_BLOCK 16384u

struct block {
	struct block *next;
	size_t cap, used;
	_Alignas(max_align_t) unsigned char mem[];
};

struct arena {
	struct block *head;
	size_t limit, total;
};

arena *arena_new(size_t limit)
{
	arena *a = calloc(1, sizeof *a);
	if (a == NULL)
		return NULL;
	a->limit = limit ? limit : ARENA_DEFAULT_LIMIT;
	return a;
}

void arena_free(arena *a)
{
	if (a == NULL)
		return;
	struct block *b = a->head;
	while (b != NULL) {
		struct block *next = b->next;
		/* Only [0, used) was ever written (arena_alloc hands out memory
		 * from the start of a block), so that is all there is to wipe:
		 * a request of a few KiB costs a few KiB of stores, not the
		 * block's capacity nor the arena's ceiling. */
		sodium_memzero(b->mem, b->used);
		free(b);
		b = next;
	}
	free(a);
}

static size_t align_up(size_t n)
{
	const size_t al = _Alignof(max_align_t);
	return (n + al - 1) & ~(al - 1);
}

void *arena_alloc(arena *a, size_t n)
{
	if (n == 0)
		n = 1;
	if (n > a->limit)
		return NULL;
	n = align_up(n);
	if (a->total + n > a->limit)
		return NULL;
	struct block *b = a->head;
	if (b == NULL || b->cap - b->used < n) {
		size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		b = malloc(sizeof *b + cap);
		if (b == NULL)
			return NULL;
		b->cap = cap;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->mem + b->used;
	b->used += n;
	a->total += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

size_t arena_used(const arena *a)
{
	return a->total;
}
