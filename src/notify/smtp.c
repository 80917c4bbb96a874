/* SMTP driver: libcurl, STARTTLS and AUTH per configuration (smtp.*).
 *
 * The message is plain UTF-8 text, base64 transfer-encoded so that no line
 * length, 8BITMIME or dot-stuffing question ever arises. Header injection is
 * impossible: any CR or LF in From, To or Subject fails the message. */
#include "notify/smtp.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "notify/idem.h"
#include "util/config.h"
#include "util/log.h"
#include "util/utf8.h"

#define SMTP_MSG_MAX (256 * 1024)
#define SMTP_WORD_RAW 45 /* 45 bytes -> 60 base64 chars -> 72-char encoded-word */

static int has_crlf(const char *s)
{
	return strpbrk(s, "\r\n") != NULL;
}

static int append_b64(buf *out, const unsigned char *p, size_t n)
{
	char tmp[sodium_base64_ENCODED_LEN(SMTP_WORD_RAW, sodium_base64_VARIANT_ORIGINAL)];
	if (n > SMTP_WORD_RAW)
		return -1;
	sodium_bin2base64(tmp, sizeof tmp, p, n, sodium_base64_VARIANT_ORIGINAL);
	return buf_puts(out, tmp);
}

/* Length of the longest prefix of s[0..n) that is at most max bytes and ends
 * on a UTF-8 character boundary. */
static size_t utf8_cut(const unsigned char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	size_t k = max;
	while (k > 0 && (s[k] & 0xC0) == 0x80)
		k--;
	return k > 0 ? k : max;
}

/* RFC 2047 B-encoded words, folded with CRLF SP between them. */
static int encode_words(buf *out, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t n = strlen(text);
	int first = 1;
	if (n == 0)
		return 0;
	while (n > 0) {
		size_t k = utf8_cut(p, n, SMTP_WORD_RAW);
		if (!first)
			buf_puts(out, "\r\n ");
		buf_puts(out, "=?UTF-8?B?");
		append_b64(out, p, k);
		buf_puts(out, "?=");
		p += k;
		n -= k;
		first = 0;
	}
	return out->err ? -1 : 0;
}

static int plain_ascii(const char *s, const char *extra_forbidden)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p >= 0x7f)
			return 0;
		if (extra_forbidden && strchr(extra_forbidden, *p))
			return 0;
	}
	/* "=?" would be read as the start of an encoded-word. */
	return strstr(s, "=?") == NULL;
}

int smtp_encode_header(buf *out, const char *text)
{
	if (text == NULL || has_crlf(text) || !utf8_valid(text, strlen(text)))
		return -1;
	if (plain_ascii(text, NULL) && strlen(text) <= 900)
		return buf_puts(out, text);
	return encode_words(out, text);
}

int smtp_from_address(const char *from, char *out, size_t outlen)
{
	const char *lt = strchr(from, '<');
	const char *a = from;
	size_t n = strlen(from);
	if (lt != NULL) {
		const char *gt = strchr(lt, '>');
		if (gt == NULL || gt[1] != '\0')
			return -1;
		a = lt + 1;
		n = (size_t)(gt - a);
	}
	if (n + 1 > outlen)
		return -1;
	memcpy(out, a, n);
	out[n] = '\0';
	return notify_email_valid(out) ? 0 : -1;
}

/* "Name <addr>" or "addr" as a From header value. */
static int append_from(buf *out, const char *from)
{
	char addr[256];
	if (has_crlf(from) || smtp_from_address(from, addr, sizeof addr) != 0)
		return -1;
	const char *lt = strchr(from, '<');
	if (lt == NULL)
		return buf_puts(out, addr);
	char name[256];
	size_t nlen = (size_t)(lt - from);
	while (nlen > 0 && from[nlen - 1] == ' ')
		nlen--;
	if (nlen >= sizeof name)
		return -1;
	memcpy(name, from, nlen);
	name[nlen] = '\0';
	if (nlen > 0) {
		if (!utf8_valid(name, nlen))
			return -1;
		/* Phrase specials would need quoting: encode instead. */
		if (plain_ascii(name, "()<>[]:;@\\,.\""))
			buf_puts(out, name);
		else
			encode_words(out, name);
		buf_putc(out, ' ');
	}
	return buf_printf(out, "<%s>", addr);
}

/* RFC 5322 date in UTC, independent of the locale. */
static void append_date(buf *out, int64_t now)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	buf_printf(out, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7], tm.tm_mday,
		   months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The same for every attempt at one message (notify/idem.h), so that a
 * repeat after a crash can be recognised downstream. */
static void append_message_id(buf *out, const struct notify_msg *m, const char *from_addr)
{
	char key[NOTIFY_IDEM_KEY_LEN + 1];
	notify_idempotency_key(m->id, key);
	const char *domain = strchr(from_addr, '@');
	buf_printf(out, "<%lld.%s@%s>", (long long)m->id, key, domain ? domain + 1 : "localhost");
}

/* The body with LF made CRLF, base64 in 76-character lines. */
static int append_body(buf *out, const char *body)
{
	buf crlf;
	int rc = -1;
	buf_init(&crlf, SMTP_MSG_MAX);
	for (const char *p = body; *p; p++) {
		if (*p == '\n' && (p == body || p[-1] != '\r'))
			buf_putc(&crlf, '\r');
		buf_putc(&crlf, *p);
	}
	if (crlf.err)
		goto out;
	for (size_t i = 0; i < crlf.len; i += 57) {
		size_t k = crlf.len - i < 57 ? crlf.len - i : 57;
		char line[sodium_base64_ENCODED_LEN(57, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(line, sizeof line, (const unsigned char *)crlf.data + i, k,
				  sodium_base64_VARIANT_ORIGINAL);
		buf_puts(out, line);
		buf_puts(out, "\r\n");
	}
	rc = out->err ? -1 : 0;
out:
	buf_free(&crlf);
	return rc;
}

int smtp_format_message(buf *out, const struct notify_msg *m, const char *from, int64_t now)
{
	char from_addr[256];
	const char *subject = m->subject ? m->subject : "";
	if (from == NULL || m->to == NULL || m->body == NULL || has_crlf(subject) ||
	    !notify_email_valid(m->to) || smtp_from_address(from, from_addr, sizeof from_addr))
		return -1;
	if (sodium_init() < 0)
		return -1;
	buf_puts(out, "Date: ");
	append_date(out, now);
	buf_puts(out, "\r\nFrom: ");
	if (append_from(out, from) != 0)
		return -1;
	buf_printf(out, "\r\nTo: <%s>\r\nSubject: ", m->to);
	if (smtp_encode_header(out, subject) != 0)
		return -1;
	buf_puts(out, "\r\nMessage-ID: ");
	append_message_id(out, m, from_addr);
	buf_puts(out, "\r\nMIME-Version: 1.0\r\n"
		      "Content-Type: text/plain; charset=UTF-8\r\n"
		      "Content-Transfer-Encoding: base64\r\n"
		      "Auto-Submitted: auto-generated\r\n\r\n");
	if (append_body(out, m->body) != 0)
		return -1;
	return out->err ? -1 : 0;
}

/* ---- transport ---- */

struct upload {
	const char *data;
	size_t len, pos;
};

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *userp)
{
	struct upload *u = userp;
	size_t room = size * nmemb, left = u->len - u->pos;
	size_t n = left < room ? left : room;
	memcpy(dst, u->data + u->pos, n);
	u->pos += n;
	return n;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static enum notify_result smtp_send(const struct notify_msg *m, char *err, size_t errlen)
{
	enum notify_result res = NOTIFY_TEMPFAIL;
	CURL *c = NULL;
	struct curl_slist *rcpt = NULL;
	buf msg;
	char from_addr[256], mail_from[260], rcpt_to[260];
	char cerr[CURL_ERROR_SIZE] = "";
	const char *url = config_get("smtp.url"), *from = config_get("smtp.from");
	const char *user = config_get("smtp.user");
	int starttls = config_get_int("smtp.starttls") != 0;

	buf_init(&msg, SMTP_MSG_MAX);
	if (url[0] == '\0') {
		snprintf(err, errlen, "SMTP sunucusu yapılandırılmamış (smtp.url)");
		res = NOTIFY_PERMFAIL;
		goto out;
	}
	if (smtp_format_message(&msg, m, from, time(NULL)) != 0 ||
	    smtp_from_address(from, from_addr, sizeof from_addr) != 0) {
		snprintf(err, errlen, "geçersiz e-posta iletisi (adres, konu veya gönderen)");
		res = NOTIFY_PERMFAIL;
		goto out;
	}
	snprintf(mail_from, sizeof mail_from, "<%s>", from_addr);
	snprintf(rcpt_to, sizeof rcpt_to, "<%s>", m->to);
	pthread_once(&curl_once, curl_init_once);
	c = curl_easy_init();
	rcpt = curl_slist_append(NULL, rcpt_to);
	if (c == NULL || rcpt == NULL) {
		snprintf(err, errlen, "curl başlatılamadı");
		goto out;
	}
	struct upload up = {.data = msg.data, .len = msg.len, .pos = 0};
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)(starttls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	if (user[0] != '\0') {
		if (!starttls && strncmp(url, "smtps://", 8) != 0)
			log_warn("smtp: authenticating without TLS (smtp.starttls = 0)");
		curl_easy_setopt(c, CURLOPT_USERNAME, user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, config_get("smtp.password"));
	}
	CURLcode cc = curl_easy_perform(c);
	if (cc == CURLE_OK) {
		res = NOTIFY_SENT;
		goto out;
	}
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	snprintf(err, errlen, "SMTP hatası: %s (yanıt %ld)",
		 cerr[0] ? cerr : curl_easy_strerror(cc), code);
	/* 5xx: the server refused for good (unknown mailbox, policy), except an
	 * authentication failure, which a configuration fix cures. */
	res = code >= 500 && code < 600 && code != 530 && code != 534 && code != 535 && code != 538
		      ? NOTIFY_PERMFAIL
		      : NOTIFY_TEMPFAIL;
out:
	curl_slist_free_all(rcpt);
	if (c != NULL)
		curl_easy_cleanup(c);
	if (msg.data != NULL)
		sodium_memzero(msg.data, msg.cap);
	buf_free(&msg);
	return res;
}

const struct notify_driver notify_smtp_driver = {
	.name = "smtp",
	.send = smtp_send,
};
