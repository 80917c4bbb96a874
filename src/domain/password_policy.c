#include "domain/password_policy.h"

#include <string.h>

/* Code points of a UTF-8 string: every byte that is not a continuation. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* 1 if line (len bytes) equals pw ignoring ASCII case. */
static int line_matches(const char *line, size_t len, const char *pw, size_t pwlen)
{
	if (len != pwlen)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (ascii_lower(line[i]) != ascii_lower(pw[i]))
			return 0;
	return 1;
}

static int in_list(const char *pw, const char *list, size_t list_len)
{
	size_t pwlen = strlen(pw);
	const char *p = list, *end = list + list_len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl != NULL ? nl : end;
		size_t len = (size_t)(eol - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len > 0 && p[0] != '#' && line_matches(p, len, pw, pwlen))
			return 1;
		p = eol + 1;
	}
	return 0;
}

enum password_verdict password_check(const char *pw, const char *list, size_t list_len)
{
	if (pw == NULL)
		return PASSWORD_TOO_SHORT;
	size_t n = utf8_chars(pw);
	if (n < PASSWORD_MIN_CHARS)
		return PASSWORD_TOO_SHORT;
	if (n > PASSWORD_MAX_CHARS)
		return PASSWORD_TOO_LONG;
	if (list != NULL && in_list(pw, list, list_len))
		return PASSWORD_COMMON;
	return PASSWORD_OK;
}

const char *password_verdict_message(enum password_verdict v)
{
	switch (v) {
	case PASSWORD_OK: return "";
	case PASSWORD_TOO_SHORT: return "Parola en az 12 karakter olmalıdır.";
	case PASSWORD_TOO_LONG: return "Parola en çok 128 karakter olabilir.";
	case PASSWORD_COMMON:
		return "Bu parola çok yaygın kullanılan parolalar listesinde; lütfen tahmin "
		       "edilmesi zor, başka bir parola seçin.";
	}
	return "Parola kabul edilmedi.";
}
