/* Growable byte buffer with a hard ceiling.
 *
 * Exceeding `max` is an error (the buffer keeps what it had and `err` is
 * set), never an unbounded realloc loop. The data is always NUL-terminated
 * so it can be used as a C string. */
#ifndef EIMZA_BUF_H
#define EIMZA_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
	char *data;
	size_t len, cap, max;
	int err; /* sticky: set once an append failed */
} buf;

void buf_init(buf *b, size_t max);
int buf_append(buf *b, const void *p, size_t n);
int buf_puts(buf *b, const char *s);
int buf_putc(buf *b, char c);
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Releases the memory and leaves an empty buffer. */
void buf_free(buf *b);
/* Hands the malloc'd data to the caller (caller frees) and resets b. */
char *buf_detach(buf *b, size_t *len);
void buf_reset(buf *b);

#endif
