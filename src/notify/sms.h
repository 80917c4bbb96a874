/* SMS driver internals, exposed for tests. */
#ifndef EIMZA_SMS_H
#define EIMZA_SMS_H

#include "util/buf.h"

/* Expands a Kannel sendsms-style URL template into out: %P becomes the
 * number (+90XXXXXXXXXX) URL-encoded, %a the UTF-8 text URL-encoded, %I
 * the idempotency key (may be NULL: empty), %% a percent sign; anything
 * else is copied. -1 on a full buffer. */
int sms_build_url(buf *out, const char *tmpl, const char *number, const char *text,
		  const char *key);

#endif
