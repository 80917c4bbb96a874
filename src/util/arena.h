/* Per-request memory arena: many small allocations, one free.
 *
 * Everything a request allocates comes from its arena and is released by
 * arena_free() when the response is done. An arena has a ceiling; past it
 * arena_alloc() returns NULL rather than growing without bound.
 *
 * Secrets can reach a request's arena: a query string is decoded into it,
 * and handlers copy form values (passwords, Güvenlik Sözcüğü, SMS and TOTP
 * codes, a generated password shown once) into pages and messages built
 * there. What is guaranteed: arena_free() overwrites with zeros every byte
 * the arena handed out (sodium_memzero, which the compiler may not drop)
 * before it returns the memory to malloc. Nothing more: the bytes stay in
 * place until arena_free(), and copies made outside the arena (the
 * form-field buffers of src/http, wiped on their own; libmicrohttpd's
 * connection and post-processor buffers; socket buffers; swap) are not its
 * business. Code that holds a secret for a moment should still keep it on
 * its stack and wipe it itself, as STYLE.md asks. */
#ifndef EIMZA_ARENA_H
#define EIMZA_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

/* A new arena that will hand out at most `limit` bytes (0: 8 MiB). Caller
 * frees with arena_free(). Returns NULL on out-of-memory. */
arena *arena_new(size_t limit);
/* Zeroes every byte handed out, then releases the arena. NULL: no-op. */
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
