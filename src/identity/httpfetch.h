/* One bounded HTTP(S) request with libcurl, for the OpenID Connect relying
 * party (oidc.c) and `eimza card set-pin` (app/cardpin_cli.c). HTTPS with
 * the system's CA store and host name checks; plain http only when the
 * caller allows it AND the URL's host is a loopback address (tests). No
 * redirects are followed. */
#ifndef EIMZA_IDENTITY_HTTPFETCH_H
#define EIMZA_IDENTITY_HTTPFETCH_H

#include <stddef.h>

#include "util/buf.h"

struct httpfetch {
	const char *url;
	const char *form;	 /* POST body (application/x-www-form-urlencoded); NULL: GET */
	const char *user, *pass; /* HTTP Basic credentials (client_secret_basic); may be NULL */
	int allow_loopback_http; /* http://127.0.0.1, http://[::1], http://localhost only */
	long timeout;		 /* seconds; 0: 15 */
};

/* True when url is https://..., or http:// to a loopback host and allowed. */
int httpfetch_url_ok(const char *url, int allow_loopback_http);
/* Performs the request; the body goes to out (reset first; its ceiling
 * bounds the answer) and the HTTP status to *status. 0, or -1 with err. */
int httpfetch_do(const struct httpfetch *f, buf *out, long *status, char *err, size_t n);
/* The percent-encoding of s for a URL query or form (RFC 3986 unreserved
 * kept) appended to b. 0 or -1 (ceiling). */
int httpfetch_append_encoded(buf *b, const char *s);

#endif
