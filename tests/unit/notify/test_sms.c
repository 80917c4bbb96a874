/* SMS driver: the Kannel-style URL template, and delivery to a local HTTP
 * gateway (tests/integration/sms_sink.py) that answers 202 or 500. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "notify/outbox.h"
#include "notify/idem.h"
#include "notify/sms.h"
#include "util/clock.h"
#include "util/config.h"

#ifndef TEST_INTEGRATION_DIR
#error "TEST_INTEGRATION_DIR must be defined by the build"
#endif

static void test_build_url(void **state)
{
	(void)state;
	static const struct {
		const char *tmpl, *number, *text, *out;
	} rows[] = {
		{"http://gw/send?to=%P&text=%a", "+905321234567", "Kod: 123456",
		 "http://gw/send?to=%2B905321234567&text=Kod%3A%20123456"},
		{"http://gw/s?t=%a", "+905321234567", "çğıİöşü",
		 "http://gw/s?t=%C3%A7%C4%9F%C4%B1%C4%B0%C3%B6%C5%9F%C3%BC"},
		{"http://gw/s?t=%a", "+905321234567", "a&b=c#d?e/f+g",
		 "http://gw/s?t=a%26b%3Dc%23d%3Fe%2Ff%2Bg"},
		{"http://gw/s?x=100%%&t=%a&y=%z", "+905321234567", "-._~",
		 "http://gw/s?x=100%&t=-._~&y=%z"},
		{"http://gw/s?p=%P%P", "+905001112233", "",
		 "http://gw/s?p=%2B905001112233%2B905001112233"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		buf b;
		buf_init(&b, 4096);
		assert_int_equal(
			sms_build_url(&b, rows[i].tmpl, rows[i].number, rows[i].text, NULL), 0);
		assert_string_equal(b.data, rows[i].out);
		buf_free(&b);
	}
	/* Over the ceiling is an error, not a truncated URL. */
	buf b;
	buf_init(&b, 16);
	assert_int_equal(sms_build_url(&b, "http://gw/s?t=%a", "+905321234567",
				       "a long text that will not fit", NULL),
			 -1);
	buf_free(&b);
	/* %I: the idempotency key, the same for every attempt at a message. */
	char k1[NOTIFY_IDEM_KEY_LEN + 1], k2[NOTIFY_IDEM_KEY_LEN + 1], k3[NOTIFY_IDEM_KEY_LEN + 1];
	notify_idempotency_key(42, k1);
	notify_idempotency_key(42, k2);
	notify_idempotency_key(43, k3);
	assert_string_equal(k1, k2);
	assert_string_not_equal(k1, k3);
	assert_int_equal(strlen(k1), NOTIFY_IDEM_KEY_LEN);
	buf_init(&b, 1024);
	assert_int_equal(sms_build_url(&b, "http://gw/s?to=%P&id=%I", "+905321234567", "x", k1), 0);
	buf_putc(&b, '\0');
	char want[128];
	snprintf(want, sizeof want, "http://gw/s?to=%%2B905321234567&id=%s", k1);
	assert_string_equal(b.data, want);
	buf_free(&b);
}

struct fx {
	char *dir;
	db *d;
	pid_t sink;
	int port;
};

static void set_url(int port)
{
	char url[256];
	snprintf(url, sizeof url,
		 "http://127.0.0.1:%d/cgi-bin/sendsms?username=u&password=p&to=%%P&text=%%a"
		 "&charset=UTF-8&coding=2",
		 port);
	config_set("sms.url", url);
}

static int setup_fail_first(void **state, const char *fail_first)
{
	struct fx *f = calloc(1, sizeof *f);
	f->dir = th_tmpdir();
	f->d = th_open_db(f->dir, "t");
	f->port = th_free_port();
	f->sink = th_start_sink(TEST_INTEGRATION_DIR "/sms_sink.py", f->port, f->dir, fail_first);
	set_url(f->port);
	config_set("outbox.max_attempts", "3");
	notify_set_dev(0);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_fail_first(state, "0");
}

static int setup_fail1(void **state)
{
	return setup_fail_first(state, "1");
}

static int teardown(void **state)
{
	struct fx *f = *state;
	th_stop(f->sink);
	db_close(f->d);
	th_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static const char *otp_text = "e-İmza başvurunuz için SMS onay kodunuz: 482915. Kod 3 dakika "
			      "geçerlidir. Bu kodu kimseyle paylaşmayın.";

static void enqueue_otp(db *d)
{
	struct notify_vars v = {0};
	notify_vars_set(&v, "code", "482915");
	assert_int_equal(outbox_enqueue_template(d, NOTIFY_SMS, "5321234567", "sms_otp", &v,
						 "2026-000009"),
			 0);
}

static void assert_request(const char *dir, int n)
{
	char path[600], expect[1024];
	snprintf(path, sizeof path, "%s/req-%d.json", dir, n);
	assert_int_equal(th_wait_file(path, 5000), 0);
	char *rec = th_read_file(path, NULL);
	assert_non_null(rec);
	snprintf(expect, sizeof expect,
		 "{\"path\": \"/cgi-bin/sendsms\", \"query\": {\"username\": \"u\", "
		 "\"password\": \"p\", \"to\": \"+905321234567\", \"text\": \"%s\", "
		 "\"charset\": \"UTF-8\", \"coding\": \"2\"}}",
		 otp_text);
	assert_string_equal(rec, expect);
	free(rec);
}

static void test_sms_delivered(void **state)
{
	struct fx *f = *state;
	enqueue_otp(f->d);
	assert_int_equal(outbox_run_once(f->d, clock_now()), 1);
	struct th_row r;
	assert_int_equal(th_row(f->d, th_last_id(f->d), &r), 0);
	if (strcmp(r.status, "sent") != 0)
		fail_msg("status %s: %s", r.status, r.last_error ? r.last_error : "");
	th_row_free(&r);
	assert_request(f->dir, 1);
}

static void test_sms_500_then_retry(void **state)
{
	struct fx *f = *state;
	enqueue_otp(f->d);
	int64_t now = clock_now();
	assert_int_equal(outbox_run_once(f->d, now), 1);
	struct th_row r;
	assert_int_equal(th_row(f->d, th_last_id(f->d), &r), 0);
	assert_string_equal(r.status, "pending");
	assert_string_equal(r.last_error, "SMS ağ geçidi HTTP 500: 3: Queue full");
	assert_in_range(r.next_attempt_at, now + 30, now + 33);
	th_row_free(&r);
	assert_int_equal(outbox_run_once(f->d, now + 10), 0);
	assert_int_equal(outbox_run_once(f->d, now + 40), 1);
	assert_int_equal(th_row(f->d, th_last_id(f->d), &r), 0);
	assert_string_equal(r.status, "sent");
	assert_int_equal(r.attempts, 2);
	th_row_free(&r);
	assert_request(f->dir, 2);
}

static void test_sms_gateway_down(void **state)
{
	struct fx *f = *state;
	th_stop(f->sink);
	f->sink = 0;
	enqueue_otp(f->d);
	int64_t now = clock_now();
	assert_int_equal(outbox_run_once(f->d, now), 1);
	struct th_row r;
	assert_int_equal(th_row(f->d, th_last_id(f->d), &r), 0);
	assert_string_equal(r.status, "pending");
	assert_non_null(strstr(r.last_error, "SMS ağ geçidine ulaşılamadı"));
	th_row_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_url),
		cmocka_unit_test_setup_teardown(test_sms_delivered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sms_500_then_retry, setup_fail1, teardown),
		cmocka_unit_test_setup_teardown(test_sms_gateway_down, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
