/* Request counters and a latency histogram, in Prometheus text format. */
#include <pthread.h>
#include <string.h>

#include "http/internal.h"

#ifndef EIMZA_VERSION
#define EIMZA_VERSION "0.1.0"
#endif

#define MAX_SERIES 512

struct series {
	const char *route; /* static string (a route's pattern or metric_name) */
	int status;
	uint64_t count;
};

static const double bucket_le[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBUCKETS (sizeof bucket_le / sizeof bucket_le[0])

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct series series[MAX_SERIES];
static size_t nseries;
static uint64_t buckets[NBUCKETS]; /* cumulative counts are computed at render */
static uint64_t total_count;
static int64_t total_us;

void metrics_reset(void)
{
	pthread_mutex_lock(&lock);
	nseries = 0;
	memset(buckets, 0, sizeof buckets);
	total_count = 0;
	total_us = 0;
	pthread_mutex_unlock(&lock);
}

static struct series *find_series(const char *route, int status)
{
	for (size_t i = 0; i < nseries; i++)
		if (series[i].status == status && strcmp(series[i].route, route) == 0)
			return &series[i];
	if (nseries == MAX_SERIES)
		return NULL;
	series[nseries].route = route;
	series[nseries].status = status;
	series[nseries].count = 0;
	return &series[nseries++];
}

void metrics_observe(const char *route, int status, int64_t micros)
{
	if (route == NULL)
		route = "other";
	pthread_mutex_lock(&lock);
	struct series *s = find_series(route, status);
	if (s == NULL)
		s = find_series("other", status);
	if (s != NULL)
		s->count++;
	double secs = (double)micros / 1e6;
	for (size_t i = 0; i < NBUCKETS; i++)
		if (secs <= bucket_le[i]) {
			buckets[i]++;
			break;
		}
	total_count++;
	total_us += micros;
	pthread_mutex_unlock(&lock);
}

static int put_label(buf *b, const char *v)
{
	for (; *v; v++) {
		int rc;
		if (*v == '\\' || *v == '"')
			rc = buf_printf(b, "\\%c", *v);
		else if (*v == '\n')
			rc = buf_puts(b, "\\n");
		else
			rc = buf_putc(b, *v);
		if (rc != 0)
			return -1;
	}
	return 0;
}

int metrics_render(buf *b)
{
	pthread_mutex_lock(&lock);
	buf_puts(b, "# HELP eimza_build_info Build information.\n"
		    "# TYPE eimza_build_info gauge\n");
	buf_printf(b, "eimza_build_info{version=\"%s\"} 1\n", EIMZA_VERSION);
	buf_puts(b, "# HELP eimza_http_requests_total HTTP requests by route and status.\n"
		    "# TYPE eimza_http_requests_total counter\n");
	for (size_t i = 0; i < nseries; i++) {
		buf_puts(b, "eimza_http_requests_total{route=\"");
		put_label(b, series[i].route);
		buf_printf(b, "\",status=\"%d\"} %llu\n", series[i].status,
			   (unsigned long long)series[i].count);
	}
	buf_puts(b, "# HELP eimza_http_request_duration_seconds Time to answer a request.\n"
		    "# TYPE eimza_http_request_duration_seconds histogram\n");
	uint64_t cum = 0;
	for (size_t i = 0; i < NBUCKETS; i++) {
		cum += buckets[i];
		buf_printf(b, "eimza_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
			   bucket_le[i], (unsigned long long)cum);
	}
	buf_printf(b, "eimza_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
		   (unsigned long long)total_count);
	buf_printf(b, "eimza_http_request_duration_seconds_sum %.6f\n", (double)total_us / 1e6);
	buf_printf(b, "eimza_http_request_duration_seconds_count %llu\n",
		   (unsigned long long)total_count);
	pthread_mutex_unlock(&lock);
	return b->err ? -1 : 0;
}
