/* Outbox: enqueue inside transactions, templates, the worker's claim, send,
 * retry with backoff, final failure, crash recovery and restarts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"
#include "domain/guidance.h"
#include "notify/msgtpl.h"
#include "notify/outbox.h"
#include "notify/outbox_secret.h"
#include "util/clock.h"
#include "util/config.h"

struct fx {
	char *dir;
	db *d;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->dir = th_tmpdir();
	f->d = th_open_db(f->dir, "t");
	notify_set_dev(0);
	notify_set_test_driver(NULL);
	config_set("smtp.url", "");
	config_set("sms.url", "");
	config_set("outbox.max_attempts", "3");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	notify_set_test_driver(NULL);
	notify_set_dev(0);
	if (f->d)
		db_close(f->d);
	th_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* ---- a driver whose answers the test scripts ---- */

static enum notify_result script[16];
static int script_len, calls;
static db *reentrant_db; /* when set, the driver tries to claim from it */
static int reentrant_claimed;

static enum notify_result scripted_send(const struct notify_msg *m, char *err, size_t errlen)
{
	(void)m;
	enum notify_result r = calls < script_len ? script[calls] : NOTIFY_SENT;
	calls++;
	if (reentrant_db != NULL)
		reentrant_claimed += outbox_run_once(reentrant_db, clock_now() + 10);
	if (r != NOTIFY_SENT)
		snprintf(err, errlen, "test failure %d", calls);
	return r;
}

static const struct notify_driver scripted = {"scripted", scripted_send};

static void use_script(const enum notify_result *r, int n)
{
	memcpy(script, r, sizeof *r * (size_t)n);
	script_len = n;
	calls = 0;
	notify_set_test_driver(&scripted);
}

static void enqueue_email(db *d, const char *ref)
{
	assert_int_equal(outbox_enqueue(d, NOTIFY_EMAIL, "ayse@example.org", "Konu",
					"Gövde: çğıİöşü", ref),
			 0);
}

/* ---- tests ---- */

static void test_enqueue_rollback_leaves_nothing(void **state)
{
	struct fx *f = *state;
	assert_int_equal(db_begin(f->d), 0);
	enqueue_email(f->d, "2026-000001");
	assert_int_equal(th_count(f->d, NULL), 1);
	assert_int_equal(db_rollback(f->d), 0);
	assert_int_equal(th_count(f->d, NULL), 0);

	assert_int_equal(db_begin(f->d), 0);
	enqueue_email(f->d, "2026-000001");
	assert_int_equal(db_commit(f->d), 0);
	assert_int_equal(th_count(f->d, "pending"), 1);
}

static void test_enqueue_rejects(void **state)
{
	struct fx *f = *state;
	static const struct {
		enum notify_channel ch;
		const char *to, *subject, *body;
	} bad[] = {
		{NOTIFY_EMAIL, "a@b.org\r\nBcc: x@y.org", "s", "b"},
		{NOTIFY_EMAIL, "a@b.org", "s\r\nBcc: x@y.org", "b"},
		{NOTIFY_EMAIL, "a@b.org", "s\n", "b"},
		{NOTIFY_EMAIL, "no-at-sign", "s", "b"},
		{NOTIFY_EMAIL, "two@@b.org", "s", "b"},
		{NOTIFY_EMAIL, "Ayşe <a@b.org>", "s", "b"},
		{NOTIFY_EMAIL, "a@b.org", "s", "bad utf8 \xC3\x28"},
		{NOTIFY_EMAIL, "a@b.org", "s", "nul-ish \x01 control"},
		{NOTIFY_EMAIL, "a@b.org", "s", NULL},
		{NOTIFY_SMS, "05321234567", NULL, "b"},
		{NOTIFY_SMS, "4321234567", NULL, "b"},
		{NOTIFY_SMS, "532123456", NULL, "b"},
		{NOTIFY_SMS, "+9053212345678", NULL, "b"},
		{NOTIFY_SMS, "53212345a7", NULL, "b"},
		{NOTIFY_CHANNEL__MAX, "a@b.org", "s", "b"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (outbox_enqueue(f->d, bad[i].ch, bad[i].to, bad[i].subject, bad[i].body, NULL) !=
		    -1)
			fail_msg("row %zu accepted", i);
	}
	assert_int_equal(th_count(f->d, NULL), 0);

	/* Both mobile forms are stored as +90. */
	assert_int_equal(outbox_enqueue(f->d, NOTIFY_SMS, "5321234567", NULL, "x", NULL), 0);
	assert_int_equal(outbox_enqueue(f->d, NOTIFY_SMS, "+905321234568", NULL, "x", NULL), 0);
	struct th_row r;
	assert_int_equal(th_row(f->d, th_last_id(f->d) - 1, &r), 0);
	assert_string_equal(r.recipient, "+905321234567");
	th_row_free(&r);
	assert_int_equal(th_row(f->d, th_last_id(f->d), &r), 0);
	assert_string_equal(r.recipient, "+905321234568");
	th_row_free(&r);
}

static void test_template_sms_otp(void **state)
{
	struct fx *f = *state;
	struct notify_vars v = {0};
	notify_vars_set(&v, "code", "123456");
	assert_int_equal(outbox_enqueue_template(f->d, NOTIFY_SMS, "5321234567", "sms_otp", &v,
						 "2026-000002"),
			 0);
	struct th_row r;
	assert_int_equal(th_row(f->d, th_last_id(f->d), &r), 0);
	assert_string_equal(r.body, "e-İmza başvurunuz için SMS onay kodunuz: 123456. Kod 3 "
				    "dakika geçerlidir. Bu kodu kimseyle paylaşmayın.");
	assert_string_equal(r.status, "pending");
	th_row_free(&r);

	/* A missing variable is an error, and nothing is enqueued. */
	struct notify_vars empty = {0};
	int64_t before = th_count(f->d, NULL);
	assert_int_equal(outbox_enqueue_template(f->d, NOTIFY_SMS, "5321234567", "sms_otp", &empty,
						 NULL),
			 -1);
	assert_int_equal(outbox_enqueue_template(f->d, NOTIFY_SMS, "5321234567", "../x", &v, NULL),
			 -1);
	assert_int_equal(outbox_enqueue_template(f->d, NOTIFY_SMS, "5321234567", "yok", &v, NULL),
			 -1);
	assert_int_equal(th_count(f->d, NULL), before);
}

/* Every message template renders with its documented variables, yields no
 * leftover placeholder, and has a non-empty subject, body and SMS text. */
static void test_all_templates_render(void **state)
{
	(void)state;
	static const char *const names[] = {
		"sms_otp",
		"application_received",
		"authority_new_application",
		"approved",
		"rejected",
		"paperwork_received",
		"payment_received",
		"produced",
		"shipped",
		"delivered",
		"renewal_reminder_90",
		"renewal_reminder_25",
		"cancelled",
	};
	struct notify_vars v = {0};
	notify_vars_set(&v, "code", "654321");
	notify_vars_set(&v, "name", "Ayşe Çağlar Işık");
	notify_vars_set(&v, "application_no", "2026-000123");
	notify_vars_set(&v, "institution", "Zonguldak İl Millî Eğitim Müdürlüğü");
	notify_vars_set(&v, "reason", "Kurum sicil numarası uyuşmuyor");
	notify_vars_set(&v, "amount", "170,00");
	notify_vars_set(&v, "tracking_no", "KRG123456");
	notify_vars_set(&v, "tracking_url", "http://127.0.0.1:8080/kurye-takip?no=KRG123456");
	notify_vars_set(&v, "expiry_date", "31.12.2026");
	notify_vars_set(&v, "payment", "");
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct msgtpl_out m;
		if (msgtpl_render(names[i], &v, &m) != 0)
			fail_msg("template %s did not render", names[i]);
		assert_true(m.subject[0] != '\0');
		assert_true(m.body[0] != '\0');
		assert_true(m.sms_text[0] != '\0');
		assert_null(strstr(m.subject, "{{"));
		assert_null(strstr(m.body, "{{"));
		assert_null(strstr(m.sms_text, "{{"));
		assert_null(strchr(m.sms_text, '\n'));
		assert_true(strlen(m.sms_text) <= 320); /* two SMS parts at most */
		msgtpl_out_free(&m);
	}
	/* The institution's messages (app/institution_notice.c, endorse.c). */
	struct notify_vars iv = {0};
	notify_vars_set(&iv, "name", "Ayşe Çağlar Işık");
	notify_vars_set(&iv, "application_no", "2026-000123");
	notify_vars_set(&iv, "institution", "Zonguldak Lisesi");
	notify_vars_set(&iv, "title", "Öğretmen");
	notify_vars_set(&iv, "tckn_tail", "1234");
	notify_vars_set(&iv, "decision", "ONAYLANDI");
	notify_vars_set(&iv, "reason_line", "");
	notify_vars_set(&iv, "decider", "Kurum Yetkilisi");
	notify_vars_set(&iv, "sample", "Sayın Yetkili, ...");
	notify_vars_set(&iv, "link", "http://127.0.0.1:8080/kurum-onayi?t=00");
	notify_vars_set(&iv, "expiry_date", "17.12.2026");
	static const char *const inst[] = {"institution_decision", "institution_endorsement"};
	for (size_t i = 0; i < sizeof inst / sizeof inst[0]; i++) {
		struct msgtpl_out m;
		if (msgtpl_render(inst[i], &iv, &m) != 0)
			fail_msg("template %s did not render", inst[i]);
		assert_null(strstr(m.subject, "{{"));
		assert_null(strstr(m.body, "{{"));
		assert_null(strchr(m.sms_text, '\n'));
		assert_true(strlen(m.sms_text) <= 320);
		assert_non_null(strstr(m.body, "2026-000123"));
		msgtpl_out_free(&m);
	}
	struct msgtpl_out m;
	assert_int_equal(msgtpl_render("shipped", &v, &m), 0);
	assert_non_null(strstr(m.body, "KRG123456"));
	assert_non_null(strstr(m.sms_text, "http://127.0.0.1:8080/kurye-takip?no=KRG123456"));
	assert_non_null(strstr(m.body, "Sayın Ayşe Çağlar Işık,"));
	msgtpl_out_free(&m);
	assert_int_equal(msgtpl_render("rejected", &v, &m), 0);
	assert_non_null(strstr(m.body, "Gerekçe: Kurum sicil numarası uyuşmuyor"));
	msgtpl_out_free(&m);
	/* The delivery message explains the e-Devlet step in the words of
	 * /bireysel/pin (domain/guidance.h). */
	assert_int_equal(msgtpl_render("delivered", &v, &m), 0);
	assert_non_null(strstr(m.body, guidance_edevlet_pin()));
	msgtpl_out_free(&m);
}

static void test_notify_applicant_channels(void **state)
{
	struct fx *f = *state;
	static const struct {
		unsigned kanal;
		int rc;
		int64_t emails, sms;
	} rows[] = {
		{OUTBOX_TO_EMAIL, 0, 1, 0},
		{OUTBOX_TO_SMS, 0, 0, 1},
		{OUTBOX_TO_EMAIL | OUTBOX_TO_SMS, 0, 1, 1},
		{0, -1, 0, 0},
		{8, -1, 0, 0},
	};
	struct notify_vars v = {0};
	notify_vars_set(&v, "name", "Ali Öztürk");
	notify_vars_set(&v, "application_no", "2026-000007");
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		assert_int_equal(db_exec(f->d, "DELETE FROM outbox"), 0);
		assert_int_equal(outbox_notify_applicant(f->d, rows[i].kanal, "ali@example.org",
							 "5051234567", "approved", &v,
							 "2026-000007"),
				 rows[i].rc);
		assert_int_equal(db_query_int64(f->d, -1,
						"SELECT COUNT(*) FROM outbox WHERE "
						"channel = 'email'",
						(char *)NULL),
				 rows[i].emails);
		assert_int_equal(db_query_int64(f->d, -1,
						"SELECT COUNT(*) FROM outbox WHERE "
						"channel = 'sms'",
						(char *)NULL),
				 rows[i].sms);
	}
}

static void test_run_once_dev_sink(void **state)
{
	struct fx *f = *state;
	notify_set_dev(1);
	enqueue_email(f->d, "r1");
	assert_int_equal(outbox_enqueue(f->d, NOTIFY_SMS, "5321234567", NULL, "kod", "r1"), 0);
	int64_t now = clock_now();
	assert_int_equal(outbox_run_once(f->d, now), 2);
	assert_int_equal(th_count(f->d, "sent"), 2);
	struct th_row r;
	assert_int_equal(th_row(f->d, th_last_id(f->d), &r), 0);
	assert_int_equal(r.sent_at, now);
	assert_int_equal(r.attempts, 1);
	assert_null(r.last_error);
	th_row_free(&r);
	assert_int_equal(outbox_run_once(f->d, now + 3600), 0);
}

/* Outside dev mode an unconfigured channel fails for good at once. */
static void test_unconfigured_fails_clearly(void **state)
{
	struct fx *f = *state;
	enqueue_email(f->d, NULL);
	int64_t id_mail = th_last_id(f->d);
	assert_int_equal(outbox_enqueue(f->d, NOTIFY_SMS, "5321234567", NULL, "x", NULL), 0);
	int64_t id_sms = th_last_id(f->d);
	assert_int_equal(outbox_run_once(f->d, clock_now()), 2);
	struct th_row r;
	assert_int_equal(th_row(f->d, id_mail, &r), 0);
	assert_string_equal(r.status, "failed");
	assert_non_null(strstr(r.last_error, "SMTP sunucusu yapılandırılmamış"));
	th_row_free(&r);
	assert_int_equal(th_row(f->d, id_sms, &r), 0);
	assert_string_equal(r.status, "failed");
	assert_non_null(strstr(r.last_error, "SMS ağ geçidi yapılandırılmamış"));
	th_row_free(&r);
}

static void test_retry_backoff_then_failed(void **state)
{
	struct fx *f = *state;
	static const enum notify_result fails[] = {NOTIFY_TEMPFAIL, NOTIFY_TEMPFAIL,
						   NOTIFY_TEMPFAIL};
	use_script(fails, 3);
	enqueue_email(f->d, "r2");
	int64_t id = th_last_id(f->d), now = clock_now();
	struct th_row r;

	/* Attempt 1 fails: due again after 30 s (+ up to 10 % jitter). */
	assert_int_equal(outbox_run_once(f->d, now), 1);
	assert_int_equal(th_row(f->d, id, &r), 0);
	assert_string_equal(r.status, "pending");
	assert_int_equal(r.attempts, 1);
	assert_in_range(r.next_attempt_at, now + 30, now + 33);
	assert_string_equal(r.last_error, "test failure 1");
	int64_t due = r.next_attempt_at;
	th_row_free(&r);

	/* Not due yet: nothing happens. */
	assert_int_equal(outbox_run_once(f->d, due - 1), 0);
	assert_int_equal(calls, 1);

	/* Attempt 2 fails: 60 s. */
	assert_int_equal(outbox_run_once(f->d, due), 1);
	assert_int_equal(th_row(f->d, id, &r), 0);
	assert_string_equal(r.status, "pending");
	assert_int_equal(r.attempts, 2);
	assert_in_range(r.next_attempt_at, due + 60, due + 66);
	due = r.next_attempt_at;
	th_row_free(&r);

	/* Attempt 3 = outbox.max_attempts: failed for good. */
	assert_int_equal(outbox_run_once(f->d, due), 1);
	assert_int_equal(th_row(f->d, id, &r), 0);
	assert_string_equal(r.status, "failed");
	assert_int_equal(r.attempts, 3);
	assert_string_equal(r.last_error, "test failure 3");
	th_row_free(&r);
	assert_int_equal(outbox_run_once(f->d, due + 86400), 0);
	assert_int_equal(calls, 3);
}

static void test_backoff_capped_at_one_hour(void **state)
{
	struct fx *f = *state;
	enum notify_result fails[12];
	for (int i = 0; i < 12; i++)
		fails[i] = NOTIFY_TEMPFAIL;
	config_set("outbox.max_attempts", "20");
	use_script(fails, 12);
	enqueue_email(f->d, NULL);
	int64_t id = th_last_id(f->d), now = clock_now();
	struct th_row r;
	for (int i = 0; i < 10; i++) {
		assert_int_equal(outbox_run_once(f->d, now), 1);
		assert_int_equal(th_row(f->d, id, &r), 0);
		int64_t wait = r.next_attempt_at - now;
		int64_t expect = 30LL << i;
		if (expect > 3600)
			expect = 3600;
		assert_in_range(wait, expect, expect + expect / 10);
		now = r.next_attempt_at;
		th_row_free(&r);
	}
	/* A later success clears the error. */
	notify_set_test_driver(NULL);
	notify_set_dev(1);
	assert_int_equal(outbox_run_once(f->d, now), 1);
	assert_int_equal(th_row(f->d, id, &r), 0);
	assert_string_equal(r.status, "sent");
	assert_null(r.last_error);
	th_row_free(&r);
}

static void test_permfail_is_final(void **state)
{
	struct fx *f = *state;
	static const enum notify_result perm[] = {NOTIFY_PERMFAIL};
	use_script(perm, 1);
	enqueue_email(f->d, NULL);
	assert_int_equal(outbox_run_once(f->d, clock_now()), 1);
	struct th_row r;
	assert_int_equal(th_row(f->d, th_last_id(f->d), &r), 0);
	assert_string_equal(r.status, "failed");
	assert_int_equal(r.attempts, 1);
	th_row_free(&r);
}

static void test_stuck_sending_recovered(void **state)
{
	struct fx *f = *state;
	int64_t now = clock_now();
	char when[32];
	enqueue_email(f->d, "old");
	int64_t old_id = th_last_id(f->d);
	enqueue_email(f->d, "recent");
	int64_t recent_id = th_last_id(f->d);
	/* A worker crashed mid-send 301 s ago, another is sending right now. */
	snprintf(when, sizeof when, "%lld", (long long)(now - OUTBOX_STUCK_SECONDS - 1));
	assert_int_equal(db_execp(f->d,
				  "UPDATE outbox SET status = 'sending', attempts = 1, "
				  "claimed_at = $1 WHERE ref = 'old'",
				  when, (char *)NULL),
			 0);
	snprintf(when, sizeof when, "%lld", (long long)(now - 100));
	assert_int_equal(db_execp(f->d,
				  "UPDATE outbox SET status = 'sending', attempts = 1, "
				  "claimed_at = $1 WHERE ref = 'recent'",
				  when, (char *)NULL),
			 0);
	notify_set_dev(1);
	assert_int_equal(outbox_run_once(f->d, now), 1);
	struct th_row r;
	assert_int_equal(th_row(f->d, old_id, &r), 0);
	assert_string_equal(r.status, "sent");
	assert_int_equal(r.attempts, 2);
	th_row_free(&r);
	assert_int_equal(th_row(f->d, recent_id, &r), 0);
	assert_string_equal(r.status, "sending");
	th_row_free(&r);
}

/* A worker killed mid-send and started again: what it left in 'sending'
 * goes back to 'pending' at once; a claim made after the start stays. */
static void test_orphans_requeued_at_start(void **state)
{
	struct fx *f = *state;
	int64_t now = clock_now();
	char when[32];
	enqueue_email(f->d, "orphan");
	int64_t orphan = th_last_id(f->d);
	enqueue_email(f->d, "live");
	int64_t live = th_last_id(f->d);
	snprintf(when, sizeof when, "%lld", (long long)(now - 5));
	assert_int_equal(db_execp(f->d,
				  "UPDATE outbox SET status = 'sending', attempts = 1, "
				  "claimed_at = $1 WHERE ref = 'orphan'",
				  when, (char *)NULL),
			 0);
	snprintf(when, sizeof when, "%lld", (long long)now);
	assert_int_equal(db_execp(f->d,
				  "UPDATE outbox SET status = 'sending', attempts = 1, "
				  "claimed_at = $1 WHERE ref = 'live'",
				  when, (char *)NULL),
			 0);
	assert_int_equal(outbox_requeue_orphans(f->d, now), 1);
	struct th_row r;
	assert_int_equal(th_row(f->d, orphan, &r), 0);
	assert_string_equal(r.status, "pending");
	th_row_free(&r);
	assert_int_equal(th_row(f->d, live, &r), 0);
	assert_string_equal(r.status, "sending");
	th_row_free(&r);
	notify_set_dev(1);
	assert_int_equal(outbox_run_once(f->d, now), 1);
	assert_int_equal(th_row(f->d, orphan, &r), 0);
	assert_string_equal(r.status, "sent");
	assert_int_equal(r.attempts, 2);
	th_row_free(&r);
}

/* A crash between claim and send, then a restart: the message is sent once
 * the stuck window has passed, and nothing is lost. */
static void test_no_loss_across_restart(void **state)
{
	struct fx *f = *state;
	static const enum notify_result fails[] = {NOTIFY_TEMPFAIL};
	assert_int_equal(db_begin(f->d), 0);
	for (int i = 0; i < 5; i++)
		enqueue_email(f->d, "restart");
	assert_int_equal(db_commit(f->d), 0);
	use_script(fails, 1);
	int64_t now = clock_now();
	assert_int_equal(outbox_run_once(f->d, now), 5); /* 1 fails, 4 sent */
	assert_int_equal(th_count(f->d, "sent"), 4);
	/* Simulate a crash holding one more claimed message. */
	enqueue_email(f->d, "crash");
	char when[32];
	snprintf(when, sizeof when, "%lld", (long long)now);
	assert_int_equal(db_execp(f->d,
				  "UPDATE outbox SET status = 'sending', claimed_at = $1, "
				  "attempts = 1 WHERE ref = 'crash'",
				  when, (char *)NULL),
			 0);
	db_close(f->d);

	f->d = th_open_db(f->dir, "t");
	notify_set_test_driver(NULL);
	notify_set_dev(1);
	assert_int_equal(th_count(f->d, NULL), 6);
	assert_int_equal(outbox_run_once(f->d, now + 40), 1);			    /* the retry */
	assert_int_equal(outbox_run_once(f->d, now + OUTBOX_STUCK_SECONDS + 1), 1); /* crash */
	assert_int_equal(th_count(f->d, "sent"), 6);
}

/* While one connection is sending, a second worker finds nothing to claim. */
static void test_two_workers_never_share(void **state)
{
	struct fx *f = *state;
	db *other = th_open_db(f->dir, "t");
	static const enum notify_result ok[] = {NOTIFY_SENT, NOTIFY_SENT};
	enqueue_email(f->d, "a");
	enqueue_email(f->d, "b");
	use_script(ok, 2);
	reentrant_db = other;
	reentrant_claimed = 0;
	assert_int_equal(outbox_run_once(f->d, clock_now()), 2);
	reentrant_db = NULL;
	assert_int_equal(reentrant_claimed, 0);
	assert_int_equal(calls, 2);
	assert_int_equal(th_count(f->d, "sent"), 2);
	db_close(other);
}

struct list_ctx {
	int n;
	int64_t ids[8];
	char status[8][16];
};

static void list_cb(void *ctx, const struct outbox_row *row)
{
	struct list_ctx *c = ctx;
	if (c->n < 8) {
		c->ids[c->n] = row->id;
		snprintf(c->status[c->n], sizeof c->status[0], "%s", row->status);
	}
	c->n++;
}

static void test_list_newest_first_and_filter(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < 4; i++)
		enqueue_email(f->d, NULL);
	assert_int_equal(db_exec(f->d, "UPDATE outbox SET status = 'failed' WHERE id = 2"), 0);
	struct list_ctx c = {0};
	assert_int_equal(outbox_list(f->d, 10, NULL, list_cb, &c), 4);
	assert_int_equal(c.ids[0], 4);
	assert_int_equal(c.ids[3], 1);
	memset(&c, 0, sizeof c);
	assert_int_equal(outbox_list(f->d, 2, NULL, list_cb, &c), 2);
	assert_int_equal(c.ids[0], 4);
	memset(&c, 0, sizeof c);
	assert_int_equal(outbox_list(f->d, 10, "failed", list_cb, &c), 1);
	assert_int_equal(c.ids[0], 2);
	assert_string_equal(c.status[0], "failed");
}

static int job_runs;
static void count_job(db *d, int64_t now)
{
	(void)d;
	(void)now;
	job_runs++;
}

static void test_worker_thread(void **state)
{
	struct fx *f = *state;
	char path[512];
	snprintf(path, sizeof path, "%s/t.db", f->dir);
	notify_set_dev(1);
	config_set("outbox.poll_ms", "20");
	outbox_worker_add_job(count_job, 3600);
	assert_int_equal(outbox_worker_start(path), 0);
	assert_int_equal(outbox_worker_start(path), -1); /* only one */
	enqueue_email(f->d, "w");
	int64_t sent = 0;
	for (int i = 0; i < 250 && sent == 0; i++) {
		struct timespec ts = {0, 20000000L};
		nanosleep(&ts, NULL);
		sent = th_count(f->d, "sent");
	}
	int64_t t0 = clock_mono_us();
	outbox_worker_stop();
	assert_true(clock_mono_us() - t0 < 1000000); /* stops promptly */
	assert_int_equal(sent, 1);
	assert_int_equal(job_runs, 1);
	outbox_worker_stop(); /* harmless twice */
}

/* ---- secrets at rest (outbox_secret.h) ---- */

static void test_mask(void **state)
{
	(void)state;
	static const struct {
		const char *text, *secret, *want;
	} cases[] = {
		{"kodunuz: 123456. Kod", "123456", "kodunuz: ******. Kod"},
		{"123456 ve 123456", "123456", "****** ve ******"},
		{"kod yok", "123456", "kod yok"},
		{"kodunuz: 123456", "", "kodunuz: 123456"},
		{"kodunuz: 123456", NULL, "kodunuz: 123456"},
		{"", "1", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *m = outbox_mask(cases[i].text, cases[i].secret);
		assert_string_equal(m, cases[i].want);
		free(m);
	}
}

static int64_t secrets_left(db *d)
{
	return db_query_int64(d, -1, "SELECT COUNT(*) FROM outbox WHERE secret IS NOT NULL", NULL);
}

static void enqueue_code(db *d, const char *code)
{
	struct notify_vars v = {0};
	notify_vars_set(&v, "code", code);
	assert_int_equal(outbox_enqueue_template(d, NOTIFY_SMS, "5321234567", "sms_otp", &v, "r"),
			 0);
}

static void test_code_masked_once_sent(void **state)
{
	struct fx *f = *state;
	enqueue_code(f->d, "482913");
	assert_int_equal(secrets_left(f->d), 1);
	enum notify_result ok[] = {NOTIFY_SENT};
	use_script(ok, 1);
	assert_int_equal(outbox_run_once(f->d, clock_now()), 1);
	struct th_row r;
	assert_int_equal(th_row(f->d, th_last_id(f->d), &r), 0);
	assert_string_equal(r.status, "sent");
	assert_null(strstr(r.body, "482913"));
	assert_non_null(strstr(r.body, "kodunuz: ******."));
	th_row_free(&r);
	assert_int_equal(secrets_left(f->d), 0);
	/* A message without a code is left as it was. */
	enqueue_email(f->d, "plain");
	assert_int_equal(outbox_run_once(f->d, clock_now()), 1);
	assert_int_equal(th_row(f->d, th_last_id(f->d), &r), 0);
	assert_string_equal(r.body, "Gövde: çğıİöşü");
	th_row_free(&r);
}

static void test_code_masked_when_failed(void **state)
{
	struct fx *f = *state;
	enqueue_code(f->d, "700001");
	enum notify_result bad[] = {NOTIFY_PERMFAIL};
	use_script(bad, 1);
	assert_int_equal(outbox_run_once(f->d, clock_now()), 1);
	struct th_row r;
	assert_int_equal(th_row(f->d, th_last_id(f->d), &r), 0);
	assert_string_equal(r.status, "failed");
	assert_null(strstr(r.body, "700001"));
	th_row_free(&r);
	/* A temporary failure keeps the code for the next attempt. */
	enqueue_code(f->d, "700002");
	enum notify_result later[] = {NOTIFY_TEMPFAIL};
	use_script(later, 1);
	assert_int_equal(outbox_run_once(f->d, clock_now()), 1);
	assert_int_equal(th_row(f->d, th_last_id(f->d), &r), 0);
	assert_string_equal(r.status, "pending");
	assert_non_null(strstr(r.body, "700002"));
	th_row_free(&r);
}

static void test_dev_keeps_code_until_expiry(void **state)
{
	struct fx *f = *state;
	notify_set_dev(1);
	enqueue_code(f->d, "551122");
	int64_t now = clock_now();
	assert_int_equal(outbox_run_once(f->d, now), 1);
	struct th_row r;
	assert_int_equal(th_row(f->d, th_last_id(f->d), &r), 0);
	assert_non_null(strstr(r.body, "551122")); /* /dev/outbox shows it */
	th_row_free(&r);
	assert_int_equal(outbox_housekeep(f->d, now + 60), 0);
	assert_int_equal(outbox_housekeep(f->d, now + OUTBOX_SECRET_TTL + 1), 1);
	assert_int_equal(th_row(f->d, th_last_id(f->d), &r), 0);
	assert_null(strstr(r.body, "551122"));
	th_row_free(&r);
	assert_int_equal(secrets_left(f->d), 0);
}

static void test_retention_purges_final_rows(void **state)
{
	struct fx *f = *state;
	config_set("outbox.retention_days", "2");
	enqueue_email(f->d, "old");
	int64_t now = clock_now();
	enum notify_result ok[] = {NOTIFY_SENT};
	use_script(ok, 1);
	assert_int_equal(outbox_run_once(f->d, now), 1);
	enqueue_email(f->d, "waiting"); /* pending: never purged */
	assert_int_equal(outbox_housekeep(f->d, now + 86400), 0);
	assert_int_equal(th_count(f->d, NULL), 2);
	assert_int_equal(outbox_housekeep(f->d, now + 3 * 86400), 1);
	assert_int_equal(th_count(f->d, NULL), 1);
	assert_int_equal(th_count(f->d, "pending"), 1);
	config_set("outbox.retention_days", "0");
	assert_int_equal(outbox_run_once(f->d, now + 3 * 86400), 1);
	assert_int_equal(outbox_housekeep(f->d, now + 400 * 86400), 0);
	assert_int_equal(th_count(f->d, NULL), 1);
	config_set("outbox.retention_days", "30");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_enqueue_rollback_leaves_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_enqueue_rejects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_template_sms_otp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_templates_render, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notify_applicant_channels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_once_dev_sink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unconfigured_fails_clearly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_backoff_then_failed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backoff_capped_at_one_hour, setup, teardown),
		cmocka_unit_test_setup_teardown(test_permfail_is_final, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stuck_sending_recovered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_orphans_requeued_at_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_loss_across_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_workers_never_share, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_newest_first_and_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_worker_thread, setup, teardown),
		cmocka_unit_test(test_mask),
		cmocka_unit_test_setup_teardown(test_code_masked_once_sent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_code_masked_when_failed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dev_keeps_code_until_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retention_purges_final_rows, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
