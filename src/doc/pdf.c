/* The Islak İmzalı Başvuru PDF: Başvuru Formu and Taahhütname. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#include "doc/formdata.h"
#include "doc/pdf.h"
#include "util/log.h"

#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.890
#define MARGIN 36.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - MARGIN - 16.0) /* content stops above the footer */
#define QR_SIZE 92.0
#define LABEL_W 150.0

#define FONT "DejaVu Sans 9"
#define FONT_B "DejaVu Sans Bold 9"
#define FONT_SMALL "DejaVu Sans 8"
#define FONT_TEXT "DejaVu Sans 9.5"
#define FONT_HEAD "DejaVu Sans Bold 10"
#define FONT_TITLE "DejaVu Sans Bold 13.5"
#define FONT_NUMBER "DejaVu Sans Bold 22"

struct pdf {
	cairo_t *cr;
	PangoLayout *lay;
	const struct pdf_application *a;
	double y;
	buf tmp; /* the cleaned text of the current layout */
};

static cairo_status_t write_to_buf(void *closure, const unsigned char *data, unsigned int length)
{
	return buf_append(closure, data, length) == 0 ? CAIRO_STATUS_SUCCESS
						      : CAIRO_STATUS_WRITE_ERROR;
}

/* Lays s out in `font` wrapped to `width` points; returns its height. */
static double layout_text(struct pdf *p, const char *font, double width, const char *s,
			  PangoAlignment align)
{
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(p->lay, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(p->lay, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(p->lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(p->lay, align);
	buf_reset(&p->tmp);
	formdata_append_clean(&p->tmp, s);
	pango_layout_set_text(p->lay, p->tmp.data != NULL ? p->tmp.data : "", -1);
	int w, h;
	pango_layout_get_size(p->lay, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* Draws s with its top-left corner at (x, y) in grey level `grey`;
 * returns its height. */
static double text_at(struct pdf *p, double x, double y, double width, const char *font,
		      const char *s, double grey)
{
	double h = layout_text(p, font, width, s, PANGO_ALIGN_LEFT);
	cairo_set_source_rgb(p->cr, grey, grey, grey);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, p->lay);
	return h;
}

static void centered_at(struct pdf *p, double x, double y, double width, const char *font,
			const char *s, double grey)
{
	layout_text(p, font, width, s, PANGO_ALIGN_CENTER);
	cairo_set_source_rgb(p->cr, grey, grey, grey);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, p->lay);
}

static void hline(struct pdf *p, double y, double grey, double width)
{
	cairo_set_source_rgb(p->cr, grey, grey, grey);
	cairo_set_line_width(p->cr, width);
	cairo_move_to(p->cr, MARGIN, y);
	cairo_line_to(p->cr, PAGE_W - MARGIN, y);
	cairo_stroke(p->cr);
}

static void footer(struct pdf *p, const char *doc_title)
{
	buf b;
	buf_init(&b, 4096);
	buf_printf(&b, "%s · Başvuru No: ", doc_title);
	formdata_append_clean(&b, p->a->app_number);
	hline(p, PAGE_H - MARGIN - 10, 0.75, 0.5);
	centered_at(p, MARGIN, PAGE_H - MARGIN - 6, CONTENT_W, FONT_SMALL,
		    b.data != NULL ? b.data : "", 0.35);
	buf_free(&b);
}

/* Starts a new page if h more points do not fit on this one. */
static void need(struct pdf *p, double h, const char *doc_title)
{
	if (p->y + h <= BOTTOM)
		return;
	footer(p, doc_title);
	cairo_show_page(p->cr);
	p->y = MARGIN;
}

/* The QR code of s, quiet zone included, as a size x size square. */
static int draw_qr(struct pdf *p, double x, double y, double size, const char *s)
{
	QRcode *qr = QRcode_encodeString(s, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL) {
		log_error("pdf: QRcode_encodeString failed");
		return -1;
	}
	int quiet = 4, n = qr->width + 2 * quiet;
	double m = size / n;
	cairo_set_source_rgb(p->cr, 1, 1, 1);
	cairo_rectangle(p->cr, x, y, size, size);
	cairo_fill(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	for (int r = 0; r < qr->width; r++)
		for (int c = 0; c < qr->width; c++)
			if (qr->data[r * qr->width + c] & 1)
				cairo_rectangle(p->cr, x + (c + quiet) * m, y + (r + quiet) * m,
						m + 0.02, m + 0.02);
	cairo_fill(p->cr);
	QRcode_free(qr);
	return 0;
}

static int form_header(struct pdf *p)
{
	const struct pdf_application *a = p->a;
	double w = CONTENT_W - QR_SIZE - 10, y = MARGIN;
	y += text_at(p, MARGIN, y, w, FONT_B, a->ca_name, 0.35) + 4;
	y += text_at(p, MARGIN, y, w, FONT_TITLE, formdata_form_title, 0) + 8;
	y += text_at(p, MARGIN, y, w, FONT, "Başvuru No", 0.35);
	y += text_at(p, MARGIN, y, w, FONT_NUMBER, a->app_number, 0) + 2;
	buf b;
	buf_init(&b, 4096);
	buf_puts(&b, "Başvuru Tarihi: ");
	formdata_append_clean(&b, a->created);
	y += text_at(p, MARGIN, y, w, FONT_TEXT, b.data, 0);
	buf_free(&b);
	if (draw_qr(p, PAGE_W - MARGIN - QR_SIZE, MARGIN - 4, QR_SIZE,
		    formdata_value(a->app_number)) != 0)
		return -1;
	p->y = fmax(y, MARGIN + QR_SIZE - 4) + 8;
	hline(p, p->y, 0, 1.2);
	p->y += 8;
	return 0;
}

static void section_heading(struct pdf *p, const char *title, const char *doc_title)
{
	need(p, 40, doc_title);
	p->y += 3;
	cairo_set_source_rgb(p->cr, 0.88, 0.91, 0.95);
	cairo_rectangle(p->cr, MARGIN, p->y, CONTENT_W, 17);
	cairo_fill(p->cr);
	text_at(p, MARGIN + 6, p->y + 2.5, CONTENT_W - 12, FONT_HEAD, title, 0.1);
	p->y += 17;
}

static void field_row(struct pdf *p, const char *label, const char *value, const char *doc_title)
{
	double vx = MARGIN + LABEL_W + 8, vw = CONTENT_W - LABEL_W - 14;
	double h = fmax(layout_text(p, FONT, vw, value, PANGO_ALIGN_LEFT),
			layout_text(p, FONT_B, LABEL_W - 6, label, PANGO_ALIGN_LEFT)) +
		   4.5;
	need(p, h, doc_title);
	text_at(p, MARGIN + 6, p->y + 2.25, LABEL_W - 6, FONT_B, label, 0.2);
	text_at(p, vx, p->y + 2.25, vw, FONT, value, 0);
	p->y += h;
	hline(p, p->y, 0.82, 0.5);
}

static void form_fields(struct pdf *p)
{
	struct formdata_row rows[FORMDATA_MAX_ROWS];
	size_t n = formdata_rows(p->a, rows);
	for (size_t i = 0; i < n; i++) {
		if (rows[i].section != NULL)
			section_heading(p, rows[i].section, formdata_form_title);
		field_row(p, rows[i].label, rows[i].value, formdata_form_title);
	}
}

/* The guide's Islak İmzalı Başvuru steps for this application; the text
 * goes into b, one step per NUL-separated string, count returned. */
static int instruction_steps(const struct pdf_application *a, buf *b, const char *steps[4])
{
	size_t off[4];
	off[0] = b->len;
	buf_puts(b, "Bu formu ve ikinci sayfadaki Sertifika Sahibi Taahhütnamesini yazıcıdan "
		    "çıkarınız; her iki sayfayı mavi tükenmez kalem ile imzalayınız.");
	buf_putc(b, '\0');
	off[1] = b->len;
	buf_puts(b, "İmzalı evrak, görev yaptığınız okul veya kurum tarafından DYS'den ");
	formdata_append_clean(b, a->ca_name);
	buf_puts(b, " adına yazılan resmi bir üst yazı ile gönderilir. Resmi yazının DYS'de "
		    "Dağıtım Listesi \"DYS dışı\" seçilmelidir.");
	buf_putc(b, '\0');
	off[2] = b->len;
	buf_puts(b, "Resmi yazı ve imzalı evrak iadeli taahhütlü posta ile şu adrese "
		    "gönderilir: ");
	formdata_append_clean(b, a->postal_address);
	buf_putc(b, '\0');
	off[3] = b->len;
	buf_puts(b, "Başvurunuz, evrak Sertifika Hizmet Sağlayıcısına ulaştığında ve kurum "
		    "yetkiliniz onay verdiğinde işleme alınır. Yazışmalarda Başvuru No'yu "
		    "belirtiniz.");
	buf_putc(b, '\0');
	if (b->err)
		return -1;
	for (int i = 0; i < 4; i++)
		steps[i] = b->data + off[i];
	return 4;
}

static int instructions(struct pdf *p)
{
	const char *title = "Islak İmzalı Başvuru: Gönderim Talimatı";
	const char *steps[4];
	buf b;
	buf_init(&b, 1 << 16);
	int n = instruction_steps(p->a, &b, steps);
	if (n < 0) {
		buf_free(&b);
		return -1;
	}
	double tw = CONTENT_W - 34, h = 26;
	for (int i = 0; i < n; i++)
		h += layout_text(p, FONT, tw, steps[i], PANGO_ALIGN_LEFT) + 3;
	p->y += 8;
	need(p, h, formdata_form_title);
	cairo_set_source_rgb(p->cr, 0.96, 0.97, 1.0);
	cairo_rectangle(p->cr, MARGIN, p->y, CONTENT_W, h);
	cairo_fill_preserve(p->cr);
	cairo_set_source_rgb(p->cr, 0.35, 0.45, 0.65);
	cairo_set_line_width(p->cr, 0.8);
	cairo_stroke(p->cr);
	double y = p->y + 6;
	y += text_at(p, MARGIN + 8, y, CONTENT_W - 16, FONT_HEAD, title, 0.1) + 4;
	for (int i = 0; i < n; i++) {
		char num[16];
		snprintf(num, sizeof num, "%d.", i + 1);
		text_at(p, MARGIN + 10, y, 16, FONT_B, num, 0);
		y += text_at(p, MARGIN + 26, y, tw, FONT, steps[i], 0) + 3;
	}
	p->y += h;
	buf_free(&b);
	return 0;
}

/* A box with a caption, the holder's name, a date line and room to sign. */
static void signature_box(struct pdf *p, const char *caption, const char *doc_title)
{
	const double h = 80, half = CONTENT_W / 2;
	p->y += 10;
	need(p, h, doc_title);
	double y = p->y;
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_set_line_width(p->cr, 0.8);
	cairo_rectangle(p->cr, MARGIN, y, CONTENT_W, h);
	cairo_stroke(p->cr);
	text_at(p, MARGIN + 8, y + 6, CONTENT_W - 16, FONT_HEAD, caption, 0);
	buf b;
	buf_init(&b, 4096);
	buf_puts(&b, "Adı Soyadı: ");
	formdata_append_clean(&b, p->a->first_name);
	buf_putc(&b, ' ');
	formdata_append_clean(&b, p->a->last_name);
	text_at(p, MARGIN + 8, y + 28, half - 16, FONT_TEXT, b.data, 0);
	buf_free(&b);
	text_at(p, MARGIN + 8, y + 50, half - 16, FONT_TEXT, "Tarih: ....../....../..........", 0);
	cairo_set_source_rgb(p->cr, 0.6, 0.6, 0.6);
	cairo_set_line_width(p->cr, 0.5);
	cairo_move_to(p->cr, MARGIN + half + 10, y + h - 18);
	cairo_line_to(p->cr, PAGE_W - MARGIN - 10, y + h - 18);
	cairo_stroke(p->cr);
	centered_at(p, MARGIN + half, y + h - 15, half, FONT_SMALL, "İmza", 0.35);
	p->y += h;
}

static int page_form(struct pdf *p)
{
	if (form_header(p) != 0)
		return -1;
	form_fields(p);
	if (instructions(p) != 0)
		return -1;
	signature_box(p, "Başvuru Sahibinin İmzası", formdata_form_title);
	footer(p, formdata_form_title);
	cairo_show_page(p->cr);
	return 0;
}

static void undertaking_header(struct pdf *p)
{
	const char *t = formdata_undertaking_title;
	p->y = MARGIN;
	p->y += text_at(p, MARGIN, p->y, CONTENT_W, FONT_B, p->a->ca_name, 0.35) + 4;
	p->y += text_at(p, MARGIN, p->y, CONTENT_W, FONT_TITLE, t, 0) + 8;
	hline(p, p->y, 0, 1.2);
	p->y += 6;
	section_heading(p, "Sertifika Sahibi", t);
	buf name;
	buf_init(&name, 4096);
	formdata_append_clean(&name, p->a->first_name);
	buf_putc(&name, ' ');
	formdata_append_clean(&name, p->a->last_name);
	field_row(p, "Adı Soyadı", name.data, t);
	buf_free(&name);
	field_row(p, "T.C. Kimlik No", formdata_value(p->a->tckn), t);
	field_row(p, "Başvuru No", formdata_value(p->a->app_number), t);
	field_row(p, "Başvuru Tarihi", formdata_value(p->a->created), t);
	p->y += 12;
}

static void undertaking_body(struct pdf *p)
{
	const char *t = formdata_undertaking_title;
	double tw = CONTENT_W - 22;
	double h = layout_text(p, FONT_TEXT, CONTENT_W, formdata_undertaking_intro,
			       PANGO_ALIGN_LEFT);
	need(p, h, t);
	p->y += text_at(p, MARGIN, p->y, CONTENT_W, FONT_TEXT, formdata_undertaking_intro, 0) + 8;
	for (int i = 0; formdata_undertaking_items[i] != NULL; i++) {
		const char *item = formdata_undertaking_items[i];
		char num[16];
		snprintf(num, sizeof num, "%d.", i + 1);
		h = layout_text(p, FONT_TEXT, tw, item, PANGO_ALIGN_LEFT);
		need(p, h, t);
		text_at(p, MARGIN + 2, p->y, 20, FONT_B, num, 0);
		p->y += text_at(p, MARGIN + 22, p->y, tw, FONT_TEXT, item, 0) + 6;
	}
	h = layout_text(p, FONT_TEXT, CONTENT_W, formdata_undertaking_closing, PANGO_ALIGN_LEFT);
	need(p, h, t);
	p->y += text_at(p, MARGIN, p->y + 2, CONTENT_W, FONT_TEXT, formdata_undertaking_closing,
			0) +
		4;
}

static void page_undertaking(struct pdf *p)
{
	undertaking_header(p);
	undertaking_body(p);
	signature_box(p, "Sertifika Sahibinin İmzası", formdata_undertaking_title);
	footer(p, formdata_undertaking_title);
	cairo_show_page(p->cr);
}

/* Text metrics for print: 72 dpi (1 pt = 1 unit) and no hinted metrics. */
static void setup_layout(struct pdf *p)
{
	PangoContext *ctx = pango_layout_get_context(p->lay);
	pango_cairo_context_set_resolution(ctx, 72.0);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	pango_layout_context_changed(p->lay);
}

static void set_metadata(cairo_surface_t *s, const struct pdf_application *a)
{
	buf t;
	buf_init(&t, 4096);
	buf_printf(&t, "%s - ", formdata_form_title);
	formdata_append_clean(&t, a->app_number);
	if (!t.err)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, t.data);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, formdata_value(a->ca_name));
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, formdata_value(a->ca_name));
	buf_free(&t);
}

int pdf_application_form(const struct pdf_application *a, buf *out)
{
	int rc = -1;
	struct pdf p = {.a = a};
	cairo_surface_t *s = NULL;
	buf_init(&p.tmp, 1 << 16);
	if (a == NULL || out == NULL || !formdata_valid(a))
		goto out;
	s = cairo_pdf_surface_create_for_stream(write_to_buf, out, PAGE_W, PAGE_H);
	p.cr = cairo_create(s);
	if (cairo_status(p.cr) != CAIRO_STATUS_SUCCESS) {
		log_error("pdf: cairo_create: %s", cairo_status_to_string(cairo_status(p.cr)));
		goto out;
	}
	set_metadata(s, a);
	p.lay = pango_cairo_create_layout(p.cr);
	setup_layout(&p);
	if (page_form(&p) != 0)
		goto out;
	page_undertaking(&p);
	if (cairo_status(p.cr) != CAIRO_STATUS_SUCCESS) {
		log_error("pdf: drawing: %s", cairo_status_to_string(cairo_status(p.cr)));
		goto out;
	}
	cairo_surface_finish(s);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS || out->err) {
		log_error("pdf: finish: %s", cairo_status_to_string(cairo_surface_status(s)));
		goto out;
	}
	rc = 0;
out:
	if (p.lay != NULL)
		g_object_unref(p.lay);
	if (p.cr != NULL)
		cairo_destroy(p.cr);
	if (s != NULL)
		cairo_surface_destroy(s);
	buf_free(&p.tmp);
	return rc;
}
