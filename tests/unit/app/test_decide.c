/* The authority's decisions (app/decide.c): approve clears NEEDS_APPROVAL
 * and reaches APPROVED only with nothing else pending; reject from every
 * open state (only where the application waits for the decision) stores
 * the reason and notifies; refusals by role, scope and state change
 * nothing; bulk approval counts each application on its own. */
#include "app/decide.h"
#include "fixture.h"

#define AA APP_AWAITING_APPROVAL
#define NA APP_NEEDS_APPROVAL
#define NP APP_NEEDS_PAPERWORK
#define NF APP_NEEDS_PAYMENT

/* The first demo person (fx_application) works in Zonguldak. */
static const struct access_actor zon = {1, "ZONGULDAK-MEM"};
static const struct access_actor bar = {1, "BARTIN-MEM"};
static const struct access_actor operator_ = {0, NULL};

static struct uc_ctx *ctx_as(struct fx *f, const char *actor)
{
	struct uc_ctx *c = fx_ctx(f);
	c->actor = actor;
	c->actor_label = "Kurum Yetkilisi";
	return c;
}

/* A count with one text parameter. */
static int64_t count1(struct fx *f, const char *sql, const char *p)
{
	return db_query_int64(f->d, -1, sql, p, (char *)NULL);
}

static void reload(struct fx *f, struct application *app)
{
	assert_int_equal(application_load(f->d, f->a, app->id, app), 0);
}

/* Nothing recorded for app: no audit record, no notice, state as given. */
static void assert_untouched(struct fx *f, struct application *app, enum app_state st,
			     int64_t flags)
{
	const char *obj = arena_printf(f->a, "application:%s", app->number);
	reload(f, app);
	assert_int_equal(app->state, st);
	assert_int_equal(app->flags, flags);
	assert_null(app->reject_reason);
	assert_int_equal(count1(f, "SELECT COUNT(*) FROM audit_log WHERE object = $1", obj), 0);
	assert_int_equal(count1(f, "SELECT COUNT(*) FROM outbox WHERE ref = $1", app->number), 0);
}

static void test_approve(void **state)
{
	struct fx *f = *state;
	static const struct {
		unsigned flags;
		enum app_state want;
		int64_t want_flags;
	} cases[] = {
		{NA, APP_APPROVED, 0},
		{NA | NP, AA, NP},
		{NA | NF, AA, NF},
		{NA | NP | NF, AA, NP | NF},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct application app;
		fx_application(f, REASON_ILK, AA, cases[i].flags, &app);
		assert_int_equal(decide_approve(ctx_as(f, "yetkili:zon"), &zon, app.id), UC_OK);
		reload(f, &app);
		assert_int_equal(app.state, cases[i].want);
		assert_int_equal(app.flags, cases[i].want_flags);
		const char *obj = arena_printf(f->a, "application:%s", app.number);
		assert_int_equal(count1(f,
					"SELECT COUNT(*) FROM audit_log WHERE object = $1 AND "
					"action = 'approve' AND actor = 'yetkili:zon' AND "
					"before_state = 'AWAITING_APPROVAL'",
					obj),
				 1);
		assert_int_equal(db_query_int64(f->d, -1,
						"SELECT COUNT(*) FROM audit_log WHERE object = $1 "
						"AND after_state = $2",
						obj, app_state_name(cases[i].want), (char *)NULL),
				 1);
		/* E-mail and SMS (Bilgi Kanalı: both), subject of "approved"; and
		 * the institution's official address is told of the decision. */
		assert_int_equal(
			count1(f, "SELECT COUNT(*) FROM outbox WHERE ref = $1", app.number), 3);
		assert_int_equal(
			count1(f,
			       "SELECT COUNT(*) FROM outbox o JOIN applications a ON "
			       "a.number = o.ref JOIN institutions i ON i.kurum_kodu = "
			       "a.kurum_kodu WHERE o.ref = $1 AND o.recipient = "
			       "i.resmi_eposta AND o.subject LIKE '%ONAYLANDI%' AND o.body "
			       "LIKE '%Kararı veren: Kurum Yetkilisi%'",
			       app.number),
			1);
		assert_int_equal(count1(f,
					"SELECT COUNT(*) FROM outbox WHERE ref = $1 AND "
					"channel = 'email' AND subject LIKE '%onaylandı%'",
					app.number),
				 1);
		assert_int_equal(count1(f,
					"SELECT COUNT(*) FROM application_events WHERE "
					"application_id = (SELECT id FROM applications WHERE "
					"number = $1) AND note = 'Kurum yetkilisi onayladı' AND "
					"actor = 'Kurum Yetkilisi'",
					app.number),
				 1);
		/* A second approval is refused: the flag is gone. */
		assert_int_equal(decide_approve(ctx_as(f, "yetkili:zon"), &zon, app.id),
				 UC_CONFLICT);
		assert_string_equal(f->c.message, "Bu başvuru onay beklemiyor.");
	}
}

/* Every open state, and the flag sets AWAITING_APPROVAL can carry. */
static const struct {
	enum app_state st;
	unsigned flags;
	enum uc_rc want;
} open_cases[] = {
	{APP_FORM_CONFIRMED, 0, UC_CONFLICT},
	{APP_SMS_VERIFIED, 0, UC_CONFLICT},
	{APP_SIGNING, 0, UC_CONFLICT},
	{AA, NA, UC_OK},
	{AA, NA | NP, UC_OK},
	{AA, NA | NF, UC_OK},
	{AA, NA | NP | NF, UC_OK},
	{AA, NP, UC_CONFLICT}, /* approved already; the operator's part is open */
	{AA, NF, UC_CONFLICT},
	{AA, NP | NF, UC_CONFLICT},
	{APP_APPROVED, 0, UC_CONFLICT},
};

static void test_reject_each_open_state(void **state)
{
	struct fx *f = *state;
	const char *reason = "Kadro kaydınız farklı bir kurumda görünüyor.";
	for (size_t i = 0; i < sizeof open_cases / sizeof open_cases[0]; i++) {
		struct application app;
		fx_application(f, REASON_YENILEME, open_cases[i].st, open_cases[i].flags, &app);
		enum uc_rc rc = decide_reject(ctx_as(f, "yetkili:zon"), &zon, app.id, reason);
		if (rc != open_cases[i].want)
			fail_msg("case %zu: %s, want %s", i, uc_rc_name(rc),
				 uc_rc_name(open_cases[i].want));
		if (rc != UC_OK) {
			assert_string_equal(f->c.message, "Bu başvuru onay beklemiyor.");
			assert_untouched(f, &app, open_cases[i].st, open_cases[i].flags);
			continue;
		}
		reload(f, &app);
		assert_int_equal(app.state, APP_REJECTED);
		assert_int_equal(app.flags, 0);
		assert_string_equal(app.reject_reason, reason);
		const char *obj = arena_printf(f->a, "application:%s", app.number);
		assert_int_equal(db_query_int64(f->d, -1,
						"SELECT COUNT(*) FROM audit_log WHERE "
						"object = $1 AND action = 'reject' AND "
						"after_state = 'REJECTED' AND detail = $2",
						obj, reason, (char *)NULL),
				 1);
		/* The reason reaches the applicant by e-mail and by SMS, and the
		 * institution's official address. */
		assert_int_equal(db_query_int64(f->d, -1,
						"SELECT COUNT(*) FROM outbox WHERE "
						"ref = $1 AND body LIKE '%' || $2 || '%'",
						app.number, reason, (char *)NULL),
				 3);
		assert_int_equal(count1(f,
					"SELECT COUNT(*) FROM outbox o JOIN applications a ON "
					"a.number = o.ref JOIN institutions i ON i.kurum_kodu = "
					"a.kurum_kodu WHERE o.ref = $1 AND o.recipient = "
					"i.resmi_eposta AND o.subject LIKE '%REDDEDİLDİ%'",
					app.number),
				 1);
		assert_int_equal(count1(f,
					"SELECT COUNT(*) FROM outbox WHERE ref = $1 AND "
					"channel = 'email' AND subject LIKE '%reddedildi%'",
					app.number),
				 1);
		/* Nothing more to decide. */
		assert_int_equal(decide_reject(ctx_as(f, "yetkili:zon"), &zon, app.id, reason),
				 UC_CONFLICT);
	}
}

static void test_reject_closed_states(void **state)
{
	struct fx *f = *state;
	static const enum app_state closed[] = {APP_PRODUCED, APP_SHIPPED, APP_DELIVERED,
						APP_REJECTED, APP_CANCELLED};
	for (size_t i = 0; i < sizeof closed / sizeof closed[0]; i++) {
		struct application app;
		fx_application(f, REASON_ILK, closed[i], 0, &app);
		assert_int_equal(decide_reject(ctx_as(f, "yetkili:zon"), &zon, app.id, "Gerekçe"),
				 UC_CONFLICT);
		assert_int_equal(decide_approve(ctx_as(f, "yetkili:zon"), &zon, app.id),
				 UC_CONFLICT);
		assert_untouched(f, &app, closed[i], 0);
	}
}

static void test_reject_needs_reason(void **state)
{
	struct fx *f = *state;
	static const char *const empty[] = {NULL, "", " ", "\t\r\n  "};
	struct application app;
	fx_application(f, REASON_ILK, AA, NA | NP, &app);
	for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
		assert_int_equal(decide_reject(ctx_as(f, "yetkili:zon"), &zon, app.id, empty[i]),
				 UC_INVALID);
		assert_string_equal(f->c.field, "gerekce");
		assert_non_null(strstr(f->c.message, "Ret gerekçesi zorunludur"));
	}
	assert_untouched(f, &app, AA, NA | NP);
}

static void test_refusals(void **state)
{
	struct fx *f = *state;
	struct application app;
	fx_application(f, REASON_ILK, AA, NA, &app);
	/* Out of scope: exactly like an unknown application, before any other
	 * check (even a missing reason). */
	assert_int_equal(decide_approve(ctx_as(f, "yetkili:bar"), &bar, app.id), UC_NOT_FOUND);
	assert_string_equal(f->c.message, "Başvuru bulunamadı.");
	assert_int_equal(decide_reject(ctx_as(f, "yetkili:bar"), &bar, app.id, "x"), UC_NOT_FOUND);
	assert_int_equal(decide_reject(ctx_as(f, "yetkili:bar"), &bar, app.id, ""), UC_NOT_FOUND);
	assert_int_equal(decide_approve(ctx_as(f, "yetkili:zon"), &zon, 999999), UC_NOT_FOUND);
	assert_string_equal(f->c.message, "Başvuru bulunamadı.");
	assert_int_equal(decide_approve(ctx_as(f, "yetkili:zon"), &zon, 0), UC_NOT_FOUND);
	/* The CA's operator sees everything but decides nothing. */
	assert_int_equal(decide_approve(ctx_as(f, "operator:op"), &operator_, app.id),
			 UC_FORBIDDEN);
	assert_int_equal(decide_reject(ctx_as(f, "operator:op"), &operator_, app.id, "x"),
			 UC_FORBIDDEN);
	assert_untouched(f, &app, AA, NA);
	/* Wrong state. */
	struct application early;
	fx_application(f, REASON_ILK, APP_SIGNING, 0, &early);
	assert_int_equal(decide_approve(ctx_as(f, "yetkili:zon"), &zon, early.id), UC_CONFLICT);
	assert_untouched(f, &early, APP_SIGNING, 0);
	/* And the application is still there for its own authority. */
	assert_int_equal(decide_approve(ctx_as(f, "yetkili:zon"), &zon, app.id), UC_OK);
}

static void test_bulk(void **state)
{
	struct fx *f = *state;
	struct application a1, a2, a3;
	fx_application(f, REASON_ILK, AA, NA, &a1);
	fx_application(f, REASON_ILK, AA, NA | NP, &a2);
	fx_application(f, REASON_ILK, APP_SIGNING, 0, &a3);
	int64_t ids[] = {a1.id, 0, a3.id, 999999, a2.id, -4};
	int ok = -1, refused = -1;
	/* Not an authority: nothing at all. */
	assert_int_equal(decide_bulk_approve(ctx_as(f, "operator:op"), &operator_, ids, 6, &ok,
					     &refused),
			 UC_FORBIDDEN);
	assert_int_equal(ok + refused, 0);
	assert_untouched(f, &a1, AA, NA);
	/* Another unit: every one refused, none changed. */
	assert_int_equal(decide_bulk_approve(ctx_as(f, "yetkili:bar"), &bar, ids, 6, &ok, &refused),
			 UC_OK);
	assert_int_equal(ok, 0);
	assert_int_equal(refused, 4);
	assert_untouched(f, &a1, AA, NA);
	assert_untouched(f, &a2, AA, NA | NP);
	/* Its own unit: the two waiting ones, each on its own. */
	assert_int_equal(decide_bulk_approve(ctx_as(f, "yetkili:zon"), &zon, ids, 6, &ok, &refused),
			 UC_OK);
	assert_int_equal(ok, 2);
	assert_int_equal(refused, 2);
	assert_null(f->c.message);
	reload(f, &a1);
	reload(f, &a2);
	assert_int_equal(a1.state, APP_APPROVED);
	assert_int_equal(a2.state, AA);
	assert_int_equal(a2.flags, NP);
	assert_untouched(f, &a3, APP_SIGNING, 0);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM application_events WHERE note = "
				     "'Kurum yetkilisi onayladı (toplu)'"),
			 2);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log WHERE action = 'approve'"), 2);
	/* Too many at once. */
	int64_t many[DECIDE_BULK_MAX + 1] = {0};
	assert_int_equal(decide_bulk_approve(ctx_as(f, "yetkili:zon"), &zon, many,
					     DECIDE_BULK_MAX + 1, &ok, &refused),
			 UC_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_approve, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reject_each_open_state, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reject_closed_states, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reject_needs_reason, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bulk, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
