/* Internal to src/store: an RFC 4180 CSV reader over a buffer in memory,
 * with hard limits (field bytes, fields per record) and Turkish errors that
 * name the line. */
#ifndef EIMZA_STORE_CSV_H
#define EIMZA_STORE_CSV_H

#include <stddef.h>

#define CSV_MAX_FIELDS 64
#define CSV_MAX_FIELD 500

struct csv {
	const char *p, *end;
	long line;     /* physical line the reader is on (1-based) */
	long rec_line; /* line where the current record started */
	int nfields;
	char *field[CSV_MAX_FIELDS]; /* NUL-terminated, trimmed of ASCII blanks */
	size_t len[CSV_MAX_FIELDS];
	/* Optional column names used in messages ("alan tckn"); set by the
	 * caller after reading the header. */
	const char *const *names;
	int nnames;
	char store[CSV_MAX_FIELDS][CSV_MAX_FIELD + 1];
};

/* Starts reading data[0..n); a leading UTF-8 BOM is skipped. The data must
 * outlive the reader. */
void csv_init(struct csv *c, const char *data, size_t n);

/* Reads the next non-blank record into c->field. 1: a record, 0: end of
 * data, -1: error (message "satır N...: ..." in err). Fields may contain
 * any bytes but NUL handling is the caller's (len is exact). */
int csv_next(struct csv *c, char *err, size_t errlen);

#endif
