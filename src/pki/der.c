#include "pki/der.h"

#include <string.h>
#include <time.h>

#include <openssl/objects.h>

void der_put_header(buf *b, unsigned tag, size_t len)
{
	unsigned char h[10];
	size_t n = 0;
	h[n++] = (unsigned char)tag;
	if (len < 0x80) {
		h[n++] = (unsigned char)len;
	} else {
		unsigned char tmp[8];
		size_t k = 0;
		while (len > 0) {
			tmp[k++] = (unsigned char)(len & 0xff);
			len >>= 8;
		}
		h[n++] = (unsigned char)(0x80 | k);
		while (k > 0)
			h[n++] = tmp[--k];
	}
	buf_append(b, h, n);
}

void der_put_tlv(buf *b, unsigned tag, const void *v, size_t len)
{
	der_put_header(b, tag, len);
	buf_append(b, v, len);
}

void der_wrap(buf *b, size_t start, unsigned tag)
{
	if (b->err || start > b->len)
		return;
	size_t clen = b->len - start;
	unsigned char h[10];
	buf hb;
	buf_init(&hb, sizeof h + 1);
	der_put_header(&hb, tag, clen);
	if (hb.err) {
		buf_free(&hb);
		b->err = 1;
		return;
	}
	size_t hl = hb.len;
	memcpy(h, hb.data, hl);
	buf_free(&hb);
	/* Grow by hl bytes, then shift the content right. */
	if (buf_append(b, h, hl) != 0)
		return;
	memmove(b->data + start + hl, b->data + start, clen);
	memcpy(b->data + start, h, hl);
}

void der_put_oid(buf *b, const char *dotted)
{
	ASN1_OBJECT *o = OBJ_txt2obj(dotted, 1);
	if (o == NULL) {
		b->err = 1;
		return;
	}
	const unsigned char *d = OBJ_get0_data(o);
	size_t n = OBJ_length(o);
	der_put_tlv(b, DER_OID, d, n);
	ASN1_OBJECT_free(o);
}

void der_put_uint(buf *b, unsigned tag, uint64_t v)
{
	unsigned char tmp[9];
	size_t k = 0;
	do {
		tmp[k++] = (unsigned char)(v & 0xff);
		v >>= 8;
	} while (v > 0);
	if (tmp[k - 1] & 0x80)
		tmp[k++] = 0;
	unsigned char out[9];
	for (size_t i = 0; i < k; i++)
		out[i] = tmp[k - 1 - i];
	der_put_tlv(b, tag, out, k);
}

void der_put_uint_bytes(buf *b, const unsigned char *v, size_t len)
{
	while (len > 1 && v[0] == 0) {
		v++;
		len--;
	}
	if (len == 0) {
		unsigned char z = 0;
		der_put_tlv(b, DER_INTEGER, &z, 1);
		return;
	}
	if (v[0] & 0x80) {
		der_put_header(b, DER_INTEGER, len + 1);
		buf_putc(b, 0);
		buf_append(b, v, len);
		return;
	}
	der_put_tlv(b, DER_INTEGER, v, len);
}

static void put_time_fmt(buf *b, int64_t t, int utc)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char s[20];
	if (gmtime_r(&tt, &tm) == NULL) {
		b->err = 1;
		return;
	}
	int n;
	if (utc)
		n = snprintf(s, sizeof s, "%02d%02d%02d%02d%02d%02dZ", tm.tm_year % 100,
			     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	else
		n = snprintf(s, sizeof s, "%04d%02d%02d%02d%02d%02dZ", tm.tm_year + 1900,
			     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (n <= 0 || (size_t)n >= sizeof s) {
		b->err = 1;
		return;
	}
	der_put_tlv(b, utc ? DER_UTCTIME : DER_GENTIME, s, (size_t)n);
}

void der_put_gentime(buf *b, int64_t t)
{
	put_time_fmt(b, t, 0);
}

void der_put_time(buf *b, int64_t t)
{
	/* 2050-01-01T00:00:00Z */
	put_time_fmt(b, t, t < 2524608000LL);
}

int der_next(const unsigned char **p, size_t *left, unsigned *tag, const unsigned char **val,
	     size_t *len)
{
	const unsigned char *s = *p;
	size_t n = *left;
	if (n < 2 || (s[0] & 0x1f) == 0x1f)
		return -1;
	*tag = s[0];
	size_t l = s[1], off = 2;
	if (l & 0x80) {
		size_t k = l & 0x7f;
		if (k == 0 || k > sizeof(size_t) || n < 2 + k || s[2] == 0)
			return -1;
		l = 0;
		for (size_t i = 0; i < k; i++)
			l = (l << 8) | s[2 + i];
		if (l < 0x80)
			return -1;
		off = 2 + k;
	}
	if (l > n - off)
		return -1;
	*val = s + off;
	*len = l;
	*p = s + off + l;
	*left = n - off - l;
	return 0;
}

void der_hex(const unsigned char *v, size_t len, char *out)
{
	static const char hx[] = "0123456789ABCDEF";
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hx[v[i] >> 4];
		out[2 * i + 1] = hx[v[i] & 15];
	}
	out[2 * len] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int der_unhex(const char *hex, unsigned char *out, size_t max)
{
	size_t n = strlen(hex);
	if (n == 0 || n % 2 || n / 2 > max)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return (int)(n / 2);
}
