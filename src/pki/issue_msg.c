/* The ISSUE_CERT request: encoding (web side) and the signer's parser. */
#include "pki/issue_msg.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "domain/tckn.h"
#include "util/utf8.h"

const char *const issue_field_names[ISSUE_F__MAX] = {
	[0] = "none",
	[ISSUE_F_PROFILE] = "profile",
	[ISSUE_F_TCKN] = "tckn",
	[ISSUE_F_GIVEN_NAME] = "given name",
	[ISSUE_F_SURNAME] = "surname",
	[ISSUE_F_EMAIL] = "email",
	[ISSUE_F_CSR] = "csr",
	[ISSUE_F_APP_REF] = "application reference",
	[ISSUE_F_RENEWS] = "renewed serial",
	[ISSUE_F_KEY_ON_QSCD] = "key on qscd",
};

/* Smallest and largest length of each field's value. */
static const size_t field_min[ISSUE_F__MAX] = {
	[ISSUE_F_PROFILE] = 1, [ISSUE_F_TCKN] = 11,  [ISSUE_F_GIVEN_NAME] = 1,
	[ISSUE_F_SURNAME] = 1, [ISSUE_F_EMAIL] = 3,  [ISSUE_F_CSR] = 1,
	[ISSUE_F_APP_REF] = 1, [ISSUE_F_RENEWS] = 2, [ISSUE_F_KEY_ON_QSCD] = 1,
};
static const size_t field_max[ISSUE_F__MAX] = {
	[ISSUE_F_PROFILE] = ISSUE_PROFILE_MAX,
	[ISSUE_F_TCKN] = 11,
	[ISSUE_F_GIVEN_NAME] = ISSUE_NAME_MAX,
	[ISSUE_F_SURNAME] = ISSUE_NAME_MAX,
	[ISSUE_F_EMAIL] = ISSUE_EMAIL_MAX,
	[ISSUE_F_CSR] = ISSUE_CSR_MAX,
	[ISSUE_F_APP_REF] = ISSUE_REF_MAX,
	[ISSUE_F_RENEWS] = ISSUE_SERIAL_MAX,
	[ISSUE_F_KEY_ON_QSCD] = 1,
};

static int all_of(const char *s, size_t len, const char *set)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\0' || strchr(set, s[i]) == NULL)
			return 0;
	return 1;
}

int issue_name_ok(const char *s, size_t len)
{
	return len >= 1 && len <= ISSUE_NAME_MAX && utf8_valid(s, len) &&
	       !utf8_has_controls(s, len, 0);
}

int issue_email_ok(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);
	if (len < 3 || len > ISSUE_EMAIL_MAX || at == NULL || at == s || at == s + len - 1 ||
	    memchr(at + 1, '@', (size_t)(s + len - at - 1)) != NULL)
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

/* The rule of one field's value (its length is within bounds). */
static int field_ok(enum issue_field f, const char *v, size_t len)
{
	static const char lower[] = "abcdefghijklmnopqrstuvwxyz0123456789-";
	static const char ref[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-";
	char t[12];
	switch (f) {
	case ISSUE_F_PROFILE: return all_of(v, len, lower);
	case ISSUE_F_TCKN:
		memcpy(t, v, 11);
		t[11] = '\0';
		return tckn_valid(t);
	case ISSUE_F_GIVEN_NAME:
	case ISSUE_F_SURNAME: return issue_name_ok(v, len);
	case ISSUE_F_EMAIL: return issue_email_ok(v, len);
	case ISSUE_F_CSR: return 1; /* the signer parses and verifies it */
	case ISSUE_F_APP_REF: return all_of(v, len, ref);
	case ISSUE_F_RENEWS: return len % 2 == 0 && all_of(v, len, "0123456789ABCDEF");
	case ISSUE_F_KEY_ON_QSCD: return len == 1 && v[0] == 1;
	default: return 0;
	}
}

/* Where field f's text goes in m (NULL for the CSR). */
static char *field_text(struct issue_msg *m, enum issue_field f)
{
	switch (f) {
	case ISSUE_F_PROFILE: return m->profile;
	case ISSUE_F_TCKN: return m->tckn;
	case ISSUE_F_GIVEN_NAME: return m->given_name;
	case ISSUE_F_SURNAME: return m->surname;
	case ISSUE_F_EMAIL: return m->email;
	case ISSUE_F_APP_REF: return m->app_ref;
	case ISSUE_F_RENEWS: return m->renews;
	default: return NULL;
	}
}

int issue_msg_parse(const unsigned char *p, size_t len, struct issue_msg *m, char *err, size_t n)
{
	unsigned seen = 0, last = 0;
	memset(m, 0, sizeof *m);
	while (len > 0) {
		if (len < 3) {
			snprintf(err, n, "request: truncated field header");
			return -1;
		}
		unsigned tag = p[0];
		size_t flen = (size_t)p[1] << 8 | p[2];
		p += 3;
		len -= 3;
		if (tag == 0 || tag >= ISSUE_F__MAX) {
			snprintf(err, n, "request: unknown field %u", tag);
			return -1;
		}
		const char *name = issue_field_names[tag];
		if (tag <= last) {
			snprintf(err, n, "request: field %s repeated or out of order", name);
			return -1;
		}
		if (flen > len) {
			snprintf(err, n, "request: field %s truncated", name);
			return -1;
		}
		if (flen < field_min[tag] || flen > field_max[tag]) {
			snprintf(err, n, "request: field %s has %zu bytes", name, flen);
			return -1;
		}
		if (!field_ok((enum issue_field)tag, (const char *)p, flen)) {
			snprintf(err, n, "request: field %s is not valid", name);
			return -1;
		}
		char *dst = field_text(m, (enum issue_field)tag);
		if (tag == ISSUE_F_KEY_ON_QSCD) {
			m->key_on_qscd = 1;
		} else if (dst != NULL) {
			memcpy(dst, p, flen);
			dst[flen] = '\0';
		} else {
			m->csr = p;
			m->csr_len = flen;
		}
		seen |= 1u << tag;
		last = tag;
		p += flen;
		len -= flen;
	}
	static const enum issue_field required[] = {
		ISSUE_F_PROFILE, ISSUE_F_TCKN, ISSUE_F_GIVEN_NAME, ISSUE_F_SURNAME, ISSUE_F_CSR};
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
		if (!(seen & (1u << required[i]))) {
			snprintf(err, n, "request: field %s missing",
				 issue_field_names[required[i]]);
			return -1;
		}
	return 0;
}

static int put_field(buf *out, enum issue_field f, const void *v, size_t len)
{
	unsigned char h[3] = {(unsigned char)f, (unsigned char)(len >> 8), (unsigned char)len};
	if (len > field_max[f] || len > UINT16_MAX)
		return -1;
	return buf_append(out, h, sizeof h) == 0 && buf_append(out, v, len) == 0 ? 0 : -1;
}

static int put_text(buf *out, enum issue_field f, const char *s, int optional)
{
	if (s[0] == '\0')
		return optional ? 0 : -1;
	return put_field(out, f, s, strlen(s));
}

int issue_msg_encode(const struct issue_msg *m, buf *out)
{
	if (m->csr == NULL || m->csr_len == 0)
		return -1;
	return put_text(out, ISSUE_F_PROFILE, m->profile, 0) ||
			       put_text(out, ISSUE_F_TCKN, m->tckn, 0) ||
			       put_text(out, ISSUE_F_GIVEN_NAME, m->given_name, 0) ||
			       put_text(out, ISSUE_F_SURNAME, m->surname, 0) ||
			       put_text(out, ISSUE_F_EMAIL, m->email, 1) ||
			       put_field(out, ISSUE_F_CSR, m->csr, m->csr_len) ||
			       put_text(out, ISSUE_F_APP_REF, m->app_ref, 1) ||
			       put_text(out, ISSUE_F_RENEWS, m->renews, 1) ||
			       (m->key_on_qscd && put_field(out, ISSUE_F_KEY_ON_QSCD, "\1", 1))
		       ? -1
		       : 0;
}
