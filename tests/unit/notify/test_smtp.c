/* SMTP driver: header encoding, the RFC 5322 message, and delivery to a real
 * local SMTP server (tests/integration/smtp_sink.py, aiosmtpd). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <sodium.h>

#include "helpers.h"
#include "notify/outbox.h"
#include "notify/smtp.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/utf8.h"

#ifndef TEST_INTEGRATION_DIR
#error "TEST_INTEGRATION_DIR must be defined by the build"
#endif

/* Decodes every =?UTF-8?B?...?= word in a (possibly folded) header value. */
static char *decode_words(const char *v)
{
	static char out[4096];
	size_t n = 0;
	const char *p = v;
	while ((p = strstr(p, "=?UTF-8?B?")) != NULL) {
		p += 10;
		const char *e = strstr(p, "?=");
		assert_non_null(e);
		unsigned char bin[256];
		size_t blen = 0;
		assert_int_equal(sodium_base642bin(bin, sizeof bin, p, (size_t)(e - p), NULL, &blen,
						   NULL, sodium_base64_VARIANT_ORIGINAL),
				 0);
		/* Each word on its own must be whole UTF-8 (RFC 2047 section 5). */
		assert_true(utf8_valid((const char *)bin, blen));
		assert_true(n + blen < sizeof out);
		memcpy(out + n, bin, blen);
		n += blen;
		p = e + 2;
	}
	out[n] = '\0';
	return out;
}

static void test_encode_header(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
		int rc;
	} rows[] = {
		{"Merhaba", "Merhaba", 0},
		{"e-İmza başvurunuz", "=?UTF-8?B?ZS3EsG16YSBiYcWfdnVydW51eg==?=", 0},
		{"", "", 0},
		{"a\r\nBcc: x@y", "", -1},
		{"a\nb", "", -1},
		{"a\rb", "", -1},
		{"bad \xC3\x28", "", -1},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		buf b;
		buf_init(&b, 4096);
		assert_int_equal(smtp_encode_header(&b, rows[i].in), rows[i].rc);
		if (rows[i].rc == 0)
			assert_string_equal(b.data ? b.data : "", rows[i].out);
		buf_free(&b);
	}
}

/* A long Turkish subject becomes several words, each at most 75 characters,
 * on lines folded with CRLF SP, none splitting a character. */
static void test_encode_long_subject(void **state)
{
	(void)state;
	const char *subject = "Nitelikli elektronik sertifika başvurunuz kurum yetkiliniz "
			      "tarafından onaylanmıştır; ğüşıöç ĞÜŞİÖÇ çok uzun bir konu satırı";
	buf b;
	buf_init(&b, 4096);
	assert_int_equal(smtp_encode_header(&b, subject), 0);
	assert_non_null(strstr(b.data, "\r\n =?UTF-8?B?"));
	const char *line = b.data;
	while (line != NULL) {
		const char *e = strstr(line, "\r\n");
		size_t len = e ? (size_t)(e - line) : strlen(line);
		assert_true(len <= 76);
		line = e ? e + 2 : NULL;
	}
	assert_string_equal(decode_words(b.data), subject);
	buf_free(&b);
}

static void test_format_message(void **state)
{
	(void)state;
	struct notify_msg m = {
		.id = 42,
		.channel = NOTIFY_EMAIL,
		.to = "ayse@example.org",
		.subject = "Başvurunuz alındı",
		.body = "Sayın Ayşe Işık,\n\nçğıİöşü\n.\nSon",
	};
	buf b;
	buf_init(&b, 1 << 16);
	assert_int_equal(smtp_format_message(&b, &m, "e-İmza <eimza@ornek.gov.tr>", 0), 0);
	const char *expect_lines[] = {
		"Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n",
		"\r\nFrom: =?UTF-8?B?",
		" <eimza@ornek.gov.tr>\r\n",
		"\r\nTo: <ayse@example.org>\r\n",
		"\r\nSubject: =?UTF-8?B?",
		"\r\nMessage-ID: <42.",
		"@ornek.gov.tr>\r\n",
		"\r\nMIME-Version: 1.0\r\n",
		"\r\nContent-Type: text/plain; charset=UTF-8\r\n",
		"\r\nContent-Transfer-Encoding: base64\r\n",
		"\r\nAuto-Submitted: auto-generated\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof expect_lines / sizeof expect_lines[0]; i++)
		if (strstr(b.data, expect_lines[i]) == NULL)
			fail_msg("missing %s in\n%s", expect_lines[i], b.data);
	/* Every LF is part of a CRLF. */
	for (size_t i = 0; i < b.len; i++)
		if (b.data[i] == '\n')
			assert_true(i > 0 && b.data[i - 1] == '\r');
	/* The body decodes to the text with CRLF line endings. */
	const char *body = strstr(b.data, "\r\n\r\n") + 4;
	unsigned char bin[512];
	size_t blen = 0;
	assert_int_equal(sodium_base642bin(bin, sizeof bin, body, strlen(body), "\r\n", &blen, NULL,
					   sodium_base64_VARIANT_ORIGINAL),
			 0);
	bin[blen] = '\0';
	assert_string_equal((char *)bin, "Sayın Ayşe Işık,\r\n\r\nçğıİöşü\r\n.\r\nSon");
	buf_free(&b);

	/* Header injection: CR/LF anywhere in From, To or Subject is refused. */
	static const struct {
		const char *from, *to, *subject;
	} bad[] = {
		{"eimza@ornek.gov.tr\r\nBcc: x@y.org", "a@b.org", "s"},
		{"eimza@ornek.gov.tr", "a@b.org\r\nBcc: x@y.org", "s"},
		{"eimza@ornek.gov.tr", "a@b.org", "s\r\nBcc: x@y.org"},
		{"eimza@ornek.gov.tr", "a@b.org", "s\nX: y"},
		{"Ad <eimza@ornek.gov.tr", "a@b.org", "s"},
		{"eimza@ornek.gov.tr", "<a@b.org>", "s"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct notify_msg bm = {.id = 1,
					.to = bad[i].to,
					.subject = bad[i].subject,
					.body = "x"};
		buf_init(&b, 1 << 16);
		if (smtp_format_message(&b, &bm, bad[i].from, 0) != -1)
			fail_msg("bad row %zu accepted", i);
		buf_free(&b);
	}
}

/* ---- against a real SMTP server ---- */

struct fx {
	char *dir, *maildir;
	db *d;
	pid_t sink;
	int port;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char url[64], maildir[512];
	f->dir = th_tmpdir();
	snprintf(maildir, sizeof maildir, "%s/mail", f->dir);
	assert_int_equal(mkdir(maildir, 0700), 0);
	f->maildir = strdup(maildir);
	f->d = th_open_db(f->dir, "t");
	f->port = th_free_port();
	f->sink = th_start_sink(TEST_INTEGRATION_DIR "/smtp_sink.py", f->port, f->maildir, NULL);
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", f->port);
	config_set("smtp.url", url);
	config_set("smtp.starttls", "0");
	config_set("smtp.from", "e-İmza Sertifika <eimza@ornek.gov.tr>");
	config_set("outbox.max_attempts", "3");
	notify_set_dev(0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	th_stop(f->sink);
	db_close(f->d);
	th_rmtree(f->dir);
	free(f->maildir);
	free(f->dir);
	free(f);
	return 0;
}

/* Parses a received message with Python's own e-mail package (an independent
 * decoder) and returns "subject\nfrom\nto\nbody" (static). */
static char *python_parse(const char *path)
{
	static char out[4096];
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
		 "/usr/bin/python3 -c 'import sys, email, email.policy; "
		 "m = email.message_from_binary_file(open(sys.argv[1], \"rb\"), "
		 "policy=email.policy.default); "
		 "sys.stdout.buffer.write((str(m[\"subject\"]) + \"\\n\" + str(m[\"from\"]) + "
		 "\"\\n\" + str(m[\"to\"]) + \"\\n\" + "
		 "m.get_content().replace(\"\\r\\n\", \"\\n\")).encode())' '%s'",
		 path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	assert_int_equal(pclose(p), 0);
	return out;
}

static void test_smtp_delivers_turkish(void **state)
{
	struct fx *f = *state;
	char path[600];
	const char *subject = "e-İmza başvurunuz alındı: ĞÜŞİÖÇ ğüşıöç";
	const char *body = "Sayın Ayşe Çağlar Işık,\n\nBaşvurunuz alınmıştır.\n.\nŞimdi ne "
			   "olacak? Kurum yetkilinizle görüşün.";
	assert_int_equal(outbox_enqueue(f->d, NOTIFY_EMAIL, "ayse@example.org", subject, body,
					"2026-000001"),
			 0);
	int64_t id = th_last_id(f->d);
	assert_int_equal(outbox_run_once(f->d, clock_now()), 1);
	struct th_row r;
	assert_int_equal(th_row(f->d, id, &r), 0);
	if (strcmp(r.status, "sent") != 0)
		fail_msg("status %s: %s", r.status, r.last_error ? r.last_error : "");
	th_row_free(&r);

	snprintf(path, sizeof path, "%s/msg-1.eml", f->maildir);
	assert_int_equal(th_wait_file(path, 5000), 0);
	char *raw = th_read_file(path, NULL);
	assert_non_null(raw);
	assert_non_null(strstr(raw, "MIME-Version: 1.0"));
	assert_non_null(strstr(raw, "Content-Type: text/plain; charset=UTF-8"));
	assert_non_null(strstr(raw, "Message-ID: <"));
	assert_non_null(strstr(raw, "Date: "));
	assert_non_null(strstr(raw, "\r\nTo: <ayse@example.org>\r\n"));
	free(raw);

	char expect[2048];
	snprintf(expect, sizeof expect,
		 "%s\ne-İmza Sertifika <eimza@ornek.gov.tr>\nayse@example.org\n%s", subject, body);
	assert_string_equal(python_parse(path), expect);

	snprintf(path, sizeof path, "%s/msg-1.env", f->maildir);
	raw = th_read_file(path, NULL);
	assert_string_equal(raw, "eimza@ornek.gov.tr\nayse@example.org\n");
	free(raw);
}

static void test_smtp_550_is_final(void **state)
{
	struct fx *f = *state;
	assert_int_equal(
		outbox_enqueue(f->d, NOTIFY_EMAIL, "reject@example.org", "Konu", "x", NULL), 0);
	assert_int_equal(outbox_run_once(f->d, clock_now()), 1);
	struct th_row r;
	assert_int_equal(th_row(f->d, th_last_id(f->d), &r), 0);
	assert_string_equal(r.status, "failed");
	assert_non_null(strstr(r.last_error, "550"));
	th_row_free(&r);
}

static void test_smtp_down_retries(void **state)
{
	struct fx *f = *state;
	char url[64];
	th_stop(f->sink);
	f->sink = 0;
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", f->port);
	config_set("smtp.url", url);
	assert_int_equal(outbox_enqueue(f->d, NOTIFY_EMAIL, "ayse@example.org", "Konu", "x", NULL),
			 0);
	int64_t now = clock_now();
	assert_int_equal(outbox_run_once(f->d, now), 1);
	struct th_row r;
	assert_int_equal(th_row(f->d, th_last_id(f->d), &r), 0);
	assert_string_equal(r.status, "pending");
	assert_non_null(strstr(r.last_error, "SMTP hatası"));
	assert_in_range(r.next_attempt_at, now + 30, now + 33);
	th_row_free(&r);

	/* The server comes back: the retry delivers. */
	f->sink = th_start_sink(TEST_INTEGRATION_DIR "/smtp_sink.py", f->port, f->maildir, NULL);
	assert_int_equal(outbox_run_once(f->d, now + 40), 1);
	assert_int_equal(th_count(f->d, "sent"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_header),
		cmocka_unit_test(test_encode_long_subject),
		cmocka_unit_test(test_format_message),
		cmocka_unit_test_setup_teardown(test_smtp_delivers_turkish, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smtp_550_is_final, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smtp_down_retries, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
