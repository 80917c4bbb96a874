/* Per-request memory arena: many small allocations, one free.
 *
 * Everything a request allocates comes from its arena and is released by
 * arena_free() when the response is done. An arena has a ceiling; past it
 * arena_alloc() returns NULL rather than growing without bound. Secrets never
 * go into an arena (see STYLE.md). */
#ifndef EIMZA_ARENA_H
#define EIMZA_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

/* A new arena that will hand out at most `limit` bytes (0: 8 MiB). Caller
 * frees with arena_free(). Returns NULL on out-of-memory. */
arena *arena_new(size_t limit);
void arena_free(arena *a);

/* Zeroed memory valid until arena_free(); NULL when the ceiling is hit. */
void *arena_alloc(arena *a, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Bytes handed out so far. */
size_t arena_used(const arena *a);

#endif
