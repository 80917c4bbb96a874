#include "domain/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

int64_t totp_hotp(const unsigned char *key, size_t keylen, uint64_t counter, int digits)
{
	static const int64_t pow10[] = {1,	10,	 100,	   1000,     10000,
					100000, 1000000, 10000000, 100000000};
	unsigned char msg[8], mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	if (key == NULL || keylen == 0 || keylen > 64 || digits < 6 || digits > 8)
		return -1;
	for (int i = 7; i >= 0; i--) {
		msg[i] = (unsigned char)(counter & 0xff);
		counter >>= 8;
	}
	if (HMAC(EVP_sha1(), key, (int)keylen, msg, sizeof msg, mac, &maclen) == NULL ||
	    maclen != 20)
		return -1;
	unsigned off = mac[19] & 0x0f;
	int64_t bin = ((int64_t)(mac[off] & 0x7f) << 24) | ((int64_t)mac[off + 1] << 16) |
		      ((int64_t)mac[off + 2] << 8) | (int64_t)mac[off + 3];
	return bin % pow10[digits];
}

int64_t totp_step_of(int64_t t)
{
	return t < 0 ? 0 : t / TOTP_STEP;
}

/* 1 if code is exactly TOTP_DIGITS ASCII digits; its value in *v. */
static int parse_code(const char *code, int64_t *v)
{
	int64_t x = 0;
	size_t i = 0;
	if (code == NULL)
		return 0;
	for (; code[i] != '\0'; i++) {
		if (i >= TOTP_DIGITS || code[i] < '0' || code[i] > '9')
			return 0;
		x = x * 10 + (code[i] - '0');
	}
	if (i != TOTP_DIGITS)
		return 0;
	*v = x;
	return 1;
}

int64_t totp_verify(const unsigned char *key, size_t keylen, const char *code, int64_t now,
		    int64_t last_step)
{
	int64_t want, found = -1;
	if (!parse_code(code, &want))
		return -1;
	int64_t step = totp_step_of(now);
	/* All three steps are always computed, so the time taken does not say
	 * which one matched. */
	for (int64_t s = step - 1; s <= step + 1; s++) {
		if (s < 0)
			continue;
		int64_t v = totp_hotp(key, keylen, (uint64_t)s, TOTP_DIGITS);
		int64_t diff = v ^ want;
		if (v >= 0 && diff == 0 && s > last_step && found < 0)
			found = s;
	}
	return found;
}

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int totp_base32_encode(const unsigned char *in, size_t n, char *out, size_t outlen)
{
	size_t need = (n * 8 + 4) / 5 + 1, o = 0;
	unsigned acc = 0;
	int bits = 0;
	if (out == NULL || outlen < need)
		return -1;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = b32_alphabet[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = b32_alphabet[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	return 0;
}

static int b32_value(char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	const char *p = c ? strchr(b32_alphabet, c) : NULL;
	return p ? (int)(p - b32_alphabet) : -1;
}

int totp_base32_decode(const char *in, unsigned char *out, size_t outlen)
{
	unsigned acc = 0;
	int bits = 0;
	size_t o = 0;
	for (const char *p = in; p && *p; p++) {
		if (*p == ' ' || *p == '=')
			continue;
		int v = b32_value(*p);
		if (v < 0)
			return -1;
		acc = ((acc << 5) | (unsigned)v) & 0xfff;
		bits += 5;
		if (bits >= 8) {
			if (o >= outlen)
				return -1;
			out[o++] = (unsigned char)((acc >> (bits - 8)) & 0xff);
			bits -= 8;
		}
	}
	return (int)o;
}
