/* Route tables and matching. */
#include <stdio.h>
#include <string.h>

#include "http/internal.h"

#define MAX_TABLES 64

static const struct route *tables[MAX_TABLES];
static size_t ntables;

void http_add_routes(const struct route *routes)
{
	for (size_t i = 0; i < ntables; i++)
		if (tables[i] == routes)
			return;
	if (ntables == MAX_TABLES) {
		fprintf(stderr, "http: too many route tables\n");
		return;
	}
	tables[ntables++] = routes;
}

void route_reset(void)
{
	ntables = 0;
}

static int method_ok(const struct route *rt, const char *method)
{
	if (strcmp(rt->method, method) == 0)
		return 1;
	return strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0;
}

/* 0: no match; otherwise the match quality (exact beats any prefix, a longer
 * prefix beats a shorter one). */
static size_t path_score(const struct route *rt, const char *path)
{
	size_t n = strlen(rt->pattern);
	if (rt->flags & ROUTE_PREFIX) {
		if (strncmp(path, rt->pattern, n) == 0)
			return n + 1;
		return 0;
	}
	return strcmp(path, rt->pattern) == 0 ? (size_t)-1 : 0;
}

static void allow_add(char *allow, size_t allowlen, const char *m)
{
	char item[16];
	snprintf(item, sizeof item, "%s", m);
	/* no duplicates: compare whole comma-separated items */
	const char *p = allow;
	size_t n = strlen(item);
	while (*p) {
		if (strncmp(p, item, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return;
		p = strchr(p, ',');
		if (p == NULL)
			break;
		p += 2;
	}
	size_t used = strlen(allow);
	snprintf(allow + used, allowlen - used, "%s%s", used ? ", " : "", item);
}

const struct route *route_match(const char *method, const char *path, int dev, char *allow,
				size_t allowlen, const char **suffix)
{
	const struct route *best = NULL, *best_any = NULL;
	size_t best_score = 0, best_any_score = 0;
	if (allowlen)
		allow[0] = '\0';
	*suffix = "";
	for (size_t t = 0; t < ntables; t++) {
		for (const struct route *rt = tables[t]; rt->method != NULL; rt++) {
			if ((rt->flags & ROUTE_DEV) && !dev)
				continue;
			size_t sc = path_score(rt, path);
			if (sc == 0)
				continue;
			if (sc > best_any_score) {
				best_any_score = sc;
				best_any = rt;
			}
			if (method_ok(rt, method) && sc > best_score) {
				best_score = sc;
				best = rt;
			}
		}
	}
	/* A longer path match with another method hides a shorter prefix:
	 * "POST /depo/x" must not fall back to a "GET /" prefix handler. */
	if (best != NULL && best_score >= best_any_score) {
		if (best->flags & ROUTE_PREFIX)
			*suffix = path + strlen(best->pattern);
		return best;
	}
	if (best_any == NULL)
		return NULL;
	for (size_t t = 0; t < ntables; t++)
		for (const struct route *rt = tables[t]; rt->method != NULL; rt++) {
			if ((rt->flags & ROUTE_DEV) && !dev)
				continue;
			if (path_score(rt, path) != best_any_score)
				continue;
			allow_add(allow, allowlen, rt->method);
			if (strcmp(rt->method, "GET") == 0)
				allow_add(allow, allowlen, "HEAD");
		}
	return NULL;
}
