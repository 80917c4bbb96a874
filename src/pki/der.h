/* A small DER writer and reader for the structures eimza builds or checks
 * byte by byte: qcStatements, the TBSCertList of a CRL (streamed, so that a
 * million entries never become a million OpenSSL objects), OCSP ResponseData,
 * and the outer SEQUENCE { tbs, algorithm, signature } around a signature
 * from the signer process.
 *
 * Writers append to a util/buf (bounded); a failed append sets the buffer's
 * sticky err flag, so callers check b->err once at the end. */
#ifndef EIMZA_PKI_DER_H
#define EIMZA_PKI_DER_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum {
	DER_BOOLEAN = 0x01,
	DER_INTEGER = 0x02,
	DER_BIT_STRING = 0x03,
	DER_OCTET_STRING = 0x04,
	DER_NULL = 0x05,
	DER_OID = 0x06,
	DER_ENUMERATED = 0x0a,
	DER_UTF8 = 0x0c,
	DER_PRINTABLE = 0x13,
	DER_IA5 = 0x16,
	DER_UTCTIME = 0x17,
	DER_GENTIME = 0x18,
	DER_SEQUENCE = 0x30,
	DER_SET = 0x31,
	DER_CTX0 = 0xa0, /* [0] constructed; [n] is DER_CTX0 + n */
};

/* Appends a tag and a definite length. */
void der_put_header(buf *b, unsigned tag, size_t len);
/* Appends tag, length and the content bytes. */
void der_put_tlv(buf *b, unsigned tag, const void *v, size_t len);
/* Wraps everything appended since offset `start` in `tag` (moves bytes). */
void der_wrap(buf *b, size_t start, unsigned tag);
/* An OBJECT IDENTIFIER from dotted text ("1.3.6.1.5.5.7.1.3"). */
void der_put_oid(buf *b, const char *dotted);
/* A small non-negative INTEGER or ENUMERATED (tag chosen by caller). */
void der_put_uint(buf *b, unsigned tag, uint64_t v);
/* A positive INTEGER from big-endian magnitude bytes (a 0x00 is prepended
 * when the top bit is set; leading zero bytes are dropped). */
void der_put_uint_bytes(buf *b, const unsigned char *v, size_t len);
/* GeneralizedTime "YYYYMMDDHHMMSSZ". */
void der_put_gentime(buf *b, int64_t t);
/* RFC 5280 Time: UTCTime before 2050, GeneralizedTime from 2050 on. */
void der_put_time(buf *b, int64_t t);

/* Reader: takes the next TLV from *p (with *left bytes). On success sets
 * tag, content pointer and length, advances *p / *left past it, returns 0.
 * Returns -1 on truncated or non-minimal-length input or a multi-byte tag. */
int der_next(const unsigned char **p, size_t *left, unsigned *tag, const unsigned char **val,
	     size_t *len);

/* Hex of bytes, upper case, into out (2*len+1 bytes). */
void der_hex(const unsigned char *v, size_t len, char *out);
/* Parses hex (even length, at most max bytes) into out; returns the byte
 * count or -1. */
int der_unhex(const char *hex, unsigned char *out, size_t max);

#endif
