/* SMTP driver internals, exposed for tests: the RFC 5322 message it sends. */
#ifndef EIMZA_SMTP_H
#define EIMZA_SMTP_H

#include <stdint.h>

#include "notify/notify.h"
#include "util/buf.h"

/* Appends `text` to out as a header value: unchanged when it is printable
 * ASCII, otherwise as RFC 2047 encoded-words (=?UTF-8?B?...?=, each at most
 * 75 characters, never splitting a UTF-8 sequence) folded with CRLF SP.
 * -1 on CR/LF in text or a full buffer. */
int smtp_encode_header(buf *out, const char *text);

/* Writes the whole message for m into out (CRLF line endings): Date (from
 * `now`), From (`from`: "addr" or "Name <addr>"), To, Subject (RFC 2047),
 * Message-ID, MIME-Version, Content-Type text/plain; charset=UTF-8,
 * Content-Transfer-Encoding base64, then the base64 body. -1 when from, to or
 * subject contain CR/LF or are not valid, or the buffer is full. */
int smtp_format_message(buf *out, const struct notify_msg *m, const char *from, int64_t now);

/* The bare address of a From value ("Name <a@b>" -> "a@b") into out.
 * -1 when it is not a valid address or does not fit. */
int smtp_from_address(const char *from, char *out, size_t outlen);

#endif
