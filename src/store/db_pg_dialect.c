/* The PostgreSQL dialect rules of db_pg_dialect.h. */
#include "store/db_pg_dialect.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/db.h"

/* Migration rewrites, longest first where one could prefix another. */
static const struct {
	const char *from, *to;
} script_rewrites[] = {
	{"INTEGER PRIMARY KEY", "BIGSERIAL PRIMARY KEY"},
	{"BLOB", "BYTEA"},
};

static int is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Length of the quoted string or comment starting at p, or 0 if none does. */
static size_t skip_len(const char *p)
{
	const char *e;

	if (*p == '\'' || *p == '"') {
		e = strchr(p + 1, *p);
		return e != NULL ? (size_t)(e - p) + 1 : strlen(p);
	}
	if (p[0] == '-' && p[1] == '-') {
		e = strchr(p, '\n');
		return e != NULL ? (size_t)(e - p) : strlen(p);
	}
	return 0;
}

int db_pg_rewrite_script(buf *out, const char *sql)
{
	for (const char *p = sql; *p != '\0';) {
		size_t skip = skip_len(p), i;

		if (skip > 0) {
			buf_append(out, p, skip);
			p += skip;
			continue;
		}
		int word_start = p == sql || !is_word_char(p[-1]);
		for (i = 0; word_start && i < sizeof script_rewrites / sizeof script_rewrites[0];
		     i++) {
			size_t n = strlen(script_rewrites[i].from);
			if (strncasecmp(p, script_rewrites[i].from, n) == 0 &&
			    !is_word_char(p[n])) {
				buf_puts(out, script_rewrites[i].to);
				p += n;
				break;
			}
		}
		if (!word_start || i == sizeof script_rewrites / sizeof script_rewrites[0])
			buf_putc(out, *p++);
	}
	return out->err ? -1 : 0;
}

int db_pg_sqlstate_rc(const char *state)
{
	if (state == NULL)
		return DB_ERR;
	if (strncmp(state, "23", 2) == 0)
		return DB_CONSTRAINT;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0)
		return DB_BUSY;
	return DB_ERR;
}

int db_pg_sqlstate_retryable(const char *state)
{
	return state != NULL && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0);
}

int db_pg_max_param(const char *sql, int max)
{
	int top = 0;
	char q = 0;

	for (const char *p = sql; *p != '\0'; p++) {
		if (q != 0) {
			if (*p == q)
				q = 0;
		} else if (*p == '\'' || *p == '"') {
			q = *p;
		} else if (*p == '$' && isdigit((unsigned char)p[1])) {
			long n = strtol(p + 1, NULL, 10);
			if (n > max)
				return -1;
			if (n > top)
				top = (int)n;
		}
	}
	return top;
}
