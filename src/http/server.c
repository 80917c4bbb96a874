/* The libmicrohttpd daemon: request life cycle, body intake, dispatch,
 * signals and shutdown.
 *
 * A request is created in the URI log callback (with the raw URI, before
 * MHD decodes it), gets its arena there, and is freed in the completion
 * callback. The access handler is called once for the headers, then for
 * each chunk of body, then once more with no data: only then, with every
 * field checked, does the route's handler run. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/deadline.h"
#include "http/edge.h"
#include "http/internal.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"
#include "util/utf8.h"

#define ARENA_LIMIT (32u << 20)
#define PP_BUFFER 16384
#define MAX_HOOKS 16
#define DRAIN_FACTOR 4 /* bytes read past a rejected body before closing */

static void (*hooks[MAX_HOOKS])(void);
static int nhooks;
static volatile sig_atomic_t stop_flag;

void http_on_shutdown(void (*fn)(void))
{
	if (nhooks < MAX_HOOKS)
		hooks[nhooks++] = fn;
}

/* ---- request accessors ---- */

arena *req_arena(req *r)
{
	return r->a;
}
const char *req_method(const req *r)
{
	return r->method;
}
const char *req_path(const req *r)
{
	return r->path ? r->path : "/";
}
const char *req_suffix(const req *r)
{
	return r->suffix ? r->suffix : "";
}
/* The one source of the client address (lockouts, per-address limits,
 * audit records, logs): the socket peer, or, when the peer is a trusted
 * proxy, the forwarding header's rightmost untrusted hop (edge.h). It is
 * settled once the request's headers are in (client_ip_settle). */
const char *req_client_ip(const req *r)
{
	return r->client_ip ? r->client_ip : "";
}
int req_is_tls(const req *r)
{
	return r->tls;
}
int req_is_dev(const req *r)
{
	return r->dev;
}

const char *req_header(req *r, const char *name)
{
	if (r->conn == NULL)
		return NULL;
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(req *r, const char *name)
{
	int bad;
	return cookie_find(r->a, req_header(r, MHD_HTTP_HEADER_COOKIE), name, &bad);
}

const void *req_body(req *r, size_t *len)
{
	if (len)
		*len = r->raw.len;
	return r->raw.data ? r->raw.data : "";
}

/* ---- request life cycle ---- */

static void peer_ip(req *r, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char ip[INET6_ADDRSTRLEN] = "";
	if (ci != NULL && ci->client_addr != NULL) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, ip,
				  sizeof ip);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, ip,
				  sizeof ip);
	}
	r->client_ip = arena_strdup(r->a, ip);
}

static void client_ip_settle(req *r)
{
	const char *h = req_header(r, http_proxy_header() == EDGE_FORWARDED ? "Forwarded"
									    : "X-Forwarded-For");
	const char *ip = edge_client_address(r->a, r->client_ip, h, http_proxy_header(),
					     http_trusted_proxies());
	if (ip != NULL)
		r->client_ip = ip;
}

static req *req_new(const char *uri, struct MHD_Connection *conn)
{
	arena *a = arena_new(ARENA_LIMIT);
	if (a == NULL)
		return NULL;
	req *r = arena_alloc(a, sizeof *r);
	if (r == NULL) {
		arena_free(a);
		return NULL;
	}
	r->a = a;
	r->conn = conn;
	r->start_us = clock_mono_us();
	r->raw_uri = arena_strdup(a, uri ? uri : "");
	/* Secure cookies and HSTS whoever terminates TLS: this server or a
	 * proxy in front of an https public URL. */
	r->tls = http_opts()->tls_cert != NULL || http_public_https();
	r->dev = http_opts()->dev;
	peer_ip(r, conn);
	return r;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	return req_new(uri, conn);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	req *r = *con_cls;
	http_deadline_request_done(conn);
	if (r == NULL)
		return;
	int64_t us = clock_mono_us() - r->start_us;
	const char *label = "unmatched";
	if (r->route != NULL)
		label = r->route->metric_name ? r->route->metric_name : r->route->pattern;
	metrics_observe(label, r->status, us);
	log_info("%s %s %d %lldus %s%s", r->method ? r->method : "-",
		 r->path ? r->path : r->raw_uri, r->status, (long long)us, r->client_ip,
		 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (bağlantı kesildi)");
	/* What the request held of its body is wiped where eimza owns the
	 * memory: field values, the raw body, the arena (arena_free). The
	 * post processor's buffer and the connection's read buffer belong to
	 * libmicrohttpd, which frees or reuses them without wiping; nothing
	 * here can reach them safely. */
	if (r->pp != NULL)
		MHD_destroy_post_processor(r->pp);
	fields_free(r);
	http_buf_free_wiped(&r->raw);
	arena_free(r->a);
	*con_cls = NULL;
}

/* Rejects at once (only valid before the body is read) or remembers. */
static int reject(req *r, int status, const char *msg)
{
	if (r->err_status == 0) {
		r->err_status = status;
		r->err_msg = msg;
	}
	return status;
}

/* Decodes and checks the path; splits off the query. */
static int parse_target(req *r)
{
	const char *u = r->raw_uri;
	if (u[0] != '/')
		return reject(r, 400, "Geçersiz istek.");
	const char *q = strchr(u, '?');
	size_t plen = q ? (size_t)(q - u) : strlen(u), n;
	char *path = url_decode(r->a, u, plen, 0, &n);
	if (path == NULL)
		return reject(r, 400, "Geçersiz istek (bozuk yüzde kodlaması).");
	if (strlen(path) != n || !utf8_valid(path, n) || utf8_has_controls(path, n, 0))
		return reject(r, 400, "Geçersiz karakter kodlaması (UTF-8 değil).");
	r->path = path;
	return 0;
}

static enum MHD_Result post_iter(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *filename, const char *content_type,
				 const char *transfer_encoding, const char *data, uint64_t off,
				 size_t size)
{
	req *r = cls;
	if (r->err_status != 0 || key == NULL)
		return MHD_NO;
	struct field *f = r->cur;
	int same = f != NULL && strcmp(f->name, key) == 0 &&
		   (off == f->val.len && (off > 0 || f->val.len == 0));
	if (!same || (off == 0 && f->val.len > 0)) {
		f = field_begin(r, key);
		if (f == NULL)
			return MHD_NO;
		r->cur = f;
		if (filename != NULL) {
			size_t fn = strlen(filename);
			if (fn > 255 || !utf8_valid(filename, fn) ||
			    utf8_has_controls(filename, fn, 0)) {
				reject(r, 400, "Geçersiz karakter kodlaması (UTF-8 değil).");
				return MHD_NO;
			}
			f->filename = arena_strdup(r->a, filename);
			f->is_file = 1;
		}
	}
	if (size > 0 && field_append(r, f, data, size) != 0)
		return MHD_NO;
	return MHD_YES;
}

static int is_form_type(const char *ct, const char *want)
{
	size_t n = strlen(want);
	return ct != NULL && strncasecmp(ct, want, n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Sets up body intake after the headers: limits, raw buffer or form parser. */
static int prepare_body(req *r)
{
	const struct server_opts *o = http_opts();
	const char *cl = req_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *te = req_header(r, MHD_HTTP_HEADER_TRANSFER_ENCODING);
	const char *ct = req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	int has_body = te != NULL;
	if (cl != NULL) {
		char *end;
		errno = 0;
		unsigned long long len = strtoull(cl, &end, 10);
		if (errno != 0 || end == cl || *end != '\0')
			return reject(r, 400, "Geçersiz istek.");
		if (len > o->max_body)
			return reject(r, 413, "İstek çok büyük.");
		has_body = has_body || len > 0;
	}
	if (r->route->flags & ROUTE_RAW_BODY) {
		buf_init(&r->raw, o->max_body + 1);
		http_buf_append_wiped(&r->raw, "", 0);
		return 0;
	}
	if (strcmp(r->method, "POST") != 0 || !has_body)
		return 0;
	r->urlencoded = is_form_type(ct, MHD_HTTP_POST_ENCODING_FORM_URLENCODED);
	if (!r->urlencoded && !is_form_type(ct, MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA))
		return reject(r, 415, "Bu içerik türü kabul edilmiyor.");
	r->pp = MHD_create_post_processor(r->conn, PP_BUFFER, post_iter, r);
	if (r->pp == NULL)
		return reject(r, 400, "Geçersiz istek (form gövdesi okunamadı).");
	return 0;
}

/* The first call: everything that can be decided from the headers. */
static int on_headers(req *r, const char *method)
{
	char allow[64];
	int bad = 0;
	r->method = arena_strdup(r->a, method);
	if (parse_target(r) != 0)
		return r->err_status;
	r->route = route_match(r->method, r->path, r->dev, allow, sizeof allow, &r->suffix);
	if (r->route == NULL) {
		if (allow[0] != '\0') {
			reply_header(r, "Allow", allow);
			return reject(r, 405, "Bu adres bu yöntemle kullanılamaz.");
		}
		return reject(r, 404, "Aradığınız sayfa bulunamadı.");
	}
	cookie_find(r->a, req_header(r, MHD_HTTP_HEADER_COOKIE), http_session_cookie_name(), &bad);
	if (bad)
		return reject(r, 400, "Geçersiz karakter kodlaması (UTF-8 değil).");
	const char *q = strchr(r->raw_uri, '?');
	if (q != NULL && query_parse(r, q + 1) != 0)
		return r->err_status;
	return prepare_body(r);
}

static void take_chunk(req *r, const char *data, size_t size)
{
	const struct server_opts *o = http_opts();
	r->body_len += size;
	if (r->err_status != 0)
		return;
	if (r->body_len > o->max_body) {
		reject(r, 413, "İstek çok büyük.");
		return;
	}
	if (r->route->flags & ROUTE_RAW_BODY) {
		if (http_buf_append_wiped(&r->raw, data, size) != 0)
			reject(r, 413, "İstek çok büyük.");
		return;
	}
	if (r->pp == NULL)
		return; /* a body on GET: ignored, but counted */
	if (r->urlencoded && !pct_check(&r->pct_state, data, size)) {
		reject(r, 400, "Geçersiz istek (bozuk yüzde kodlaması).");
		return;
	}
	if (MHD_post_process(r->pp, data, size) != MHD_YES)
		reject(r, 400, "Geçersiz istek (form gövdesi okunamadı).");
}

/* The last call: finish parsing, check everything, run the handler. */
static void dispatch(req *r)
{
	http_deadline_request_in(r->conn);
	if (r->urlencoded && r->pct_state != 0)
		reject(r, 400, "Geçersiz istek (bozuk yüzde kodlaması).");
	if (r->pp != NULL) {
		enum MHD_Result ok = MHD_destroy_post_processor(r->pp);
		r->pp = NULL;
		if (ok != MHD_YES)
			reject(r, 400, "Geçersiz istek (form gövdesi okunamadı).");
	}
	if (r->err_status == 0)
		fields_final_check(r);
	if (r->err_status != 0) {
		reply_error(r, r->err_status, r->err_msg);
		return;
	}
	session_maybe_purge();
	if (strcmp(r->method, "POST") == 0 && !(r->route->flags & ROUTE_NO_CSRF) &&
	    !session_csrf_ok(r)) {
		reply_error(r, 403,
			    "Güvenlik doğrulaması başarısız (CSRF). "
			    "Sayfayı yenileyip tekrar deneyin.");
		return;
	}
	r->route->handler(r);
	if (!r->replied) {
		log_error("handler for %s %s returned without a reply", r->method, r->path);
		reply_error(r, 500, "Beklenmeyen bir hata oluştu.");
	}
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	req *r = *con_cls;
	if (http_deadline_passed(conn))
		return MHD_NO; /* the sweep would cut it within a tick anyway */
	if (r == NULL) {
		r = req_new(url, conn);
		if (r == NULL)
			return MHD_NO;
		*con_cls = r;
	}
	r->conn = conn;
	if (!r->started) {
		r->started = 1;
		client_ip_settle(r);
		if (on_headers(r, method) != 0) {
			reply_error(r, r->err_status, r->err_msg);
			return MHD_YES;
		}
		return MHD_YES;
	}
	if (r->replied) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		take_chunk(r, upload_data, *upload_data_size);
		*upload_data_size = 0;
		/* A client that keeps sending after a rejection is cut off. */
		if (r->err_status != 0 && r->body_len > DRAIN_FACTOR * http_opts()->max_body)
			return MHD_NO;
		return MHD_YES;
	}
	dispatch(r);
	return MHD_YES;
}

/* ---- listening address ---- */

static int is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		uint32_t a = ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr);
		return (a >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		if (IN6_IS_ADDR_LOOPBACK(a))
			return 1;
		return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
	}
	return 0;
}

/* Parses "HOST:PORT" or "[V6]:PORT" into a socket address. */
static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *sslen)
{
	char host[256];
	const char *port;
	if (s[0] == '[') {
		const char *e = strchr(s, ']');
		if (e == NULL || e[1] != ':' || (size_t)(e - s - 1) >= sizeof host)
			return -1;
		memcpy(host, s + 1, (size_t)(e - s - 1));
		host[e - s - 1] = '\0';
		port = e + 2;
	} else {
		const char *c = strrchr(s, ':');
		if (c == NULL || (size_t)(c - s) >= sizeof host || strchr(s, ':') != c)
			return -1;
		memcpy(host, s, (size_t)(c - s));
		host[c - s] = '\0';
		port = c + 1;
	}
	char *end;
	long p = strtol(port, &end, 10);
	if (*port == '\0' || *end != '\0' || p < 0 || p > 65535)
		return -1;
	struct addrinfo hints = {0}, *res = NULL;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
	if (getaddrinfo(host[0] ? host : NULL, port, &hints, &res) != 0 || res == NULL)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sslen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	buf b;
	buf_init(&b, 1 << 20);
	if (f == NULL)
		return NULL;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(&b, chunk, n) != 0)
			break;
	if (!ferror(f) && !b.err && b.len > 0)
		data = buf_detach(&b, NULL);
	fclose(f);
	buf_free(&b);
	return data;
}

/* ---- signals ---- */

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void wait_for_signal(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	struct timespec tick = {0, 200 * 1000 * 1000};
	/* A signal sent to the process lands in a thread that does not block
	 * it (the handler sets stop_flag) or waits here for sigtimedwait. */
	while (!stop_flag) {
		int s = sigtimedwait(&set, NULL, &tick);
		if (s == SIGINT || s == SIGTERM)
			break;
		http_deadline_sweep(clock_mono_us());
	}
}

/* The listening socket, bound and listening before MHD starts, so that
 * the on_listening hook runs between binding (a port below 1024 needs
 * root) and accepting. -1 when it cannot be bound. */
static int bind_listener(const struct sockaddr_storage *ss, socklen_t sslen)
{
	int one = 1;
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    (ss->ss_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) != 0) ||
	    bind(fd, (const struct sockaddr *)ss, sslen) != 0 || listen(fd, SOMAXCONN) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static struct MHD_Daemon *start_daemon(const struct server_opts *o, struct sockaddr_storage *ss,
				       int listen_fd, const char *cert, const char *key)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	flags |= MHD_is_feature_supported(MHD_FEATURE_EPOLL) ? MHD_USE_EPOLL : MHD_USE_POLL;
	if (ss->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (cert != NULL)
		flags |= MHD_USE_TLS;
	unsigned timeout = (unsigned)config_get_int("server.connection_timeout");
	unsigned limit = (unsigned)config_get_int("server.connection_limit");
	unsigned per_ip = (unsigned)config_get_int("server.per_ip_connection_limit");
	http_deadline_set((int)config_get_int("server.request_timeout"), limit ? limit : 1000u);
	/* Per address in eimza's own table (deadline.h): trusted proxies are
	 * exempt, which MHD_OPTION_PER_IP_CONNECTION_LIMIT cannot do. */
	http_peer_limit_set(per_ip, http_trusted_proxies());
	struct MHD_OptionItem tls_opts[] = {
		{cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, (void *)cert},
		{MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)key},
		{MHD_OPTION_END, 0, NULL},
	};
	return MHD_start_daemon(flags, 0, http_peer_accept, NULL, on_request, NULL,
				MHD_OPTION_LISTEN_SOCKET, listen_fd, MHD_OPTION_THREAD_POOL_SIZE,
				o->threads, MHD_OPTION_CONNECTION_TIMEOUT, timeout ? timeout : 30u,
				MHD_OPTION_CONNECTION_LIMIT, limit ? limit : 1000u,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
				MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				MHD_OPTION_NOTIFY_CONNECTION, http_deadline_notify, NULL,
				MHD_OPTION_ARRAY, tls_opts, MHD_OPTION_END);
}

int server_run(const struct server_opts *opts)
{
	struct sockaddr_storage ss;
	socklen_t sslen = 0;
	char *cert = NULL, *key = NULL;
	struct MHD_Daemon *d = NULL;
	sigset_t set, old;
	int rc = -1, masked = 0, listen_fd = -1;

	http_set_opts(opts);
	const struct server_opts *o = http_opts();
	http_add_routes(http_builtin_routes);
	if (parse_listen(o->listen, &ss, &sslen) != 0) {
		log_error("dinleme adresi anlaşılamadı: '%s' (örnek: 127.0.0.1:8080 ya da "
			  "[::1]:8080)",
			  o->listen);
		goto out;
	}
	if (o->dev && !is_loopback((struct sockaddr *)&ss)) {
		log_error("--dev yalnızca yerel adreste (127.0.0.0/8 ya da ::1) çalışır; "
			  "'%s' yerel bir adres değil. Sunucu başlatılmadı.",
			  o->listen);
		goto out;
	}
	if (http_edge_init() != 0)
		goto out;
	if ((o->tls_cert != NULL) != (o->tls_key != NULL)) {
		log_error("HTTPS için server.tls_cert ve server.tls_key birlikte verilmeli");
		goto out;
	}
	if (o->tls_cert != NULL) {
		cert = read_file(o->tls_cert);
		key = read_file(o->tls_key);
		if (cert == NULL || key == NULL) {
			log_error("TLS sertifikası ya da anahtarı okunamadı (%s, %s)", o->tls_cert,
				  o->tls_key);
			goto out;
		}
	}
	/* Threads started from here on (MHD's) inherit the blocked signals. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	masked = 1;
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	stop_flag = 0;

	/* SO_REUSEADDR only (a port in TIME_WAIT); never SO_REUSEPORT, so a
	 * port that another eimza or program listens on is refused here. */
	listen_fd = bind_listener(&ss, sslen);
	if (listen_fd < 0) {
		int e = errno;
		if (e == EADDRINUSE)
			log_error(
				"HTTP sunucusu başlatılamadı: %s adresi zaten kullanımda (başka bir "
				"eimza ya da program bu portu dinliyor)",
				o->listen);
		else
			log_error("HTTP sunucusu başlatılamadı: %s adresi kullanılamıyor: %s",
				  o->listen, strerror(e));
		goto out;
	}
	if (o->on_listening != NULL && o->on_listening() != 0)
		goto out;
	d = start_daemon(o, &ss, listen_fd, cert, key);
	if (d == NULL) {
		log_error("HTTP sunucusu başlatılamadı: %s adresi kullanılamıyor", o->listen);
		goto out;
	}
	listen_fd = -1; /* MHD's now: MHD_stop_daemon() closes it */
	log_info("dinleniyor: %s://%s%s", cert ? "https" : "http", o->listen,
		 o->dev ? " (geliştirme kipi)" : "");
	wait_for_signal();
	log_info("kapanıyor");
	MHD_stop_daemon(d);
	rc = 0;
out:
	if (listen_fd >= 0)
		close(listen_fd);
	for (int i = nhooks - 1; i >= 0; i--)
		hooks[i]();
	if (masked)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (key != NULL) {
		explicit_bzero(key, strlen(key));
		free(key);
	}
	free(cert);
	return rc;
}
