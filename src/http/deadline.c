/* The connection table: absolute request deadlines and connections per
 * address (see deadline.h). */
#include "http/deadline.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util/clock.h"
#include "util/log.h"

struct slot {
	struct slot *prev, *next;
	int fd;
	int receiving;		/* waiting for (the rest of) a request */
	int64_t since_us;	/* accepted, or the previous request answered */
	unsigned char addr[16]; /* peer, IPv4 mapped into IPv6 */
	int counted;		/* counts toward the per-address limit */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot *head;
static int64_t limit_us;
static unsigned conn_limit, open_count;
static unsigned per_ip_limit;
static const struct edge_nets *exempt;

void http_peer_limit_set(unsigned per_address, const struct edge_nets *trusted)
{
	per_ip_limit = per_address;
	exempt = trusted;
}

/* The peer as 16 bytes (and its text); -1 for another family. */
static int peer_key(const struct sockaddr *sa, unsigned char key[16], char *text, size_t textlen)
{
	if (sa == NULL)
		return -1;
	if (sa->sa_family == AF_INET) {
		const struct in_addr *a = &((const struct sockaddr_in *)sa)->sin_addr;
		memset(key, 0, 10);
		key[10] = key[11] = 0xff;
		memcpy(key + 12, a, 4);
		inet_ntop(AF_INET, a, text, (socklen_t)textlen);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		memcpy(key, a, 16);
		inet_ntop(AF_INET6, a, text, (socklen_t)textlen);
		return 0;
	}
	return -1;
}

static int is_exempt(const char *text)
{
	return exempt != NULL && edge_nets_match(exempt, text);
}

enum MHD_Result http_peer_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	unsigned char key[16];
	char text[INET6_ADDRSTRLEN] = "";
	unsigned n = 0;
	(void)cls;
	(void)addrlen;
	if (per_ip_limit == 0 || peer_key(addr, key, text, sizeof text) != 0 || is_exempt(text))
		return MHD_YES;
	/* Counted at STARTED, checked here: two accepts racing may pass one
	 * over the limit, but the count always matches the open connections. */
	pthread_mutex_lock(&lock);
	for (struct slot *s = head; s != NULL && n < per_ip_limit; s = s->next)
		n += s->counted && memcmp(s->addr, key, 16) == 0;
	pthread_mutex_unlock(&lock);
	return n < per_ip_limit ? MHD_YES : MHD_NO;
}

void http_deadline_set(int seconds, unsigned connection_limit)
{
	limit_us = seconds > 0 ? (int64_t)seconds * 1000000 : 0;
	conn_limit = connection_limit;
}

int64_t http_deadline_effective(int64_t full_us, unsigned open, unsigned limit)
{
	if (limit > 0 && (uint64_t)open * 4 > (uint64_t)limit * 3)
		return full_us / 4;
	return full_us;
}

void http_deadline_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct slot *s = calloc(1, sizeof *s);
		if (s == NULL || ci == NULL) {
			free(s);
			*socket_context = NULL;
			return;
		}
		s->fd = ci->connect_fd;
		s->receiving = 1;
		const union MHD_ConnectionInfo *ai =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		char text[INET6_ADDRSTRLEN] = "";
		if (ai != NULL && peer_key(ai->client_addr, s->addr, text, sizeof text) == 0)
			s->counted = !is_exempt(text);
		s->since_us = clock_mono_us();
		pthread_mutex_lock(&lock);
		s->next = head;
		if (head != NULL)
			head->prev = s;
		head = s;
		open_count++;
		pthread_mutex_unlock(&lock);
		*socket_context = s;
		return;
	}
	struct slot *s = *socket_context;
	if (s == NULL)
		return;
	pthread_mutex_lock(&lock);
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		head = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	open_count--;
	pthread_mutex_unlock(&lock);
	free(s);
	*socket_context = NULL;
}

static struct slot *slot_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci != NULL ? ci->socket_context : NULL;
}

void http_deadline_request_in(struct MHD_Connection *conn)
{
	struct slot *s = slot_of(conn);
	if (s == NULL)
		return;
	pthread_mutex_lock(&lock);
	s->receiving = 0;
	pthread_mutex_unlock(&lock);
}

void http_deadline_request_done(struct MHD_Connection *conn)
{
	struct slot *s = slot_of(conn);
	if (s == NULL)
		return;
	pthread_mutex_lock(&lock);
	s->receiving = 1;
	s->since_us = clock_mono_us();
	pthread_mutex_unlock(&lock);
}

int http_deadline_passed(struct MHD_Connection *conn)
{
	struct slot *s = slot_of(conn);
	int passed = 0;
	if (s == NULL || limit_us == 0)
		return 0;
	pthread_mutex_lock(&lock);
	passed = s->receiving && clock_mono_us() - s->since_us >
					 http_deadline_effective(limit_us, open_count, conn_limit);
	pthread_mutex_unlock(&lock);
	return passed;
}

int http_deadline_sweep(int64_t now_us)
{
	int cut = 0;
	if (limit_us == 0)
		return 0;
	pthread_mutex_lock(&lock);
	int64_t lim = http_deadline_effective(limit_us, open_count, conn_limit);
	for (struct slot *s = head; s != NULL; s = s->next) {
		if (s->receiving && now_us - s->since_us > lim) {
			shutdown(s->fd, SHUT_RDWR);
			s->receiving = 0; /* once: libmicrohttpd closes it now */
			cut++;
		}
	}
	pthread_mutex_unlock(&lock);
	if (cut > 0)
		log_info("closed %d connection(s) that took longer than the request deadline", cut);
	return cut;
}
