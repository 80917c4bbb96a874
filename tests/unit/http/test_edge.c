/* The server's edge (src/http/edge.c): networks, address normalisation and
 * the client address behind trusted proxies, table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/deadline.h"
#include "http/edge.h"

static void test_nets_parse_and_match(void **state)
{
	(void)state;
	static const struct {
		const char *list, *ip;
		int parses, match;
	} cases[] = {
		{"", "127.0.0.1", 1, 0},
		{"127.0.0.1", "127.0.0.1", 1, 1},
		{"127.0.0.1", "127.0.0.2", 1, 0},
		{"127.0.0.0/8", "127.200.1.1", 1, 1},
		{"10.0.0.0/8, 192.168.1.0/24", "192.168.1.77", 1, 1},
		{"10.0.0.0/8 192.168.1.0/24", "192.168.2.77", 1, 0},
		{"172.16.0.0/12", "172.31.255.255", 1, 1},
		{"172.16.0.0/12", "172.32.0.1", 1, 0},
		{"::1", "::1", 1, 1},
		{"2001:db8::/32", "2001:db8:1::5", 1, 1},
		{"2001:db8::/32", "2001:db9::5", 1, 0},
		{"0.0.0.0/0", "8.8.8.8", 1, 1},
		{"0.0.0.0/0", "2001:db8::1", 1, 0},
		{"127.0.0.1", "::ffff:127.0.0.1", 1, 1},
		{"127.0.0.1", "not-an-ip", 1, 0},
		{"10.0.0.0/33", "10.0.0.1", 0, 0},
		{"10.0.0.0/", "10.0.0.1", 0, 0},
		{"localhost", "127.0.0.1", 0, 0},
		{"10.0.0.0/8,,x", "10.0.0.1", 0, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct edge_nets n;
		char bad[64];
		int rc = edge_nets_parse(cases[i].list, &n, bad, sizeof bad);
		assert_int_equal(rc == 0, cases[i].parses);
		if (rc == 0)
			assert_int_equal(edge_nets_match(&n, cases[i].ip), cases[i].match);
	}
}

static void test_normalize(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out; /* out NULL: refused */
	} cases[] = {
		{"1.2.3.4", "1.2.3.4"},
		{" 1.2.3.4 ", "1.2.3.4"},
		{"1.2.3.4:8080", "1.2.3.4"},
		{"\"1.2.3.4\"", "1.2.3.4"},
		{"[2001:db8::17]:4711", "2001:db8::17"},
		{"\"[2001:DB8::17]\"", "2001:db8::17"},
		{"2001:db8:0:0::17", "2001:db8::17"},
		{"::ffff:10.0.0.1", "10.0.0.1"},
		{"unknown", NULL},
		{"_hidden", NULL},
		{"", NULL},
		{"1.2.3.4.5", NULL},
		{"[::1", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[64];
		int rc = edge_addr_normalize(cases[i].in, strlen(cases[i].in), out, sizeof out);
		if (cases[i].out == NULL) {
			assert_int_equal(rc, -1);
		} else {
			assert_int_equal(rc, 0);
			assert_string_equal(out, cases[i].out);
		}
	}
}

static void test_client_address(void **state)
{
	(void)state;
	static const struct {
		const char *trusted, *peer, *header;
		enum edge_header kind;
		const char *want;
	} cases[] = {
		/* Untrusted peer: the header is ignored. */
		{"", "198.51.100.7", "203.0.113.9", EDGE_XFF, "198.51.100.7"},
		{"10.0.0.0/8", "198.51.100.7", "203.0.113.9", EDGE_XFF, "198.51.100.7"},
		/* Trusted peer without a header: the peer. */
		{"10.0.0.1", "10.0.0.1", NULL, EDGE_XFF, "10.0.0.1"},
		/* Rightmost untrusted hop. */
		{"10.0.0.1", "10.0.0.1", "203.0.113.9", EDGE_XFF, "203.0.113.9"},
		{"10.0.0.0/8", "10.0.0.1", "1.1.1.1, 203.0.113.9, 10.9.9.9", EDGE_XFF,
		 "203.0.113.9"},
		/* A spoofed leftmost entry never wins over the proxy's own. */
		{"10.0.0.1", "10.0.0.1", "127.0.0.1, 203.0.113.9", EDGE_XFF, "203.0.113.9"},
		/* Every hop trusted: the leftmost. */
		{"10.0.0.0/8", "10.0.0.1", "10.1.1.1, 10.2.2.2", EDGE_XFF, "10.1.1.1"},
		/* A malformed hop stops the walk at the last good one. */
		{"10.0.0.0/8", "10.0.0.1", "203.0.113.9, garbage, 10.2.2.2", EDGE_XFF, "10.2.2.2"},
		{"10.0.0.0/8", "10.0.0.1", "", EDGE_XFF, "10.0.0.1"},
		/* Forwarded (RFC 7239). */
		{"10.0.0.1", "10.0.0.1", "for=192.0.2.60;proto=http;by=203.0.113.43",
		 EDGE_FORWARDED, "192.0.2.60"},
		{"10.0.0.1", "10.0.0.1", "for=1.1.1.1, for=\"[2001:db8:cafe::17]:4711\"",
		 EDGE_FORWARDED, "2001:db8:cafe::17"},
		{"10.0.0.1", "10.0.0.1", "For=unknown", EDGE_FORWARDED, "10.0.0.1"},
		{"10.0.0.1", "10.0.0.1", "proto=https", EDGE_FORWARDED, "10.0.0.1"},
	};
	arena *a = arena_new(0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct edge_nets n;
		assert_int_equal(edge_nets_parse(cases[i].trusted, &n, NULL, 0), 0);
		const char *got = edge_client_address(a, cases[i].peer, cases[i].header,
						      cases[i].kind, &n);
		assert_non_null(got);
		assert_string_equal(got, cases[i].want);
	}
	arena_free(a);
}

static void test_https_url(void **state)
{
	(void)state;
	assert_true(edge_url_is_https("https://eimza.example.org"));
	assert_true(edge_url_is_https("HTTPS://x"));
	assert_false(edge_url_is_https("http://127.0.0.1:8080"));
	assert_false(edge_url_is_https("https:/x"));
	assert_false(edge_url_is_https(NULL));
}

static void test_deadline_under_pressure(void **state)
{
	(void)state;
	static const struct {
		unsigned open, limit;
		int64_t want;
	} cases[] = {
		{0, 1000, 60}, {750, 1000, 60}, {751, 1000, 15}, {1000, 1000, 15},
		{5000, 0, 60}, {3, 4, 60},	{4, 4, 15},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(http_deadline_effective(60, cases[i].open, cases[i].limit),
				 cases[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nets_parse_and_match),	cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_client_address),		cmocka_unit_test(test_https_url),
		cmocka_unit_test(test_deadline_under_pressure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
