/* SMS codes (app/otp.c): limits, tries, expiry, single use, purposes, and
 * parallel guesses on separate connections sharing three tries. */
#include <pthread.h>

#include "app/otp.h"
#include "fixture.h"

/* The code of the newest SMS in the outbox (the first 6-digit run). */
static void last_code(struct fx *f, char code[7])
{
	db_stmt *st = db_prepare(f->d, "SELECT body FROM outbox WHERE channel = 'sms' "
				       "ORDER BY id DESC LIMIT 1");
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	const char *b = db_col_text(st, 0);
	size_t i = strcspn(b, "0123456789");
	assert_true(strspn(b + i, "0123456789") == 6);
	memcpy(code, b + i, 6);
	code[6] = '\0';
	db_finalize(st);
}

static void reload(struct fx *f, struct application *app)
{
	assert_int_equal(application_load(f->d, f->a, app->id, app), 0);
}

static void test_send_and_check(void **state)
{
	struct fx *f = *state;
	struct application app;
	char code[7];
	fx_application(f, REASON_ILK, APP_FORM_CONFIRMED, 0, &app);
	assert_int_equal(otp_send(fx_ctx(f), &app, OTP_APPLY, app.form[FF_CEP_TEL], 0), UC_OK);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM outbox WHERE channel = 'sms'"), 1);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log WHERE action = "
				     "'sms_code_sent'"),
			 1);
	last_code(f, code);
	/* The hash is stored, never the code. */
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM applications WHERE length(otp_hash) "
				     "= 64"),
			 1);
	reload(f, &app);
	assert_int_equal(otp_check(fx_ctx(f), &app, OTP_HOLDER_LOGIN, code), UC_INVALID);
	reload(f, &app);
	assert_int_equal(otp_check(fx_ctx(f), &app, OTP_APPLY, code), UC_OK);
	/* Used once: the same code again is refused. */
	reload(f, &app);
	assert_int_equal(otp_check(fx_ctx(f), &app, OTP_APPLY, code), UC_INVALID);
	assert_string_equal(f->c.field, "sms_kodu");
}

static void test_malformed(void **state)
{
	struct fx *f = *state;
	struct application app;
	fx_application(f, REASON_ILK, APP_FORM_CONFIRMED, 0, &app);
	static const char *const bad[] = {NULL, "", "12345", "1234567", "12a456", "١٢٣٤٥٦"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(otp_check(fx_ctx(f), &app, OTP_APPLY, bad[i]), UC_INVALID);
		assert_string_equal(f->c.message, "SMS Doğrulama Kodu 6 haneli olmalıdır.");
	}
}

static void test_three_tries(void **state)
{
	struct fx *f = *state;
	struct application app;
	char code[7], wrong[12];
	fx_application(f, REASON_ILK, APP_FORM_CONFIRMED, 0, &app);
	assert_int_equal(otp_send(fx_ctx(f), &app, OTP_APPLY, app.form[FF_CEP_TEL], 0), UC_OK);
	last_code(f, code);
	snprintf(wrong, sizeof wrong, "%06d", (atoi(code) + 1) % 1000000);
	static const char *const msgs[] = {"Kod hatalı. Kalan deneme hakkı: 2.",
					   "Kod hatalı. Kalan deneme hakkı: 1."};
	for (int i = 0; i < 3; i++) {
		reload(f, &app);
		assert_int_equal(otp_check(fx_ctx(f), &app, OTP_APPLY, wrong), UC_INVALID);
		if (i < 2)
			assert_string_equal(f->c.message, msgs[i]);
		else
			assert_non_null(strstr(f->c.message, "3 kez hatalı"));
	}
	reload(f, &app);
	assert_int_equal(otp_seconds_left(&app, f->c.now), 0);
	assert_int_equal(otp_check(fx_ctx(f), &app, OTP_APPLY, code), UC_INVALID);
	assert_non_null(strstr(f->c.message, "Geçerli bir kodunuz yok"));
}

static void test_expired(void **state)
{
	struct fx *f = *state;
	struct application app;
	char code[7];
	fx_application(f, REASON_ILK, APP_FORM_CONFIRMED, 0, &app);
	assert_int_equal(otp_send(fx_ctx(f), &app, OTP_APPLY, app.form[FF_CEP_TEL], 0), UC_OK);
	last_code(f, code);
	reload(f, &app);
	struct uc_ctx *c = fx_ctx(f);
	c->now += OTP_TTL + 1;
	assert_int_equal(otp_check(c, &app, OTP_APPLY, code), UC_INVALID);
	assert_non_null(strstr(c->message, "süresi doldu"));
}

static void test_send_limits(void **state)
{
	struct fx *f = *state;
	struct application app;
	fx_application(f, REASON_ILK, APP_FORM_CONFIRMED, 0, &app);
	struct uc_ctx *c = fx_ctx(f);
	int64_t t0 = c->now;
	assert_int_equal(otp_send(c, &app, OTP_APPLY, app.form[FF_CEP_TEL], 0), UC_OK);
	c = fx_ctx(f);
	c->now = t0 + 30;
	assert_int_equal(otp_send(c, &app, OTP_APPLY, app.form[FF_CEP_TEL], 0), UC_LIMITED);
	assert_non_null(strstr(c->message, "60 saniye"));
	/* A first code to a number just typed does not wait. */
	c = fx_ctx(f);
	c->now = t0 + 30;
	assert_int_equal(otp_send(c, &app, OTP_CONTACT_CHANGE, "5329998877", 1), UC_OK);
	for (int i = 2; i < OTP_MAX_PER_HOUR; i++) {
		c = fx_ctx(f);
		c->now = t0 + 61 * i;
		assert_int_equal(otp_send(c, &app, OTP_APPLY, app.form[FF_CEP_TEL], 0), UC_OK);
	}
	c = fx_ctx(f);
	c->now = t0 + 61 * OTP_MAX_PER_HOUR;
	assert_int_equal(otp_send(c, &app, OTP_APPLY, app.form[FF_CEP_TEL], 0), UC_LIMITED);
	assert_non_null(strstr(c->message, "en fazla 5"));
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM outbox WHERE channel = 'sms'"),
			 OTP_MAX_PER_HOUR);
	c = fx_ctx(f);
	c->now = t0 + 3600 + 61;
	assert_int_equal(otp_send(c, &app, OTP_APPLY, app.form[FF_CEP_TEL], 0), UC_OK);
}

/* ---- parallel guesses: each thread its own connection ---- */

struct guesser {
	const char *path;
	int64_t app_id;
	const char *guess;
	enum uc_rc rc;
	int wrong; /* 1 if the answer was "Kod hatalı..." (a try was compared) */
};

static void *guess(void *arg)
{
	struct guesser *g = arg;
	char err[128];
	db *d = db_open(g->path, err, sizeof err);
	arena *a = arena_new(0);
	struct uc_ctx c;
	struct application app;
	g->rc = UC_ERROR;
	if (d != NULL && application_load(d, a, g->app_id, &app) == 0) {
		uc_ctx_init(&c, d, a, "test:guess", "Test", "127.0.0.1");
		g->rc = otp_check(&c, &app, OTP_APPLY, g->guess);
		g->wrong = c.message != NULL && strncmp(c.message, "Kod", 3) == 0;
	}
	arena_free(a);
	if (d != NULL)
		db_close(d);
	return NULL;
}

static void test_parallel_guesses_share_three_tries(void **state)
{
	struct fx *f = *state;
	struct application app;
	char code[7], wrong[12];
	fx_application(f, REASON_ILK, APP_FORM_CONFIRMED, 0, &app);
	assert_int_equal(otp_send(fx_ctx(f), &app, OTP_APPLY, app.form[FF_CEP_TEL], 0), UC_OK);
	last_code(f, code);
	snprintf(wrong, sizeof wrong, "%06d", (atoi(code) + 7) % 1000000);
	enum { N = 12 };
	pthread_t th[N];
	struct guesser g[N];
	for (int i = 0; i < N; i++) {
		g[i] = (struct guesser){f->t.path, app.id, wrong, UC_OK, 0};
		assert_int_equal(pthread_create(&th[i], NULL, guess, &g[i]), 0);
	}
	int compared = 0;
	for (int i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(g[i].rc, UC_INVALID);
		compared += g[i].wrong;
	}
	assert_true(compared <= OTP_MAX_TRIES);
	reload(f, &app);
	assert_int_equal(app.otp_attempts, OTP_MAX_TRIES);
	assert_int_equal(otp_check(fx_ctx(f), &app, OTP_APPLY, code), UC_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_send_and_check, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_malformed, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_three_tries, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_expired, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_send_limits, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_parallel_guesses_share_three_tries, fx_setup,
						fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
