/* The server's edge: who the client is behind a reverse proxy, who may read
 * /metrics, and whether the public face is HTTPS (Secure cookies, HSTS,
 * the __Host- cookie name). The parsing functions are pure and unit-tested
 * (tests/unit/http/test_edge.c); http_edge_init() reads the config once at
 * start-up. */
#ifndef EIMZA_HTTP_EDGE_H
#define EIMZA_HTTP_EDGE_H

#include <stddef.h>

#include "util/arena.h"

#define EDGE_MAX_NETS 32

/* One network: an address and a prefix length ("10.0.0.0/8", "::1"). IPv4
 * is kept as an IPv4-mapped IPv6 address, so one comparison serves both. */
struct edge_net {
	unsigned char addr[16];
	int bits; /* 0..128 on the mapped form */
};

struct edge_nets {
	struct edge_net net[EDGE_MAX_NETS];
	size_t n;
};

/* Parses a comma- or space-separated list of addresses and CIDR networks.
 * 0, or -1 on a malformed entry or more than EDGE_MAX_NETS entries (the
 * entry is copied into bad, when given). */
int edge_nets_parse(const char *list, struct edge_nets *out, char *bad, size_t badlen);
/* 1 when the textual address ip lies in one of the networks. */
int edge_nets_match(const struct edge_nets *nets, const char *ip);
/* The canonical text of an address ("::ffff:1.2.3.4" becomes "1.2.3.4";
 * "[::1]:443" and "1.2.3.4:80" lose their port) into out; -1 when s is
 * not an address. */
int edge_addr_normalize(const char *s, size_t n, char *out, size_t outlen);

enum edge_header { EDGE_XFF, EDGE_FORWARDED };

/* The client address of a request: `peer` (the socket's) unless peer is a
 * trusted proxy; then the rightmost hop of the forwarding header that is
 * not itself trusted (RFC 7239 `for=` parameters, or X-Forwarded-For's
 * list). A malformed hop stops the walk: the last good hop is the answer.
 * Arena copy; never NULL when a is not exhausted. */
const char *edge_client_address(arena *a, const char *peer, const char *header,
				enum edge_header kind, const struct edge_nets *trusted);

/* 1 when base_url starts with "https://" (case-insensitive). */
int edge_url_is_https(const char *base_url);

/* ---- the running server's edge (config read by http_edge_init) ---- */

/* Reads server.trusted_proxies, server.proxy_header, server.metrics_allow,
 * server.metrics_token_file and server.base_url. 0, or -1 with the reason
 * logged. */
int http_edge_init(void);
const struct edge_nets *http_trusted_proxies(void);
enum edge_header http_proxy_header(void);
/* 1 when the public base URL is https: Secure cookies, HSTS, __Host-. */
int http_public_https(void);
/* "__Host-sid" when the public URL is https, otherwise "sid". */
const char *http_session_cookie_name(void);
/* 1 when a client at `ip` holding Authorization header value `auth` (may
 * be NULL) may read /metrics. */
int http_metrics_allowed(const char *ip, const char *auth);

#endif
