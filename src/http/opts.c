/* The running server's options, with defaults filled in. */
#include "http/internal.h"

static struct server_opts current = {
	.listen = "127.0.0.1:8080",
	.threads = 8,
	.max_body = 1u << 20,
	.max_fields = 200,
	.session_idle = 1800,
	.session_max = 28800,
};

const struct server_opts *http_opts(void)
{
	return &current;
}

void http_set_opts(const struct server_opts *o)
{
	current = *o;
	if (current.listen == NULL || current.listen[0] == '\0')
		current.listen = "127.0.0.1:8080";
	if (current.threads == 0)
		current.threads = 8;
	if (current.max_body == 0)
		current.max_body = 1u << 20;
	if (current.max_fields == 0)
		current.max_fields = 200;
	if (current.session_idle <= 0)
		current.session_idle = 1800;
	if (current.session_max <= 0)
		current.session_max = 28800;
	if (current.tls_cert != NULL && current.tls_cert[0] == '\0')
		current.tls_cert = NULL;
	if (current.tls_key != NULL && current.tls_key[0] == '\0')
		current.tls_key = NULL;
}
