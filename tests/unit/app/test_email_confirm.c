/* E-mail confirmation (app/email_confirm.h): the mailed token proves the
 * address once, before it expires, and only then does a certificate get
 * the address; the token is stored hashed. */
#include "fixture.h"

#include "app/email_confirm.h"

/* The token of the one confirmation mail in the outbox. */
static void mailed_token(struct fx *f, char out[EMAIL_CONFIRM_TOKEN_HEX + 1])
{
	db_stmt *s = db_prepare(f->d, "SELECT body FROM outbox WHERE recipient = "
				      "'ayse@example.org' AND body LIKE '%eposta-onay?t=%'");
	assert_non_null(s);
	assert_int_equal(db_step(s), DB_ROW);
	const char *p = strstr(db_col_text(s, 0), "eposta-onay?t=");
	assert_non_null(p);
	snprintf(out, EMAIL_CONFIRM_TOKEN_HEX + 1, "%s", p + strlen("eposta-onay?t="));
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
}

static void test_token_rules(void **state)
{
	struct fx *f = *state;
	struct application app;
	char token[EMAIL_CONFIRM_TOKEN_HEX + 1], other[EMAIL_CONFIRM_TOKEN_HEX + 1];
	const int64_t t0 = 1700000000, hour = 3600;
	fx_application(f, REASON_ILK, APP_FORM_CONFIRMED, 0, &app);
	struct uc_ctx *c = fx_ctx(f);
	c->now = t0;
	assert_int_equal(db_begin(f->d), 0);
	assert_int_equal(email_confirm_queue(c, &app), 0);
	assert_int_equal(db_commit(f->d), 0);
	mailed_token(f, token);
	assert_int_equal(strlen(token), EMAIL_CONFIRM_TOKEN_HEX);
	/* stored only as its hash */
	assert_int_equal(
		db_query_int64(f->d, -1,
			       "SELECT COUNT(*) FROM email_confirmations WHERE token_hash = $1",
			       token, (char *)NULL),
		0);
	snprintf(other, sizeof other, "%s", token);
	other[0] = other[0] == 'a' ? 'b' : 'a';
	assert_null(email_confirm_for_cert(f->d, &app));

	static const struct {
		int which; /* 0: the token, 1: another token, 2: malformed */
		int64_t at;
		enum uc_rc rc;
	} rows[] = {
		{1, 1, UC_NOT_FOUND},			/* unknown */
		{2, 1, UC_NOT_FOUND},			/* malformed */
		{0, EMAIL_CONFIRM_HOURS, UC_NOT_FOUND}, /* expired (at the limit) */
		{0, 1, UC_OK},				/* within its life */
		{0, 2, UC_NOT_FOUND},			/* used */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *number = NULL, *email = NULL;
		const char *t = rows[i].which == 0 ? token : rows[i].which == 1 ? other : "x'--";
		c = fx_ctx(f);
		c->now = t0 + rows[i].at * hour;
		enum uc_rc rc = email_confirm_use(c, t, &number, &email);
		if (rc != rows[i].rc)
			fail_msg("row %zu: rc %d", i, rc);
		if (rc == UC_OK) {
			assert_string_equal(number, app.number);
			assert_string_equal(email, "ayse@example.org");
		}
	}
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log WHERE action = "
				     "'email_confirmed'"),
			 1);
	assert_string_equal(email_confirm_for_cert(f->d, &app), "ayse@example.org");
	/* another address in the form is not proven */
	app.form[FF_EPOSTA] = "baska@example.org";
	assert_null(email_confirm_for_cert(f->d, &app));
	app.form[FF_EPOSTA] = "";
	assert_null(email_confirm_for_cert(f->d, &app));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_token_rules, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
