/* An absolute deadline for receiving each request.
 *
 * libmicrohttpd's connection timeout (server.connection_timeout) is an
 * idle timeout: every byte resets it, so a client that trickles one byte a
 * second holds its connection for ever (slowloris). Here each connection
 * is tracked from the moment it is accepted (MHD_OPTION_NOTIFY_CONNECTION)
 * and again from the end of each answered request (keep-alive): the whole
 * next request, head and body, must arrive within server.request_timeout
 * seconds (a quarter of that while the connection table is more than
 * three quarters full). The serving loop calls http_deadline_sweep() a few times a
 * second; a connection past its deadline has its socket shut down
 * (shutdown(2), not close: the descriptor stays libmicrohttpd's, which then
 * sees end of input and closes the connection itself). The table entry is
 * removed in the CLOSED notification, which libmicrohttpd sends before it
 * closes the descriptor, and both run under one mutex: a descriptor that
 * was shut down is never one reused by another connection. */
#ifndef EIMZA_HTTP_DEADLINE_H
#define EIMZA_HTTP_DEADLINE_H

#include <stdint.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "http/edge.h"

/* Seconds for a whole request (0: no deadline) and the daemon's connection
 * limit. Call before the daemon starts. */
void http_deadline_set(int seconds, unsigned connection_limit);
/* The deadline in force with `open` connections of `limit` (0: no limit):
 * `full_us`, or a quarter of it once three quarters of the table are in
 * use, so that slow clients make room for new ones before the table is
 * full. Pure. */
int64_t http_deadline_effective(int64_t full_us, unsigned open, unsigned limit);
/* The MHD_OPTION_NOTIFY_CONNECTION callback (its cls is unused). */
void http_deadline_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode code);
/* The request on conn has arrived whole (its handler runs now). */
void http_deadline_request_in(struct MHD_Connection *conn);
/* The request on conn was answered: the next one's deadline starts. */
void http_deadline_request_done(struct MHD_Connection *conn);
/* 1 when conn is already past its deadline (the access handler refuses). */
int http_deadline_passed(struct MHD_Connection *conn);
/* Connections per address: at most per_address open connections from one
 * peer (0: no limit), except from the trusted proxies (which carry many
 * clients). This replaces libmicrohttpd's MHD_OPTION_PER_IP_CONNECTION_LIMIT,
 * which cannot exempt a proxy. trusted must outlive the daemon. */
void http_peer_limit_set(unsigned per_address, const struct edge_nets *trusted);
/* The MHD_AcceptPolicyCallback that applies it. */
enum MHD_Result http_peer_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);
/* Shuts down every connection past its deadline; returns how many. */
int http_deadline_sweep(int64_t now_us);

#endif
