/* libFuzzer target: the template engine (src/http/template.c) parsing and
 * rendering an arbitrary template text against a fixed set of values: plain
 * and hostile text, an empty string, "0", a raw HTML value, a lazy value and
 * two lists (one with nested values). Oracle: when the template text holds
 * no '<' and no '>' (so no markup of its own and no includes), the output
 * holds no '<' either: every value was escaped.
 *
 * Sections of a list nested inside the same list repeat the whole subtree
 * per item (mustache semantics), so a template of n nested sections costs
 * 2^n; templates are compiled in and trusted, so the harness skips inputs
 * with more than MAX_SECTIONS section tags rather than time out on them. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"
#include "util/log.h"

#define MAX_SECTIONS 12

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_level(LOG_LEVEL__MAX); /* parse errors are expected */
	return 0;
}

static const char *lazy(void *ctx, const char *key)
{
	(void)ctx;
	return strcmp(key, "csrf") == 0 ? "tok<en>" : NULL;
}

static void set_values(tpl *t)
{
	tpl_set(t, "ad", "<script>alert('Ayşe')</script> & \"İ\"");
	tpl_set(t, "bos", "");
	tpl_set(t, "sifir", "0");
	tpl_set_int(t, "sayi", -42);
	tpl_set_raw_html(t, "ham", "&amp; raw");
	tpl_set(t, "title", "Başlık <b>");
	tpl_set(t, "step", "2");
	for (int i = 0; i < 2; i++) {
		tpl *it = tpl_add(t, "liste");
		tpl_setf(it, "no", "%d", i);
		tpl_set(it, "ad", i ? "<i>ikinci</i>" : "birinci");
		tpl *sub = tpl_add(it, "alt");
		tpl_set(sub, "x", "</textarea>");
	}
	(void)tpl_add(t, "tek");
	tpl_set_lazy(t, lazy, NULL);
}

static size_t count_sections(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i + 2 < n; i++)
		if (s[i] == '{' && s[i + 1] == '{' && (s[i + 2] == '#' || s[i + 2] == '^'))
			c++;
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	arena *a = NULL;

	if (count_sections(text, size) > MAX_SECTIONS)
		return 0;
	a = arena_new(0);
	if (a == NULL)
		goto out;
	tpl *t = tpl_new_in(a);
	if (t == NULL)
		goto out;
	set_values(t);
	char *res = tpl_render_text(t, text, size);
	if (res != NULL && memchr(text, '<', size) == NULL && memchr(text, '>', size) == NULL &&
	    strchr(res, '<') != NULL)
		abort(); /* a value reached the page unescaped */
	if (tpl_get(t, "ad") == NULL)
		abort();
out:
	arena_free(a);
	return 0;
}
