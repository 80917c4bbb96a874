/* RFC 4180 CSV: fields separated by ',', records by LF or CRLF, fields in
 * double quotes may hold ',', CR, LF and "" (one quote). */
#include "store/csv.h"

#include <stdio.h>
#include <string.h>

void csv_init(struct csv *c, const char *data, size_t n)
{
	c->p = data;
	c->end = data + n;
	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		c->p += 3;
	c->line = 1;
	c->rec_line = 1;
	c->nfields = 0;
	c->names = NULL;
	c->nnames = 0;
}

/* "tckn" when the column has a name, else its 1-based number. */
static const char *label(const struct csv *c, int i, char *tmp, size_t n)
{
	if (c->names != NULL && i < c->nnames)
		return c->names[i];
	snprintf(tmp, n, "%d", i + 1);
	return tmp;
}

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Trims ASCII blanks around the field and stores it. */
static void field_finish(struct csv *c, int i, size_t n)
{
	char *f = c->store[i];
	size_t a = 0;

	while (n > 0 && is_blank(f[n - 1]))
		n--;
	while (a < n && is_blank(f[a]))
		a++;
	if (a > 0)
		memmove(f, f + a, n - a);
	n -= a;
	f[n] = '\0';
	c->field[i] = f;
	c->len[i] = n;
}

static int put(struct csv *c, int i, size_t *n, char ch, char *err, size_t errlen)
{
	if (*n >= CSV_MAX_FIELD) {
		char t[16];
		snprintf(err, errlen, "satır %ld, alan %s: alan %d bayttan uzun", c->rec_line,
			 label(c, i, t, sizeof t), CSV_MAX_FIELD);
		return -1;
	}
	c->store[i][(*n)++] = ch;
	return 0;
}

/* Reads a quoted field body (after the opening quote) up to the closing
 * quote. */
static int read_quoted(struct csv *c, int i, size_t *n, char *err, size_t errlen)
{
	long start = c->line;

	for (;;) {
		if (c->p >= c->end) {
			char t[16];
			snprintf(err, errlen, "satır %ld, alan %s: kapanmamış tırnak (\")", start,
				 label(c, i, t, sizeof t));
			return -1;
		}
		char ch = *c->p++;
		if (ch == '"') {
			if (c->p < c->end && *c->p == '"') {
				c->p++;
			} else {
				return 0;
			}
		} else if (ch == '\n') {
			c->line++;
		}
		if (put(c, i, n, ch, err, errlen) != 0)
			return -1;
	}
}

/* Reads one field; sets *eol when the record ended after it. */
static int read_field(struct csv *c, int i, int *eol, char *err, size_t errlen)
{
	size_t n = 0;
	int quoted = 0;

	while (c->p < c->end && is_blank(*c->p) && !quoted)
		if (put(c, i, &n, *c->p++, err, errlen) != 0)
			return -1;
	if (c->p < c->end && *c->p == '"') {
		c->p++;
		n = 0; /* blanks before an opening quote are dropped */
		quoted = 1;
		if (read_quoted(c, i, &n, err, errlen) != 0)
			return -1;
	}
	for (;;) {
		if (c->p >= c->end) {
			*eol = 1;
			break;
		}
		char ch = *c->p++;
		if (ch == ',')
			break;
		if (ch == '\n' || (ch == '\r' && c->p < c->end && *c->p == '\n')) {
			if (ch == '\r')
				c->p++;
			c->line++;
			*eol = 1;
			break;
		}
		if (ch == '"' || (quoted && !is_blank(ch)) || ch == '\r') {
			char t[16];
			snprintf(err, errlen, "satır %ld, alan %s: tırnak (\") kuralına aykırı",
				 c->line, label(c, i, t, sizeof t));
			return -1;
		}
		if (put(c, i, &n, ch, err, errlen) != 0)
			return -1;
	}
	field_finish(c, i, n);
	return 0;
}

/* Skips lines that are empty (or only CR). */
static void skip_blank_lines(struct csv *c)
{
	for (;;) {
		if (c->p < c->end && *c->p == '\n') {
			c->p++;
			c->line++;
		} else if (c->end - c->p >= 2 && c->p[0] == '\r' && c->p[1] == '\n') {
			c->p += 2;
			c->line++;
		} else {
			return;
		}
	}
}

int csv_next(struct csv *c, char *err, size_t errlen)
{
	int eol = 0;

	skip_blank_lines(c);
	c->nfields = 0;
	if (c->p >= c->end)
		return 0;
	c->rec_line = c->line;
	while (!eol) {
		if (c->nfields == CSV_MAX_FIELDS) {
			snprintf(err, errlen, "satır %ld: bir satırda en çok %d alan olabilir",
				 c->rec_line, CSV_MAX_FIELDS);
			return -1;
		}
		if (read_field(c, c->nfields, &eol, err, errlen) != 0)
			return -1;
		c->nfields++;
	}
	return 1;
}
