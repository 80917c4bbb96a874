#include "notify/msgtpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/guidance.h"
#include "util/assets.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/log.h"

#define MSGTPL_MAX (64 * 1024)

static const char *lookup(const struct notify_vars *vars, const char *key)
{
	const char *v = notify_vars_get(vars, key);
	if (v != NULL)
		return v;
	if (strcmp(key, "base_url") == 0)
		return config_get("server.base_url");
	if (strcmp(key, "contact_phones") == 0)
		return config_get("contact.phones");
	/* The same words as /bireysel/pin (domain/guidance.h). */
	if (strcmp(key, "edevlet_pin") == 0)
		return guidance_edevlet_pin();
	return NULL;
}

/* Appends s[0..n) to out with {{key}} replaced. Single pass: values are not
 * scanned again. -1 on a placeholder without value or a full buffer. */
static int expand(const char *tname, const char *s, size_t n, const struct notify_vars *vars,
		  buf *out)
{
	size_t i = 0;
	while (i < n) {
		const char *open = memmem(s + i, n - i, "{{", 2);
		if (open == NULL) {
			buf_append(out, s + i, n - i);
			break;
		}
		buf_append(out, s + i, (size_t)(open - (s + i)));
		const char *kstart = open + 2;
		const char *close = memmem(kstart, n - (size_t)(kstart - s), "}}", 2);
		char key[64];
		size_t klen = close ? (size_t)(close - kstart) : 0;
		if (close == NULL || klen == 0 || klen >= sizeof key) {
			log_error("msgtpl %s: malformed placeholder", tname);
			return -1;
		}
		memcpy(key, kstart, klen);
		key[klen] = '\0';
		const char *v = lookup(vars, key);
		if (v == NULL) {
			log_error("msgtpl %s: no value for {{%s}}", tname, key);
			return -1;
		}
		buf_puts(out, v);
		i = (size_t)(close + 2 - s);
	}
	return out->err ? -1 : 0;
}

/* Expands s[0..n) into a fresh malloc'd string (caller frees) or NULL. */
static char *expand_dup(const char *tname, const char *s, size_t n, const struct notify_vars *vars)
{
	buf b;
	buf_init(&b, MSGTPL_MAX);
	char *res = NULL;
	if (expand(tname, s, n, vars, &b) != 0)
		goto out;
	res = buf_detach(&b, NULL); /* NUL-terminated; NULL only on OOM */
out:
	buf_free(&b);
	return res;
}

/* Strips trailing newlines and spaces in place. */
static void rstrip(char *s)
{
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

static int is_header(const char *line, size_t len, const char *name, const char **val, size_t *vlen)
{
	size_t nl = strlen(name);
	if (len < nl || memcmp(line, name, nl) != 0)
		return 0;
	const char *v = line + nl;
	while (v < line + len && *v == ' ')
		v++;
	*val = v;
	*vlen = len - (size_t)(v - line);
	return 1;
}

int msgtpl_render(const char *name, const struct notify_vars *vars, struct msgtpl_out *out)
{
	int rc = -1;
	char path[160];
	memset(out, 0, sizeof *out);
	if (name == NULL || strchr(name, '/') != NULL || strchr(name, '.') != NULL)
		goto out;
	snprintf(path, sizeof path, "templates/msg/%s.txt", name);
	const struct asset *a = asset_find(path);
	if (a == NULL) {
		log_error("msgtpl: no template %s", path);
		goto out;
	}
	const char *s = (const char *)a->data, *end = s + a->len;
	const char *sms = NULL;
	size_t sms_len = 0;
	/* Header lines up to the first blank line. */
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		const char *v;
		size_t vlen;
		const char *next = nl ? nl + 1 : end;
		if (len == 0) {
			s = next;
			break;
		}
		if (is_header(s, len, "Konu:", &v, &vlen)) {
			free(out->subject);
			out->subject = expand_dup(name, v, vlen, vars);
			if (out->subject == NULL)
				goto out;
		} else if (is_header(s, len, "SMS:", &v, &vlen)) {
			sms = v;
			sms_len = vlen;
		} else {
			log_error("msgtpl %s: unknown header line", name);
			goto out;
		}
		s = next;
	}
	if (out->subject == NULL) {
		log_error("msgtpl %s: no 'Konu:' line", name);
		goto out;
	}
	out->body = expand_dup(name, s, (size_t)(end - s), vars);
	if (out->body == NULL)
		goto out;
	rstrip(out->body);
	out->sms_text = sms ? expand_dup(name, sms, sms_len, vars) : strdup(out->body);
	if (out->sms_text == NULL)
		goto out;
	rstrip(out->sms_text);
	rc = 0;
out:
	if (rc != 0)
		msgtpl_out_free(out);
	return rc;
}

void msgtpl_out_free(struct msgtpl_out *out)
{
	free(out->subject);
	free(out->body);
	free(out->sms_text);
	memset(out, 0, sizeof *out);
}
