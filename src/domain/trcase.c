/* Turkish case mapping over UTF-8. */
#include "domain/trcase.h"

#include <stdint.h>
#include <string.h>

#include "domain/text.h"

#define TRCASE_KEY_MAX 1024
#define CP_COMB_CIRCUMFLEX 0x0302
#define CP_COMB_BREVE 0x0306
#define CP_COMB_DOT_ABOVE 0x0307
#define CP_COMB_DIAERESIS 0x0308
#define CP_COMB_CEDILLA 0x0327

static uint32_t trcase_upper_cp(uint32_t c)
{
	if (c == 'i')
		return 0x130;
	if (c >= 'a' && c <= 'z')
		return c - 32;
	if (c == 0x131)
		return 'I';
	if (c == 0x11F)
		return 0x11E;
	if (c == 0x15F)
		return 0x15E;
	/* Latin-1 lower case letters (ç ö ü â î û é ...), not ÷ nor ß/ÿ. */
	if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
		return c - 32;
	return c;
}

static uint32_t trcase_lower_cp(uint32_t c)
{
	if (c == 'I')
		return 0x131;
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c == 0x130)
		return 'i';
	if (c == 0x11E)
		return 0x11F;
	if (c == 0x15E)
		return 0x15F;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	return c;
}

/* Maps every code point of in through fn; I+U+0307 becomes i when lower. */
static int trcase_map(const char *in, char *out, size_t outlen, int lower)
{
	size_t n, i = 0, pos = 0;
	uint32_t cp, next;
	int len, len2;

	if (in == NULL || outlen == 0)
		return -1;
	out[0] = '\0';
	n = strlen(in);
	while (i < n) {
		len = text_decode(in + i, n - i, &cp);
		if (len < 0)
			return -1;
		i += (size_t)len;
		if (lower && cp == 'I' && i < n) {
			len2 = text_decode(in + i, n - i, &next);
			if (len2 > 0 && next == CP_COMB_DOT_ABOVE) {
				i += (size_t)len2;
				cp = 0x130;
			}
		}
		cp = lower ? trcase_lower_cp(cp) : trcase_upper_cp(cp);
		if (text_encode(cp, out, outlen, &pos) < 0)
			return -1;
	}
	return 0;
}

int trcase_upper(const char *in, char *out, size_t outlen)
{
	return trcase_map(in, out, outlen, 0);
}

int trcase_lower(const char *in, char *out, size_t outlen)
{
	return trcase_map(in, out, outlen, 1);
}

/* Composition of base + combining mark for the pairs that occur in Turkish
 * names; 0 if the pair is not one of them. */
static const struct {
	uint32_t base, mark, composed;
} trcase_compose_tab[] = {
	{'I', CP_COMB_DOT_ABOVE, 0x130},
	{'i', CP_COMB_DOT_ABOVE, 'i'},
	/* dotless i with a mark on top reads as i / î (and keeps a key its
	 * own key: ı upper-cases to I, which would compose on a second pass) */
	{0x131, CP_COMB_DOT_ABOVE, 'i'},
	{0x131, CP_COMB_CIRCUMFLEX, 0xEE},
	{'c', CP_COMB_CEDILLA, 0xE7},
	{'C', CP_COMB_CEDILLA, 0xC7},
	{'s', CP_COMB_CEDILLA, 0x15F},
	{'S', CP_COMB_CEDILLA, 0x15E},
	{'g', CP_COMB_BREVE, 0x11F},
	{'G', CP_COMB_BREVE, 0x11E},
	{'o', CP_COMB_DIAERESIS, 0xF6},
	{'O', CP_COMB_DIAERESIS, 0xD6},
	{'u', CP_COMB_DIAERESIS, 0xFC},
	{'U', CP_COMB_DIAERESIS, 0xDC},
	{'a', CP_COMB_CIRCUMFLEX, 0xE2},
	{'A', CP_COMB_CIRCUMFLEX, 0xC2},
	{'i', CP_COMB_CIRCUMFLEX, 0xEE},
	{'I', CP_COMB_CIRCUMFLEX, 0xCE},
	{'u', CP_COMB_CIRCUMFLEX, 0xFB},
	{'U', CP_COMB_CIRCUMFLEX, 0xDB},
};

static uint32_t trcase_compose(uint32_t base, uint32_t mark)
{
	size_t k;

	for (k = 0; k < sizeof(trcase_compose_tab) / sizeof(trcase_compose_tab[0]); k++) {
		if (trcase_compose_tab[k].base == base && trcase_compose_tab[k].mark == mark)
			return trcase_compose_tab[k].composed;
	}
	return 0;
}

static int trcase_is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

/* Reads the next code point of in at *i, composing a following combining
 * mark when trcase_compose knows the pair. -1 on malformed input. */
static int trcase_next_composed(const char *in, size_t n, size_t *i, uint32_t *cp)
{
	uint32_t mark, composed;
	int len;

	len = text_decode(in + *i, n - *i, cp);
	if (len < 0)
		return -1;
	*i += (size_t)len;
	if (*i < n) {
		len = text_decode(in + *i, n - *i, &mark);
		if (len > 0 && (composed = trcase_compose(*cp, mark)) != 0) {
			*cp = composed;
			*i += (size_t)len;
		}
	}
	return 0;
}

int trcase_name_key(const char *in, char *out, size_t outlen)
{
	size_t n, i = 0, pos = 0;
	int pending_space = 0;
	uint32_t cp;

	if (in == NULL || outlen == 0)
		return -1;
	out[0] = '\0';
	n = strlen(in);
	while (i < n) {
		if (trcase_next_composed(in, n, &i, &cp) < 0)
			return -1;
		if (text_is_space(cp)) {
			pending_space = pos > 0;
			continue;
		}
		if (trcase_is_control(cp))
			return -1;
		if (pending_space && text_encode(' ', out, outlen, &pos) < 0)
			return -1;
		pending_space = 0;
		if (text_encode(trcase_upper_cp(cp), out, outlen, &pos) < 0)
			return -1;
	}
	return 0;
}

/* Copies an upper-case key with Â->A, Î->İ, Û->U folded; out has at least
 * strlen(key) + 1 bytes (a replacement is never longer than the original). */
static void trcase_fold_circumflex(const char *key, char *out, size_t outlen)
{
	size_t n = strlen(key), i = 0, pos = 0;
	uint32_t cp;
	int len;

	out[0] = '\0';
	while (i < n) {
		len = text_decode(key + i, n - i, &cp);
		if (len < 0)
			break;
		i += (size_t)len;
		if (cp == 0xC2)
			cp = 'A';
		else if (cp == 0xCE)
			cp = 0x130;
		else if (cp == 0xDB)
			cp = 'U';
		if (text_encode(cp, out, outlen, &pos) < 0)
			break;
	}
}

static int trcase_equal(const char *a, const char *b, int loose)
{
	char ka[TRCASE_KEY_MAX], kb[TRCASE_KEY_MAX];
	char fa[TRCASE_KEY_MAX], fb[TRCASE_KEY_MAX];

	if (a == NULL || b == NULL)
		return 0;
	if (trcase_name_key(a, ka, sizeof(ka)) < 0 || trcase_name_key(b, kb, sizeof(kb)) < 0)
		return 0;
	if (!loose)
		return strcmp(ka, kb) == 0;
	trcase_fold_circumflex(ka, fa, sizeof(fa));
	trcase_fold_circumflex(kb, fb, sizeof(fb));
	return strcmp(fa, fb) == 0;
}

int trcase_name_equal(const char *a, const char *b)
{
	return trcase_equal(a, b, 0);
}

int trcase_name_equal_loose(const char *a, const char *b)
{
	return trcase_equal(a, b, 1);
}
