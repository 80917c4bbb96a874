/* CAPTCHA text, image and check. */
#include <cairo.h>
#include <math.h>
#include <sodium.h>
#include <string.h>

#include "doc/captcha.h"
#include "util/log.h"
#include "util/secret.h"

/* Longest text captcha_check and captcha_render_png accept. */
#define CAPTCHA_MAX 15
#define TWO_PI 6.283185307179586

const char captcha_alphabet[] = "ACDEFHJKLMNPRTUVWXY34679";

int captcha_new_text(char out[8])
{
	if (sodium_init() < 0)
		return -1;
	uint32_t n = (uint32_t)(sizeof captcha_alphabet - 1);
	for (int i = 0; i < CAPTCHA_LEN; i++)
		out[i] = captcha_alphabet[randombytes_uniform(n)];
	out[CAPTCHA_LEN] = '\0';
	return 0;
}

/* A uniformly random double in [lo, hi]. */
static double rnd(double lo, double hi)
{
	return lo + (hi - lo) * (double)randombytes_uniform(10001) / 10000.0;
}

static cairo_status_t write_to_buf(void *closure, const unsigned char *data, unsigned int length)
{
	return buf_append(closure, data, length) == 0 ? CAIRO_STATUS_SUCCESS
						      : CAIRO_STATUS_WRITE_ERROR;
}

static void draw_background(cairo_t *cr)
{
	cairo_set_source_rgb(cr, rnd(0.90, 0.98), rnd(0.90, 0.98), rnd(0.90, 0.98));
	cairo_paint(cr);
	/* A few faint blobs so the background is not one flat colour. */
	for (int i = 0; i < 6; i++) {
		cairo_set_source_rgba(cr, rnd(0.6, 0.9), rnd(0.6, 0.9), rnd(0.6, 0.9), 0.25);
		cairo_arc(cr, rnd(0, CAPTCHA_WIDTH), rnd(0, CAPTCHA_HEIGHT), rnd(8, 24), 0, TWO_PI);
		cairo_fill(cr);
	}
}

static void draw_noise(cairo_t *cr, int dots)
{
	for (int i = 0; i < dots; i++) {
		cairo_set_source_rgba(cr, rnd(0.1, 0.7), rnd(0.1, 0.7), rnd(0.1, 0.7),
				      rnd(0.3, 0.8));
		double s = rnd(1.0, 2.2);
		cairo_rectangle(cr, rnd(0, CAPTCHA_WIDTH), rnd(0, CAPTCHA_HEIGHT), s, s);
		cairo_fill(cr);
	}
}

static void draw_chars(cairo_t *cr, const char *text, size_t n)
{
	double slot = (CAPTCHA_WIDTH - 20.0) / (double)n;
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	for (size_t i = 0; i < n; i++) {
		char ch[2] = {text[i], '\0'};
		cairo_text_extents_t ext;
		cairo_save(cr);
		cairo_set_font_size(cr, rnd(30, 40));
		cairo_text_extents(cr, ch, &ext);
		double cx = 10.0 + slot * ((double)i + 0.5) + rnd(-3, 3);
		double cy = CAPTCHA_HEIGHT / 2.0 + rnd(-5, 5);
		cairo_translate(cr, cx, cy);
		cairo_rotate(cr, rnd(-0.45, 0.45));
		cairo_set_source_rgb(cr, rnd(0.05, 0.45), rnd(0.05, 0.45), rnd(0.05, 0.45));
		cairo_move_to(cr, -ext.x_bearing - ext.width / 2, -ext.y_bearing - ext.height / 2);
		cairo_show_text(cr, ch);
		cairo_restore(cr);
	}
}

/* A sine-like line across the whole image, through the text band. */
static void draw_wave(cairo_t *cr)
{
	double amp = rnd(5, 12), period = rnd(50, 110), phase = rnd(0, TWO_PI);
	double base = CAPTCHA_HEIGHT / 2.0 + rnd(-10, 10);
	cairo_set_source_rgba(cr, rnd(0.1, 0.5), rnd(0.1, 0.5), rnd(0.1, 0.5), 0.8);
	cairo_set_line_width(cr, rnd(1.5, 2.5));
	for (int x = 0; x <= CAPTCHA_WIDTH; x += 4) {
		double y = base + amp * sin(TWO_PI * x / period + phase);
		if (x == 0)
			cairo_move_to(cr, x, y);
		else
			cairo_line_to(cr, x, y);
	}
	cairo_stroke(cr);
}

int captcha_render_png(const char *text, buf *out)
{
	int rc = -1;
	cairo_surface_t *s = NULL;
	cairo_t *cr = NULL;
	size_t n = text != NULL ? strlen(text) : 0;
	if (n == 0 || n > CAPTCHA_MAX || out == NULL || sodium_init() < 0)
		goto out;
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, CAPTCHA_WIDTH, CAPTCHA_HEIGHT);
	cr = cairo_create(s);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		log_error("captcha: cairo_create: %s", cairo_status_to_string(cairo_status(cr)));
		goto out;
	}
	draw_background(cr);
	draw_noise(cr, 120);
	draw_chars(cr, text, n);
	draw_wave(cr);
	draw_wave(cr);
	draw_noise(cr, 180);
	cairo_surface_flush(s);
	cairo_status_t st = cairo_surface_write_to_png_stream(s, write_to_buf, out);
	if (st != CAIRO_STATUS_SUCCESS) {
		log_error("captcha: write_to_png_stream: %s", cairo_status_to_string(st));
		goto out;
	}
	rc = 0;
out:
	if (cr != NULL)
		cairo_destroy(cr);
	if (s != NULL)
		cairo_surface_destroy(s);
	return rc;
}

/* Copies s without surrounding ASCII white space, upper-cased, into
 * dst[CAPTCHA_MAX + 1] (zero-padded). Returns the length, or -1 if longer
 * than CAPTCHA_MAX. */
static int normalize(const char *s, char dst[CAPTCHA_MAX + 1])
{
	memset(dst, 0, CAPTCHA_MAX + 1);
	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || (s[n - 1] >= '\t' && s[n - 1] <= '\r')))
		n--;
	if (n > CAPTCHA_MAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		dst[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];
	return (int)n;
}

int captcha_check(const char *expected, const char *given)
{
	char e[CAPTCHA_MAX + 1], g[CAPTCHA_MAX + 1];
	int ok = 0;
	if (expected == NULL || given == NULL)
		goto out;
	int ne = normalize(expected, e), ng = normalize(given, g);
	int same = sodium_memcmp(e, g, sizeof e) == 0;
	ok = ne > 0 && ne == ng && same;
out:
	sodium_memzero(e, sizeof e);
	sodium_memzero(g, sizeof g);
	return ok;
}

int captcha_hash(const char *text, char out[65])
{
	char t[CAPTCHA_MAX + 1];
	int n = text != NULL ? normalize(text, t) : -1;
	int rc = n > 0 ? secret_keyed_hash_hex(SECRET_CAPTCHA, t, (size_t)n, out) : -1;
	sodium_memzero(t, sizeof t);
	return rc;
}

int captcha_check_hash(const char *stored, const char *given)
{
	char h[65];
	if (stored == NULL || strlen(stored) != 64 || captcha_hash(given, h) != 0)
		return 0;
	return sodium_memcmp(h, stored, 64) == 0;
}
