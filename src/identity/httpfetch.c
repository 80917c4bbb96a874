/* Bounded HTTP(S) requests (httpfetch.h). */
#include "identity/httpfetch.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

static void fetch_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

int httpfetch_url_ok(const char *url, int allow_loopback_http)
{
	static const char *const loop[] = {"http://127.0.0.1:", "http://127.0.0.1/",
					   "http://[::1]:",	"http://[::1]/",
					   "http://localhost:", "http://localhost/"};
	if (url == NULL)
		return 0;
	if (strncasecmp(url, "https://", 8) == 0 && url[8] != '\0')
		return 1;
	if (!allow_loopback_http)
		return 0;
	for (size_t i = 0; i < sizeof loop / sizeof loop[0]; i++)
		if (strncasecmp(url, loop[i], strlen(loop[i])) == 0)
			return 1;
	return 0;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	buf *b = ud;
	size_t n = size * nmemb;
	return buf_append(b, p, n) == 0 ? n : 0; /* 0 aborts: the ceiling was hit */
}

int httpfetch_do(const struct httpfetch *f, buf *out, long *status, char *err, size_t n)
{
	char cerr[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdr = NULL;
	int rc = -1;
	if (!httpfetch_url_ok(f->url, f->allow_loopback_http)) {
		snprintf(err, n, "refusing URL %s (https only)", f->url ? f->url : "(none)");
		return -1;
	}
	pthread_once(&fetch_once, fetch_init_once);
	buf_reset(out);
	CURL *c = curl_easy_init();
	hdr = curl_slist_append(NULL, "Accept: application/json");
	if (c == NULL || hdr == NULL) {
		snprintf(err, n, "out of memory");
		goto out;
	}
	long timeout = f->timeout > 0 ? f->timeout : 15;
	int bad = 0;
	bad |= curl_easy_setopt(c, CURLOPT_URL, f->url) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR,
				f->allow_loopback_http ? "http,https" : "https") != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_WRITEDATA, out) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_USERAGENT, "eimza") != CURLE_OK;
	if (f->form != NULL) {
		bad |= curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
					(curl_off_t)strlen(f->form)) != CURLE_OK;
		bad |= curl_easy_setopt(c, CURLOPT_POSTFIELDS, f->form) != CURLE_OK;
	}
	if (f->user != NULL) {
		bad |= curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC) != CURLE_OK;
		bad |= curl_easy_setopt(c, CURLOPT_USERNAME, f->user) != CURLE_OK;
		bad |= curl_easy_setopt(c, CURLOPT_PASSWORD, f->pass ? f->pass : "") != CURLE_OK;
	}
	if (bad) {
		snprintf(err, n, "curl setup failed");
		goto out;
	}
	CURLcode cr = curl_easy_perform(c);
	if (cr != CURLE_OK) {
		snprintf(err, n, "%s", cerr[0] ? cerr : curl_easy_strerror(cr));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	if (buf_putc(out, '\0') != 0) {
		snprintf(err, n, "answer too long");
		goto out;
	}
	out->len--; /* NUL-terminated, not counted */
	rc = 0;
out:
	curl_slist_free_all(hdr);
	if (c != NULL)
		curl_easy_cleanup(c);
	return rc;
}

int httpfetch_append_encoded(buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int keep = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			   (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' ||
			   *p == '~';
		char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
		if (keep ? buf_putc(b, (char)*p) != 0 : buf_append(b, e, 3) != 0)
			return -1;
	}
	return 0;
}
