/* The institution's endorsement link (app/endorse.c): the offer stores only
 * a keyed hash and mails the link to the institution's official address;
 * the link works once, for the configured number of days, only while the
 * application waits for its authority; forged, malformed, used and expired
 * links are refused with their own message; an endorsement writes the
 * history row and the audit record, and marks the application. */
#include "app/endorse.h"
#include "fixture.h"
#include "util/config.h"

#define AA APP_AWAITING_APPROVAL
#define NA APP_NEEDS_APPROVAL
#define NP APP_NEEDS_PAPERWORK

/* Offers a link for a new application in (st, flags); writes the token the
 * message carries into token[65] and returns the application's id. */
static int64_t offer(struct fx *f, enum app_state st, unsigned flags, char token[65],
		     struct application *app)
{
	fx_application(f, REASON_ILK, st, flags, app);
	struct uc_ctx *c = fx_ctx(f);
	assert_int_equal(uc_begin(c), UC_OK);
	assert_int_equal(endorse_offer(c, app), UC_OK);
	assert_int_equal(uc_end(c, UC_OK), UC_OK);
	db_stmt *s = db_prepare(f->d, "SELECT o.body, o.recipient, i.resmi_eposta FROM outbox o "
				      "JOIN institutions i ON i.kurum_kodu = $2 WHERE o.ref = $1 "
				      "AND o.body LIKE '%kurum-onayi?t=%' ORDER BY o.id DESC");
	assert_non_null(s);
	db_bind_text(s, 1, app->number);
	db_bind_text(s, 2, app->kurum_kodu);
	assert_int_equal(db_step(s), DB_ROW);
	const char *body = db_col_text(s, 0);
	assert_string_equal(db_col_text(s, 1), db_col_text(s, 2));
	assert_non_null(strstr(body, "Sayın Yetkili"));
	assert_non_null(strstr(body, app->number));
	const char *t = strstr(body, "kurum-onayi?t=") + strlen("kurum-onayi?t=");
	memcpy(token, t, 64);
	token[64] = '\0';
	db_finalize(s);
	/* Only the keyed hash is stored. */
	assert_int_equal(db_query_int64(f->d, -1,
					"SELECT COUNT(*) FROM endorsements WHERE token_hash = $1",
					token, (char *)NULL),
			 0);
	return app->id;
}

static int64_t count_for(struct fx *f, const char *sql, int64_t id)
{
	char n[24];
	snprintf(n, sizeof n, "%lld", (long long)id);
	return db_query_int64(f->d, -1, sql, n, (char *)NULL);
}

static void test_record_once(void **state)
{
	struct fx *f = *state;
	struct application app;
	struct endorse_view v;
	char token[65];
	int64_t id = offer(f, AA, NA | NP, token, &app);
	assert_int_equal(endorse_check(fx_ctx(f), token, &v), UC_OK);
	assert_string_equal(v.number, app.number);
	assert_int_equal(endorse_received(fx_ctx(f), id), 0);
	assert_int_equal(endorse_offered(fx_ctx(f), id), 1);
	struct application other;
	fx_application(f, REASON_ILK, AA, NA, &other);
	assert_int_equal(endorse_offered(fx_ctx(f), other.id), 0);
	static const struct {
		const char *name, *title, *field;
	} bad[] = {
		{"", "Okul Müdürü", "ad_soyad"},  {"  ", "Okul Müdürü", "ad_soyad"},
		{"A", "Okul Müdürü", "ad_soyad"}, {"Mehmet Öztürk", "", "unvan"},
		{"Mehmet Öztürk", NULL, "unvan"}, {"Mehmet\x01Öztürk", "Okul Müdürü", "ad_soyad"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct uc_ctx *c = fx_ctx(f);
		assert_int_equal(endorse_record(c, token, bad[i].name, bad[i].title, &v),
				 UC_INVALID);
		assert_string_equal(c->field, bad[i].field);
	}
	assert_int_equal(endorse_record(fx_ctx(f), token, "  Mehmet   Öztürk ", "Okul Müdürü", &v),
			 UC_OK);
	assert_int_equal(endorse_received(fx_ctx(f), id), 1);
	assert_int_equal(count_for(f,
				   "SELECT COUNT(*) FROM application_events WHERE application_id "
				   "= CAST($1 AS INTEGER) AND note LIKE 'Kurum onayı alındı: "
				   "Mehmet Öztürk, Okul Müdürü%'",
				   id),
			 1);
	assert_int_equal(db_query_int64(f->d, -1,
					"SELECT COUNT(*) FROM audit_log WHERE object = $1 AND "
					"action = 'institution_endorsed' AND actor LIKE 'kurum:%'",
					arena_printf(f->a, "application:%s", app.number),
					(char *)NULL),
			 1);
	/* Used: refused on the page and on a second post. */
	struct uc_ctx *c = fx_ctx(f);
	assert_int_equal(endorse_check(c, token, &v), UC_CONFLICT);
	assert_non_null(strstr(c->message, "daha önce kullanıldı"));
	c = fx_ctx(f);
	assert_int_equal(endorse_record(c, token, "Başka Biri", "Müdür", &v), UC_CONFLICT);
	assert_non_null(strstr(c->message, "daha önce kullanıldı"));
	assert_int_equal(count_for(f,
				   "SELECT COUNT(*) FROM application_events WHERE application_id "
				   "= CAST($1 AS INTEGER) AND note LIKE 'Kurum onayı alındı%'",
				   id),
			 1);
}

static void test_forged_expired_not_waiting(void **state)
{
	struct fx *f = *state;
	struct application app;
	struct endorse_view v;
	char token[65], forged[65];
	offer(f, AA, NA, token, &app);
	memcpy(forged, token, sizeof forged);
	forged[0] = forged[0] == '0' ? '1' : '0';
	const char *bad[] = {forged, "", NULL, "abc",
			     "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct uc_ctx *c = fx_ctx(f);
		assert_int_equal(endorse_check(c, bad[i], &v), UC_NOT_FOUND);
		assert_non_null(strstr(c->message, "geçerli değil"));
	}
	/* Upper case is not the token either (the link is lower-case hex). */
	char upper[65];
	for (int i = 0; i < 65; i++)
		upper[i] = (char)(token[i] >= 'a' && token[i] <= 'f' ? token[i] - 32 : token[i]);
	if (strcmp(upper, token) != 0)
		assert_int_equal(endorse_check(fx_ctx(f), upper, &v), UC_NOT_FOUND);
	/* Fourteen days by default; a moment later it has expired. */
	assert_int_equal(endorse_check(fx_ctx(f), token, &v), UC_OK);
	int64_t expires = v.expires_at;
	struct uc_ctx *c = fx_ctx(f);
	c->now = expires - 1;
	assert_int_equal(endorse_check(c, token, &v), UC_OK);
	c = fx_ctx(f);
	c->now = expires;
	assert_int_equal(endorse_check(c, token, &v), UC_CONFLICT);
	assert_non_null(strstr(c->message, "süresi doldu"));
	c = fx_ctx(f);
	c->now = expires + 1;
	assert_int_equal(endorse_record(c, token, "Ali Veli", "Müdür", &v), UC_CONFLICT);
	/* Decided meanwhile: the link no longer records anything. */
	offer(f, AA, NA, token, &app);
	assert_int_equal(application_set_state(f->d, app.id, AA, AA, NP, "Test", NULL, 1700000001),
			 0);
	c = fx_ctx(f);
	assert_int_equal(endorse_record(c, token, "Ali Veli", "Müdür", &v), UC_CONFLICT);
	assert_non_null(strstr(c->message, "onayı beklemiyor"));
}

static void test_days_from_config(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *value;
		int64_t days;
	} cases[] = {{"3", 3}, {"90", 90}, {"0", 14}, {"91", 14}, {"x", 14}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct application app;
		struct endorse_view v;
		char token[65];
		assert_int_equal(config_set("endorsement.days", cases[i].value), 0);
		offer(f, AA, NA, token, &app);
		struct uc_ctx *c = fx_ctx(f);
		assert_int_equal(endorse_check(c, token, &v), UC_OK);
		assert_int_equal(v.expires_at - c->now <= cases[i].days * 86400, 1);
		assert_int_equal(v.expires_at - c->now > cases[i].days * 86400 - 60, 1);
	}
	assert_int_equal(config_set("endorsement.days", "14"), 0);
}

/* The sample text names the request by reason (the guide's wording). */
static void test_sample_text(void **state)
{
	struct fx *f = *state;
	struct application app;
	fx_application(f, REASON_YENILEME, AA, NA, &app);
	const char *s = endorse_sample_text(f->a, &app);
	assert_non_null(strstr(s, "e-imza yenileme onayı yapılabilmesi"));
	assert_non_null(strstr(s, app.number));
	assert_non_null(strstr(s, "Okul / Kurum İdarecisinin Adı ve Soyadı"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record_once, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_forged_expired_not_waiting, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_days_from_config, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_sample_text, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
