/* The application form PDF: a real PDF whose text (pdftotext) has the
 * applicant's Turkish name exactly, the number, every field and the
 * guide's instructions; two pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "doc/formdata.h"
#include "doc/pdf.h"
#include "sample.h"

extern char **environ;

/* Runs argv (absolute path) and waits for it; its exit status or -1. */
static int run(char *const argv[])
{
	pid_t pid;
	int st;
	if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) != 0)
		return -1;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	buf b;
	buf_init(&b, 1 << 22);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		assert_int_equal(buf_append(&b, chunk, n), 0);
	fclose(f);
	return buf_detach(&b, NULL);
}

/* The text of the PDF in `pdf`, with every run of white space (line breaks
 * from wrapping included) as one space, except form feeds between pages,
 * which are kept. Caller frees. */
static char *pdf_text(const buf *pdf)
{
	char dir[] = "/tmp/eimza-pdf-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char in[64], out[64];
	snprintf(in, sizeof in, "%s/form.pdf", dir);
	snprintf(out, sizeof out, "%s/form.txt", dir);
	FILE *f = fopen(in, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(pdf->data, 1, pdf->len, f), pdf->len);
	assert_int_equal(fclose(f), 0);
	char *argv[] = {"/usr/bin/pdftotext", "-enc", "UTF-8", in, out, NULL};
	assert_int_equal(run(argv), 0);
	char *raw = read_all(out);
	unlink(in);
	unlink(out);
	rmdir(dir);
	size_t j = 0;
	for (size_t i = 0; raw[i] != '\0'; i++) {
		int space = raw[i] == ' ' || raw[i] == '\n' || raw[i] == '\r' || raw[i] == '\t';
		if (space && (j == 0 || raw[j - 1] == ' ' || raw[j - 1] == '\f'))
			continue;
		raw[j++] = space ? ' ' : raw[i];
	}
	raw[j] = '\0';
	return raw;
}

static const char *const expected[] = {
	"e-İmza Nitelikli Elektronik Sertifika Başvuru Formu",
	"e-İmza Nitelikli Elektronik Sertifika Hizmet Sağlayıcısı",
	"2025-004217",
	"14.03.2025",
	"Ayşe Gülçin",
	"Yılmaz Öztürk",
	"İstanbul",
	"Zonguldak Ereğli Şehit Öğretmen İlkokulu",
	"Müdür Yardımcılığı",
	"Müftü Mah. Çağlayan Sok. No: 12, Kdz. Ereğli",
	"0372 316 11 22 (Dahili: 214)",
	"ayse.yilmaz@example.org",
	"E-posta + SMS",
	"mavi tükenmez kalem",
	"DYS dışı",
	"iadeli taahhütlü",
	"e-İmza Sertifika Hizmetleri, PK 74, 41470 Gebze / Kocaeli",
	"Başvuru Sahibinin İmzası",
	"Sertifika Sahibi Taahhütnamesi",
	"Sertifika Sahibinin İmzası",
	"Elektronik İmza Kanununun 5. maddesi",
	"10000000146",
};

static void test_form_text(void **state)
{
	(void)state;
	struct pdf_application a = sample_application();
	buf pdf;
	buf_init(&pdf, 4 << 20);
	assert_int_equal(pdf_application_form(&a, &pdf), 0);
	assert_memory_equal(pdf.data, "%PDF-", 5);
	char *text = pdf_text(&pdf);
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
		if (strstr(text, expected[i]) == NULL)
			fail_msg("pdftotext lacks \"%s\" in:\n%s", expected[i], text);
	/* Every label of the shared field table is printed. */
	struct formdata_row rows[FORMDATA_MAX_ROWS];
	size_t n = formdata_rows(&a, rows);
	for (size_t i = 0; i < n; i++)
		if (strstr(text, rows[i].label) == NULL)
			fail_msg("pdftotext lacks the label \"%s\"", rows[i].label);
	/* Two pages (pdftotext ends each with a form feed): the form, then
	 * the undertaking. */
	char *ff = strchr(text, '\f');
	assert_non_null(ff);
	char *ff2 = strchr(ff + 1, '\f');
	assert_non_null(ff2);
	assert_string_equal(ff2 + 1, "");
	assert_non_null(strstr(text, "Başvuru Sahibinin İmzası"));
	assert_true(strstr(text, "Başvuru Sahibinin İmzası") < ff);
	assert_null(strstr(ff, "Başvuru Sahibinin İmzası"));
	assert_non_null(strstr(ff, "Sertifika Sahibi Taahhütnamesi"));
	assert_non_null(strstr(ff, "Ayşe Gülçin Yılmaz Öztürk"));
	free(text);
	buf_free(&pdf);
}

/* Missing, overlong and control-character values still give a readable
 * PDF; invalid UTF-8 is refused. */
static void test_edges(void **state)
{
	(void)state;
	buf pdf;
	struct pdf_application empty = {0};
	buf_init(&pdf, 4 << 20);
	assert_int_equal(pdf_application_form(&empty, &pdf), 0);
	assert_memory_equal(pdf.data, "%PDF-", 5);
	buf_free(&pdf);

	struct pdf_application a = sample_application();
	char longaddr[3001];
	for (size_t i = 0; i < sizeof longaddr - 1; i++)
		longaddr[i] = (char)('a' + (int)(i % 26));
	longaddr[sizeof longaddr - 1] = '\0';
	a.field[FF_ADRES] = longaddr;
	a.field[FF_UNVAN] = "<script>alert(1)</script>\n\t'; DROP TABLE x;--";
	buf_init(&pdf, 4 << 20);
	assert_int_equal(pdf_application_form(&a, &pdf), 0);
	char *text = pdf_text(&pdf);
	assert_non_null(strstr(text, "<script>alert(1)</script> '; DROP TABLE x;--"));
	assert_non_null(strstr(text, "Sertifika Sahibi Taahhütnamesi"));
	free(text);
	buf_free(&pdf);

	a = sample_application();
	a.first_name = "Ay\xc5";
	buf_init(&pdf, 4 << 20);
	assert_int_equal(pdf_application_form(&a, &pdf), -1);
	assert_int_equal(pdf_application_form(NULL, &pdf), -1);
	buf_free(&pdf);
	a = sample_application();
	buf_init(&pdf, 1000); /* too small */
	assert_int_equal(pdf_application_form(&a, &pdf), -1);
	buf_free(&pdf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_text),
		cmocka_unit_test(test_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
