/* UTF-8 decoding and whitespace cleaning for the domain rules. */
#include "domain/text.h"

#include <string.h>

int text_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c, min;
	int len, i;

	if (n == 0 || u[0] == 0)
		return -1;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		len = 2;
		c = u[0] & 0x1F;
		min = 0x80;
	} else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
		len = 3;
		c = u[0] & 0x0F;
		min = 0x800;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		len = 4;
		c = u[0] & 0x07;
		min = 0x10000;
	} else {
		return -1;
	}
	if ((size_t)len > n)
		return -1;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return -1;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return -1;
	*cp = c;
	return len;
}

int text_encode(uint32_t cp, char *out, size_t outlen, size_t *pos)
{
	unsigned char b[4];
	size_t len;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		len = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xC0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3F));
		len = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xE0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (unsigned char)(0x80 | (cp & 0x3F));
		len = 3;
	} else {
		b[0] = (unsigned char)(0xF0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (unsigned char)(0x80 | (cp & 0x3F));
		len = 4;
	}
	if (outlen == 0 || *pos + len + 1 > outlen) {
		if (outlen > 0 && *pos < outlen)
			out[*pos] = '\0';
		return -1;
	}
	memcpy(out + *pos, b, len);
	*pos += len;
	out[*pos] = '\0';
	return 0;
}

int text_is_space(uint32_t cp)
{
	return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0xA0;
}

static int text_is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

int text_clean(const char *in, char *out, size_t outlen, size_t maxchars)
{
	size_t n, i = 0, pos = 0, chars = 0;
	int pending_space = 0, len;
	uint32_t cp;

	if (outlen == 0)
		return -1;
	out[0] = '\0';
	if (in == NULL)
		return 0;
	n = strlen(in);
	while (i < n) {
		len = text_decode(in + i, n - i, &cp);
		if (len < 0)
			return -1;
		i += (size_t)len;
		if (text_is_space(cp)) {
			pending_space = chars > 0;
			continue;
		}
		if (text_is_control(cp))
			return -1;
		if (pending_space) {
			if (++chars > maxchars)
				return -2;
			if (text_encode(' ', out, outlen, &pos) < 0)
				return -1;
			pending_space = 0;
		}
		if (++chars > maxchars)
			return -2;
		if (text_encode(cp, out, outlen, &pos) < 0)
			return -1;
	}
	return 0;
}
