#include "helpers.h"

#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "util/buf.h"

char *tp_tmpdir(void)
{
	char tmpl[] = "/tmp/eimza-pki-XXXXXX";
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	return strdup(d);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void tp_rmtree(const char *dir)
{
	if (dir != NULL && strncmp(dir, "/tmp/eimza-pki-", 15) == 0)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int tp_sh(char **out, const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(cmd, sizeof cmd - 8, fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof cmd - 8);
	memcpy(cmd + n, " 2>&1", 6);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	buf b;
	buf_init(&b, 16u << 20);
	char chunk[4096];
	size_t r;
	while ((r = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_append(&b, chunk, r);
	int st = pclose(p);
	if (out != NULL)
		*out = buf_detach(&b, NULL);
	buf_free(&b);
	if (out != NULL && *out == NULL)
		*out = strdup("");
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

char *tp_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	buf b;
	buf_init(&b, 256u << 20);
	char chunk[8192];
	size_t r;
	while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, r);
	fclose(f);
	return buf_detach(&b, len);
}

void tp_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}
