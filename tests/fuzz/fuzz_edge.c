/* libFuzzer target: the client address behind trusted proxies
 * (src/http/edge.c). The input is "TRUSTED\nPEER\nHEADER" with the first
 * byte choosing X-Forwarded-For or Forwarded. Checks: the answer is never
 * NULL; it is the peer whenever the peer is not trusted; otherwise it is
 * the peer or a well-formed address that appears in canonical form (it
 * normalises to itself). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/edge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 8192

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > MAX_INPUT)
		return 0;
	enum edge_header kind = (data[0] & 1) ? EDGE_FORWARDED : EDGE_XFF;
	char *s = malloc(size);
	if (s == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	char *peer = strchr(s, '\n');
	char *header = NULL;
	if (peer != NULL) {
		*peer++ = '\0';
		header = strchr(peer, '\n');
		if (header != NULL)
			*header++ = '\0';
	} else {
		peer = "10.0.0.1";
	}
	struct edge_nets trusted;
	char bad[64];
	if (edge_nets_parse(s, &trusted, bad, sizeof bad) != 0)
		trusted.n = 0;
	arena *a = arena_new(1 << 20);
	if (a == NULL) {
		free(s);
		return 0;
	}
	const char *ip = edge_client_address(a, peer, header, kind, &trusted);
	if (ip == NULL)
		abort();
	if (!edge_nets_match(&trusted, peer)) {
		if (strncmp(ip, peer, 45) != 0)
			abort();
	} else if (strcmp(ip, peer) != 0) {
		char canon[64];
		if (edge_addr_normalize(ip, strlen(ip), canon, sizeof canon) != 0 ||
		    strcmp(canon, ip) != 0)
			abort();
	}
	arena_free(a);
	free(s);
	return 0;
}
