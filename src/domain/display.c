/* Display forms of stored values for the staff console
 * (domain/display.h). */
#include "domain/display.h"

#include <stdio.h>
#include <string.h>

static void copy(const char *in, char *out, size_t outlen)
{
	if (outlen == 0)
		return;
	snprintf(out, outlen, "%s", in ? in : "");
}

/* The 10 national digits of a Turkish number, or -1. Spaces, dashes,
 * dots and brackets are ignored. */
static int national_digits(const char *in, char d[11])
{
	char all[24];
	size_t n = 0;
	for (const char *p = in; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n + 1 >= sizeof all)
				return -1;
			all[n++] = *p;
		} else if (!strchr(" -.()+", *p)) {
			return -1;
		}
	}
	all[n] = '\0';
	const char *s = all;
	if (n == 12 && strncmp(all, "90", 2) == 0)
		s = all + 2;
	else if (n == 11 && all[0] == '0')
		s = all + 1;
	else if (n != 10)
		return -1;
	if (s[0] == '0')
		return -1;
	memcpy(d, s, 11);
	return 0;
}

void display_phone(const char *in, char *out, size_t outlen)
{
	char d[11];
	if (in == NULL || national_digits(in, d) != 0) {
		copy(in, out, outlen);
		return;
	}
	char grouped[16];
	snprintf(grouped, sizeof grouped, "0%.3s %.3s %.2s %.2s", d, d + 3, d + 6, d + 8);
	copy(grouped, out, outlen);
}

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

void display_date(const char *in, char *out, size_t outlen)
{
	if (in == NULL || strlen(in) != 10 || in[4] != '-' || in[7] != '-') {
		copy(in, out, outlen);
		return;
	}
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !digit(in[i])) {
			copy(in, out, outlen);
			return;
		}
	char tr[11];
	snprintf(tr, sizeof tr, "%.2s.%.2s.%.4s", in + 8, in + 5, in);
	copy(tr, out, outlen);
}

static const struct {
	const char *prefix; /* with the colon, or a whole actor name */
	const char *label;  /* what the prefix means */
	int name_first;	    /* "ali (Kurum Yetkilisi)"; else "Başvuru sahibi (...)" */
	int label_only;	    /* the text after the prefix is not shown */
} actors[] = {
	{"basvuru:giris", "Başvuru girişi", 0, 1},
	{"bireysel:giris", "NES Bireysel girişi", 0, 1},
	{"konsol:giris", "Konsol girişi", 0, 1},
	{"kurye:", "Kurye servisi", 0, 1},
	{"sistem:", "Sistem", 0, 1},
	{"yetkili:", "Kurum Yetkilisi", 1, 0},
	{"operator:", "SM Operatörü", 1, 0},
	{"admin:", "Yönetici", 1, 0},
	{"basvuru:", "Başvuru sahibi", 0, 0},
	{"bireysel:", "Sertifika sahibi", 0, 0},
	{"cli:", "Komut satırı", 0, 0},
};

void display_actor(const char *actor, char *out, size_t outlen)
{
	if (actor == NULL || outlen == 0) {
		copy(actor, out, outlen);
		return;
	}
	for (size_t i = 0; i < sizeof actors / sizeof actors[0]; i++) {
		size_t n = strlen(actors[i].prefix);
		int exact = actors[i].prefix[n - 1] != ':';
		if (exact ? strcmp(actor, actors[i].prefix) != 0
			  : strncmp(actor, actors[i].prefix, n) != 0)
			continue;
		const char *rest = actor + n;
		if (actors[i].label_only)
			copy(actors[i].label, out, outlen);
		else if (actors[i].name_first)
			snprintf(out, outlen, "%s (%s)", rest, actors[i].label);
		else
			snprintf(out, outlen, "%s (%s)", actors[i].label, rest);
		return;
	}
	copy(actor, out, outlen);
}
