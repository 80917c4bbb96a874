/* The ISSUE_CERT request (docs/protocol.md): what the web process may tell
 * the signer about a certificate to issue, as typed, bounded fields. The
 * signer builds everything else (serial, validity, names, extensions).
 *
 * Wire form: a sequence of fields, each
 *
 *     u8 tag   u16 length (network byte order)   length bytes
 *
 * in strictly increasing tag order, each at most once, nothing after the
 * last. Tags, bounds and rules:
 *
 *     1 PROFILE     1..32  [a-z0-9-], required
 *     2 TCKN        11     a valid T.C. Kimlik No, required
 *     3 GIVEN_NAME  1..128 UTF-8, no control characters, required
 *     4 SURNAME     1..128 UTF-8, no control characters, required
 *     5 EMAIL       3..254 local@domain, printable ASCII, optional
 *     6 CSR         1..65535 PKCS#10 DER, required
 *     7 APP_REF     1..32  [0-9A-Za-z-], optional
 *     8 RENEWS      2..40  upper-case hex, even length, optional
 *     9 KEY_ON_QSCD 1      the byte 0x01, optional: the key was generated
 *                          on a card the CA produced (honoured only for a
 *                          card profile, see profile.h)
 *
 * An empty value, an unknown tag, a field out of order or repeated, a
 * value over its bound, a truncated field or trailing bytes: refused. */
#ifndef EIMZA_PKI_ISSUE_MSG_H
#define EIMZA_PKI_ISSUE_MSG_H

#include <stddef.h>

#include "util/buf.h"

enum issue_field {
	ISSUE_F_PROFILE = 1,
	ISSUE_F_TCKN = 2,
	ISSUE_F_GIVEN_NAME = 3,
	ISSUE_F_SURNAME = 4,
	ISSUE_F_EMAIL = 5,
	ISSUE_F_CSR = 6,
	ISSUE_F_APP_REF = 7,
	ISSUE_F_RENEWS = 8,
	ISSUE_F_KEY_ON_QSCD = 9,
	ISSUE_F__MAX
};
extern const char *const issue_field_names[ISSUE_F__MAX];

#define ISSUE_PROFILE_MAX 32
#define ISSUE_NAME_MAX 128
#define ISSUE_EMAIL_MAX 254
#define ISSUE_CSR_MAX 65535
#define ISSUE_REF_MAX 32
#define ISSUE_SERIAL_MAX 40 /* 160 bits */
/* The largest well-formed message (every field at its bound). */
#define ISSUE_MSG_MAX \
	(3 * (ISSUE_F__MAX - 1) + ISSUE_PROFILE_MAX + 11 + 2 * ISSUE_NAME_MAX + ISSUE_EMAIL_MAX + \
	 ISSUE_CSR_MAX + ISSUE_REF_MAX + ISSUE_SERIAL_MAX + 1)

struct issue_msg {
	char profile[ISSUE_PROFILE_MAX + 1];
	char tckn[12];
	char given_name[ISSUE_NAME_MAX + 1];
	char surname[ISSUE_NAME_MAX + 1];
	char email[ISSUE_EMAIL_MAX + 1]; /* "" when absent */
	const unsigned char *csr;	 /* DER; into the parsed bytes */
	size_t csr_len;
	char app_ref[ISSUE_REF_MAX + 1];   /* "" when absent */
	char renews[ISSUE_SERIAL_MAX + 1]; /* "" when absent: a new certificate */
	int key_on_qscd;		   /* 1 when KEY_ON_QSCD is present */
};

/* Appends m's wire form to out (the optional fields only when set). 0, or
 * -1 when a field is missing, over its bound or out is full. It does not
 * check the rules: the signer does (issue_msg_parse). */
int issue_msg_encode(const struct issue_msg *m, buf *out);

/* Parses and checks p[0..len) into m (m->csr points into p). 0, or -1 with
 * the reason (English, for the log and the refusal) in err. */
int issue_msg_parse(const unsigned char *p, size_t len, struct issue_msg *m, char *err, size_t n);

/* 1 when s is a holder's name the signer writes into a certificate:
 * 1..ISSUE_NAME_MAX bytes of UTF-8 without control characters. */
int issue_name_ok(const char *s, size_t len);
/* 1 for an e-mail address the signer writes as an rfc822Name. */
int issue_email_ok(const char *s, size_t len);

#endif
