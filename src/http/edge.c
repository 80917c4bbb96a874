/* The server's edge: client address behind trusted proxies, /metrics
 * access, the public scheme. See edge.h. */
#include "http/edge.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/config.h"
#include "util/log.h"

#define MAX_HOPS 64
#define TOKEN_MIN 16
#define TOKEN_MAX 512

/* ---- addresses and networks ---- */

/* Parses a bare address (no brackets, no port) into the mapped 16-byte form. */
static int parse_ip(const char *s, unsigned char out[16])
{
	struct in_addr v4;
	if (inet_pton(AF_INET, s, &v4) == 1) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &v4, 4);
		return 4;
	}
	struct in6_addr v6;
	if (inet_pton(AF_INET6, s, &v6) == 1) {
		memcpy(out, &v6, 16);
		return 6;
	}
	return 0;
}

static int is_mapped(const unsigned char a[16])
{
	static const unsigned char prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	return memcmp(a, prefix, sizeof prefix) == 0;
}

int edge_addr_normalize(const char *s, size_t n, char *out, size_t outlen)
{
	char tmp[INET6_ADDRSTRLEN + 8];
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof tmp)
		return -1;
	if (s[0] == '[') { /* "[v6]" or "[v6]:port" */
		const char *e = memchr(s, ']', n);
		if (e == NULL || (e + 1 != s + n && e[1] != ':'))
			return -1;
		n = (size_t)(e - s - 1);
		s++;
	} else {
		const char *c = memchr(s, ':', n);
		/* One colon: "a.b.c.d:port". More: a bare IPv6 address. */
		if (c != NULL && memchr(c + 1, ':', n - (size_t)(c - s) - 1) == NULL)
			n = (size_t)(c - s);
	}
	if (n == 0 || n >= sizeof tmp)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	unsigned char a[16];
	if (parse_ip(tmp, a) == 0)
		return -1;
	const char *r = is_mapped(a) ? inet_ntop(AF_INET, a + 12, out, (socklen_t)outlen)
				     : inet_ntop(AF_INET6, a, out, (socklen_t)outlen);
	return r == NULL ? -1 : 0;
}

static int parse_net(const char *s, struct edge_net *net)
{
	char ip[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (n == 0 || n >= sizeof ip)
		return -1;
	memcpy(ip, s, n);
	ip[n] = '\0';
	int fam = parse_ip(ip, net->addr);
	if (fam == 0)
		return -1;
	int max = fam == 4 ? 32 : 128, bits = max;
	if (slash != NULL) {
		char *end;
		long b = strtol(slash + 1, &end, 10);
		if (slash[1] == '\0' || *end != '\0' || b < 0 || b > max)
			return -1;
		bits = (int)b;
	}
	net->bits = fam == 4 ? bits + 96 : bits;
	return 0;
}

int edge_nets_parse(const char *list, struct edge_nets *out, char *bad, size_t badlen)
{
	char item[128];
	out->n = 0;
	if (bad != NULL && badlen > 0)
		bad[0] = '\0';
	const char *p = list ? list : "";
	while (*p != '\0') {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		size_t n = strcspn(p, ", \t");
		int ok = n < sizeof item;
		if (ok) {
			memcpy(item, p, n);
			item[n] = '\0';
			ok = out->n < EDGE_MAX_NETS && parse_net(item, &out->net[out->n]) == 0;
		}
		if (!ok) {
			if (bad != NULL && badlen > 0)
				snprintf(bad, badlen, "%.*s", (int)(n < 100 ? n : 100), p);
			return -1;
		}
		out->n++;
		p += n;
	}
	return 0;
}

static int net_contains(const struct edge_net *net, const unsigned char a[16])
{
	int full = net->bits / 8, rest = net->bits % 8;
	if (memcmp(net->addr, a, (size_t)full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (net->addr[full] & mask) == (a[full] & mask);
}

int edge_nets_match(const struct edge_nets *nets, const char *ip)
{
	unsigned char a[16];
	if (ip == NULL || parse_ip(ip, a) == 0)
		return 0;
	for (size_t i = 0; i < nets->n; i++)
		if (net_contains(&nets->net[i], a))
			return 1;
	return 0;
}

/* ---- forwarding headers ---- */

struct span {
	const char *p;
	size_t n;
};

/* X-Forwarded-For: "client, proxy1, proxy2". */
static size_t split_xff(const char *h, struct span *hops, size_t max)
{
	size_t k = 0;
	const char *p = h;
	for (;;) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		if (k == max) { /* keep the rightmost ones */
			memmove(hops, hops + 1, (max - 1) * sizeof *hops);
			k--;
		}
		hops[k].p = p;
		hops[k].n = n;
		k++;
		if (c == NULL)
			break;
		p = c + 1;
	}
	return k;
}

/* Forwarded: "for=a;proto=https, for=\"[v6]:1\";by=x": each element's for=
 * value; an element without one is an unknown hop (n == 0). */
static size_t split_forwarded(const char *h, struct span *hops, size_t max)
{
	size_t k = 0;
	const char *p = h;
	for (;;) {
		const char *c = strchr(p, ','); /* quoted values hold no ',' in for= */
		size_t n = c ? (size_t)(c - p) : strlen(p);
		struct span v = {p, 0};
		const char *q = p, *end = p + n;
		while (q < end) {
			while (q < end && (*q == ' ' || *q == '\t' || *q == ';'))
				q++;
			const char *semi = memchr(q, ';', (size_t)(end - q));
			const char *pe = semi ? semi : end;
			if (pe - q > 4 && strncasecmp(q, "for=", 4) == 0) {
				v.p = q + 4;
				v.n = (size_t)(pe - q - 4);
			}
			q = pe;
		}
		if (k == max) {
			memmove(hops, hops + 1, (max - 1) * sizeof *hops);
			k--;
		}
		hops[k++] = v;
		if (c == NULL)
			break;
		p = c + 1;
	}
	return k;
}

const char *edge_client_address(arena *a, const char *peer, const char *header,
				enum edge_header kind, const struct edge_nets *trusted)
{
	char cur[INET6_ADDRSTRLEN], hop[INET6_ADDRSTRLEN];
	struct span hops[MAX_HOPS];
	snprintf(cur, sizeof cur, "%s", peer ? peer : "");
	if (header == NULL || trusted == NULL || !edge_nets_match(trusted, cur))
		return arena_strdup(a, cur);
	size_t n = kind == EDGE_FORWARDED ? split_forwarded(header, hops, MAX_HOPS)
					  : split_xff(header, hops, MAX_HOPS);
	for (size_t i = n; i-- > 0;) {
		if (edge_addr_normalize(hops[i].p, hops[i].n, hop, sizeof hop) != 0)
			break;
		memcpy(cur, hop, sizeof cur);
		if (!edge_nets_match(trusted, cur))
			break;
	}
	return arena_strdup(a, cur);
}

int edge_url_is_https(const char *base_url)
{
	return base_url != NULL && strncasecmp(base_url, "https://", 8) == 0;
}

/* ---- the running server ---- */

static struct edge_nets trusted, metrics_allow;
static enum edge_header proxy_header = EDGE_XFF;
static int public_https;
static unsigned char token_hash[32];
static int have_token;

static int read_token(const char *path)
{
	char buf[TOKEN_MAX + 2];
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		log_error("server.metrics_token_file %s okunamadı", path);
		return -1;
	}
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	int ok = n >= TOKEN_MIN && n <= TOKEN_MAX && strcspn(buf, " \t\r\n") == n;
	if (ok)
		crypto_generichash(token_hash, sizeof token_hash, (unsigned char *)buf, n, NULL, 0);
	sodium_memzero(buf, sizeof buf);
	if (!ok) {
		log_error("server.metrics_token_file %s: belirteç %d-%d karakter olmalı, boşluk "
			  "içermemeli",
			  path, TOKEN_MIN, TOKEN_MAX);
		return -1;
	}
	have_token = 1;
	return 0;
}

int http_edge_init(void)
{
	char bad[128];
	if (edge_nets_parse(config_get("server.trusted_proxies"), &trusted, bad, sizeof bad) != 0) {
		log_error("server.trusted_proxies: '%s' bir adres ya da ağ (CIDR) değil", bad);
		return -1;
	}
	if (edge_nets_parse(config_get("server.metrics_allow"), &metrics_allow, bad, sizeof bad) !=
	    0) {
		log_error("server.metrics_allow: '%s' bir adres ya da ağ (CIDR) değil", bad);
		return -1;
	}
	const char *h = config_get("server.proxy_header");
	if (strcasecmp(h, "x-forwarded-for") == 0) {
		proxy_header = EDGE_XFF;
	} else if (strcasecmp(h, "forwarded") == 0) {
		proxy_header = EDGE_FORWARDED;
	} else {
		log_error("server.proxy_header: '%s' (x-forwarded-for ya da forwarded olmalı)", h);
		return -1;
	}
	have_token = 0;
	const char *tf = config_get("server.metrics_token_file");
	if (tf[0] != '\0' && read_token(tf) != 0)
		return -1;
	public_https = edge_url_is_https(config_get("server.base_url"));
	return 0;
}

const struct edge_nets *http_trusted_proxies(void)
{
	return &trusted;
}

enum edge_header http_proxy_header(void)
{
	return proxy_header;
}

int http_public_https(void)
{
	return public_https;
}

const char *http_session_cookie_name(void)
{
	return public_https ? "__Host-sid" : "sid";
}

int http_metrics_allowed(const char *ip, const char *auth)
{
	if (edge_nets_match(&metrics_allow, ip))
		return 1;
	if (!have_token || auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0)
		return 0;
	const char *t = auth + 7;
	while (*t == ' ')
		t++;
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)t, strlen(t), NULL, 0);
	return sodium_memcmp(h, token_hash, sizeof h) == 0;
}
