/* E-mail syntax check. */
#include "domain/email.h"

#include <stddef.h>
#include <string.h>

static int email_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int email_is_alnum(char c)
{
	return email_is_alpha(c) || (c >= '0' && c <= '9');
}

static int email_local_valid(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.' && s[i + 1] == '.')
			return 0;
		if (!email_is_alnum(s[i]) && strchr(".!#$%&'*+/=?^_`{|}~-", s[i]) == NULL)
			return 0;
	}
	return 1;
}

/* Checks one label s[0..n); last selects the TLD rule. */
static int email_label_valid(const char *s, size_t n, int last)
{
	size_t i;

	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		if (last ? !email_is_alpha(s[i]) : !(email_is_alnum(s[i]) || s[i] == '-'))
			return 0;
	}
	return !last || n >= 2;
}

static int email_domain_valid(const char *s, size_t n)
{
	size_t start = 0, i, dots = 0;

	if (n == 0 || n > 253)
		return 0;
	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '.')
			continue;
		if (!email_label_valid(s + start, i - start, i == n))
			return 0;
		if (i < n)
			dots++;
		start = i + 1;
	}
	return dots >= 1;
}

int email_valid(const char *s)
{
	const char *at;
	size_t n;

	if (s == NULL)
		return 0;
	n = strlen(s);
	if (n > 254)
		return 0;
	at = strchr(s, '@');
	if (at == NULL || strchr(at + 1, '@') != NULL)
		return 0;
	return email_local_valid(s, (size_t)(at - s)) &&
	       email_domain_valid(at + 1, n - (size_t)(at - s) - 1);
}
