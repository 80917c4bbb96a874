/* SMS driver: an HTTP GET to a gateway URL template compatible with Kannel's
 * sendsms (config sms.url), e.g.
 *   http://127.0.0.1:13013/cgi-bin/sendsms?username=u&password=p&to=%P&text=%a
 *     &charset=UTF-8&coding=2
 * A 2xx answer means the gateway accepted the message (Kannel: 202
 * "0: Accepted for delivery"); anything else is a failure to retry, with the
 * first line of the answer as the reason. `%I` in the template is the
 * message's idempotency key (notify/idem.h), the same for every attempt. */
#include "notify/sms.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "notify/idem.h"
#include "notify/notify.h"
#include "util/config.h"

#define SMS_URL_MAX 8192
#define SMS_REPLY_MAX 4096

static int url_encode(buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL) {
			buf_putc(out, (char)*p);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			buf_append(out, e, 3);
		}
	}
	return out->err ? -1 : 0;
}

int sms_build_url(buf *out, const char *tmpl, const char *number, const char *text, const char *key)
{
	for (const char *p = tmpl; *p; p++) {
		if (p[0] == '%' && p[1] == 'P') {
			url_encode(out, number);
			p++;
		} else if (p[0] == '%' && p[1] == 'a') {
			url_encode(out, text);
			p++;
		} else if (p[0] == '%' && p[1] == 'I') {
			url_encode(out, key ? key : "");
			p++;
		} else if (p[0] == '%' && p[1] == '%') {
			buf_putc(out, '%');
			p++;
		} else {
			buf_putc(out, *p);
		}
	}
	return out->err ? -1 : 0;
}

static size_t write_cb(char *data, size_t size, size_t nmemb, void *userp)
{
	buf *b = userp;
	size_t n = size * nmemb;
	size_t room = b->len < SMS_REPLY_MAX ? SMS_REPLY_MAX - b->len : 0;
	buf_append(b, data, n < room ? n : room); /* the rest is dropped */
	return n;
}

/* The first line of the reply, printable characters only, at most 200 bytes. */
static void first_line(const buf *reply, char *out, size_t outlen)
{
	size_t k = 0;
	for (size_t i = 0; i < reply->len && k + 1 < outlen && k < 200; i++) {
		unsigned char ch = (unsigned char)reply->data[i];
		if (ch == '\n' || ch == '\r')
			break;
		out[k++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	out[k] = '\0';
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static enum notify_result sms_send(const struct notify_msg *m, char *err, size_t errlen)
{
	enum notify_result res = NOTIFY_TEMPFAIL;
	CURL *c = NULL;
	buf url, reply;
	char number[14], line[256], key[NOTIFY_IDEM_KEY_LEN + 1];
	char cerr[CURL_ERROR_SIZE] = "";
	const char *tmpl = config_get("sms.url");

	buf_init(&url, SMS_URL_MAX);
	buf_init(&reply, SMS_REPLY_MAX + 1);
	if (tmpl[0] == '\0') {
		snprintf(err, errlen, "SMS ağ geçidi yapılandırılmamış (sms.url)");
		res = NOTIFY_PERMFAIL;
		goto out;
	}
	notify_idempotency_key(m->id, key);
	if (notify_sms_number(m->to, number) != 0 ||
	    sms_build_url(&url, tmpl, number, m->body, key) != 0) {
		snprintf(err, errlen, "geçersiz SMS iletisi (numara veya metin)");
		res = NOTIFY_PERMFAIL;
		goto out;
	}
	pthread_once(&curl_once, curl_init_once);
	c = curl_easy_init();
	if (c == NULL) {
		snprintf(err, errlen, "curl başlatılamadı");
		goto out;
	}
	curl_easy_setopt(c, CURLOPT_URL, url.data);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	CURLcode cc = curl_easy_perform(c);
	if (cc != CURLE_OK) {
		snprintf(err, errlen, "SMS ağ geçidine ulaşılamadı: %s",
			 cerr[0] ? cerr : curl_easy_strerror(cc));
		goto out;
	}
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (code >= 200 && code < 300) {
		res = NOTIFY_SENT;
		goto out;
	}
	first_line(&reply, line, sizeof line);
	snprintf(err, errlen, "SMS ağ geçidi HTTP %ld: %s", code, line);
out:
	if (c != NULL)
		curl_easy_cleanup(c);
	/* The URL carries the text (maybe an SMS code) and the gateway password. */
	if (url.data != NULL)
		sodium_memzero(url.data, url.cap);
	buf_free(&url);
	buf_free(&reply);
	return res;
}

const struct notify_driver notify_sms_driver = {
	.name = "sms",
	.send = sms_send,
};
