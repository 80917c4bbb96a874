/* The CA operator's use cases (app/operator.c): paperwork, payment,
 * production, shipping, re-shipping, delivery and returns, each against
 * the rows, audit records and notices it must leave. */
#include "app/operator.h"
#include "fixture.h"
#include "pki/pki.h"

#define NUMS "SELECT COUNT(*) FROM "

static void reload(struct fx *f, struct application *app)
{
	assert_int_equal(application_load(f->d, f->a, app->id, app), 0);
}

/* Rows of a query with the application id as its one parameter. */
static int64_t count_for(struct fx *f, const char *sql, const struct application *app)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)app->id);
	return db_query_int64(f->d, -1, sql, id, (char *)NULL);
}

static int64_t audits(struct fx *f, const char *action)
{
	return db_query_int64(f->d, -1, NUMS "audit_log WHERE action = $1", action, (char *)NULL);
}

static const struct op_paperwork good_paperwork = {"E-123", "05.01.2026", "RR123456789TR"};

/* ---- paperwork ---- */

static void test_paperwork_clears_flag(void **state)
{
	struct fx *f = *state;
	struct application app;
	fx_application(f, REASON_ILK, APP_AWAITING_APPROVAL,
		       APP_NEEDS_APPROVAL | APP_NEEDS_PAPERWORK, &app);
	assert_int_equal(operator_record_paperwork(fx_ctx(f), &app, &good_paperwork), UC_OK);
	assert_int_equal(app.state, APP_AWAITING_APPROVAL);
	assert_int_equal(app.flags, APP_NEEDS_APPROVAL);
	reload(f, &app);
	assert_int_equal(app.state, APP_AWAITING_APPROVAL);
	assert_int_equal(app.flags, APP_NEEDS_APPROVAL);
	struct paperwork p;
	assert_int_equal(paperwork_load(f->d, f->a, app.id, &p), 0);
	assert_string_equal(p.dys_no, "E-123");
	assert_string_equal(p.dys_date, "2026-01-05");
	assert_string_equal(p.post_no, "RR123456789TR");
	assert_string_equal(p.recorded_by, "test:actor");
	assert_int_equal(audits(f, "paperwork_received"), 1);
	/* Bilgi Kanalı both: an e-mail and an SMS. */
	assert_int_equal(fx_count(f, NUMS "outbox"), 2);
	assert_int_equal(count_for(f,
				   NUMS
				   "application_events WHERE application_id = $1 AND "
				   "note LIKE 'Islak imzalı evrak alındı (DYS E-123, 2026-01-05%'",
				   &app),
			 1);
	/* Not waiting any more: refused, nothing written. */
	assert_int_equal(operator_record_paperwork(fx_ctx(f), &app, &good_paperwork), UC_CONFLICT);
	assert_string_equal(f->c.message, "Bu başvuru ıslak imzalı evrak beklemiyor.");
	assert_int_equal(audits(f, "paperwork_received"), 1);
	assert_int_equal(fx_count(f, NUMS "paperwork"), 1);
}

static void test_paperwork_input(void **state)
{
	struct fx *f = *state;
	struct application app;
	fx_application(f, REASON_ILK, APP_AWAITING_APPROVAL, 3, &app);
	static const struct op_paperwork bad[] = {
		{"", "05.01.2026", "RR1"},    {"E-1", "", "RR1"},	 {"E-1", "dün", "RR1"},
		{"E-1", "31.02.2026", "RR1"}, {"E-1", "05.01.2026", ""}, {NULL, NULL, NULL},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(operator_record_paperwork(fx_ctx(f), &app, &bad[i]), UC_INVALID);
		assert_non_null(strstr(f->c.message, "DYS sayısı"));
	}
	reload(f, &app);
	assert_int_equal(app.flags, 3);
	assert_int_equal(fx_count(f, NUMS "paperwork"), 0);
	assert_int_equal(fx_count(f, NUMS "audit_log"), 0);
}

/* Only an AWAITING_APPROVAL application with the flag waits for paperwork. */
static void test_paperwork_states(void **state)
{
	struct fx *f = *state;
	struct application app;
	for (int s = 0; s < APP_STATE__MAX; s++) {
		if (s == APP_AWAITING_APPROVAL)
			continue;
		fx_application(f, REASON_ILK, (enum app_state)s, 0, &app);
		assert_int_equal(operator_record_paperwork(fx_ctx(f), &app, &good_paperwork),
				 UC_CONFLICT);
	}
	fx_application(f, REASON_ILK, APP_AWAITING_APPROVAL, APP_NEEDS_APPROVAL, &app);
	assert_int_equal(operator_record_paperwork(fx_ctx(f), &app, &good_paperwork), UC_CONFLICT);
	assert_int_equal(fx_count(f, NUMS "paperwork"), 0);
}

/* Approval and paperwork in either order end in APPROVED. */
static void test_approval_paperwork_any_order(void **state)
{
	struct fx *f = *state;
	struct application first, second;
	/* Approved first: the paperwork is the last thing pending. */
	fx_application(f, REASON_ILK, APP_AWAITING_APPROVAL, APP_NEEDS_PAPERWORK, &first);
	assert_int_equal(operator_record_paperwork(fx_ctx(f), &first, &good_paperwork), UC_OK);
	reload(f, &first);
	assert_int_equal(first.state, APP_APPROVED);
	assert_int_equal(first.flags, 0);
	/* Paperwork first, then the authority's approval. */
	fx_application(f, REASON_ILK, APP_AWAITING_APPROVAL, 3, &second);
	assert_int_equal(operator_record_paperwork(fx_ctx(f), &second, &good_paperwork), UC_OK);
	reload(f, &second);
	assert_int_equal(second.state, APP_AWAITING_APPROVAL);
	struct uc_ctx *c = fx_ctx(f);
	assert_int_equal(uc_begin(c), UC_OK);
	enum uc_rc rc = application_step(
		c, &second, &(struct uc_step){.ev = EV_AUTHORITY_APPROVED, .action = "approve"});
	assert_int_equal(uc_end(c, rc), UC_OK);
	reload(f, &second);
	assert_int_equal(second.state, APP_APPROVED);
	assert_int_equal(second.flags, 0);
}

/* ---- payment ---- */

static void set_fee(struct fx *f, struct application *app, const char *kurus)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)app->id);
	assert_int_equal(db_execp(f->d, "UPDATE applications SET fee_kurus = $1 WHERE id = $2",
				  kurus, id, (char *)NULL),
			 0);
	reload(f, app);
}

static void test_payment_clears_flag(void **state)
{
	struct fx *f = *state;
	struct application app;
	fx_application(f, REASON_KAYIP_CALINTI, APP_AWAITING_APPROVAL,
		       APP_NEEDS_APPROVAL | APP_NEEDS_PAYMENT, &app);
	set_fee(f, &app, "17000");
	static const struct op_payment bad[] = {
		{"169,99", "M-1"}, {"171", "M-1"}, {"abc", "M-1"}, {"170", ""}, {NULL, "M-1"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(operator_record_payment(fx_ctx(f), &app, &bad[i]), UC_INVALID);
		assert_non_null(strstr(f->c.message, "(170,00 TL)"));
	}
	assert_int_equal(fx_count(f, NUMS "payments"), 0);
	assert_int_equal(operator_record_payment(fx_ctx(f), &app,
						 &(struct op_payment){"170,00", "M-42"}),
			 UC_OK);
	reload(f, &app);
	assert_int_equal(app.state, APP_AWAITING_APPROVAL);
	assert_int_equal(app.flags, APP_NEEDS_APPROVAL);
	struct payment p;
	assert_int_equal(payment_load(f->d, f->a, app.id, &p), 0);
	assert_int_equal(p.amount_kurus, 17000);
	assert_string_equal(p.receipt_no, "M-42");
	assert_int_equal(audits(f, "payment_received"), 1);
	assert_int_equal(fx_count(f, NUMS "outbox WHERE body LIKE '%170,00 TL%'"), 2);
	/* Paid: a second payment is refused. */
	assert_int_equal(operator_record_payment(fx_ctx(f), &app,
						 &(struct op_payment){"170", "M-43"}),
			 UC_CONFLICT);
	assert_string_equal(f->c.message, "Bu başvuru ücret ödemesi beklemiyor.");
	assert_int_equal(fx_count(f, NUMS "payments"), 1);
}

static void test_payment_last_pending_approves(void **state)
{
	struct fx *f = *state;
	struct application app;
	fx_application(f, REASON_KAYIP_CALINTI, APP_AWAITING_APPROVAL, APP_NEEDS_PAYMENT, &app);
	set_fee(f, &app, "17000");
	assert_int_equal(operator_record_payment(fx_ctx(f), &app,
						 &(struct op_payment){"170", "M-1"}),
			 UC_OK);
	reload(f, &app);
	assert_int_equal(app.state, APP_APPROVED);
}

/* ---- production ---- */

static const char *const fake_csr =
	"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n";

static void test_produce_only_from_approved(void **state)
{
	struct fx *f = *state;
	struct application app;
	char serial[81];
	for (int s = 0; s < APP_STATE__MAX; s++) {
		if (s == APP_APPROVED)
			continue;
		unsigned flags = s == APP_AWAITING_APPROVAL ? APP_NEEDS_APPROVAL : 0;
		fx_application(f, REASON_ILK, (enum app_state)s, flags, &app);
		assert_int_equal(operator_produce(fx_ctx(f), &app, fake_csr, serial), UC_CONFLICT);
		assert_string_equal(f->c.message,
				    "Bu işlem başvurunun şu anki durumunda yapılamaz.");
		assert_string_equal(serial, "");
		reload(f, &app);
		assert_int_equal(app.state, s);
	}
	fx_application(f, REASON_ILK, APP_APPROVED, 0, &app);
	assert_int_equal(operator_produce(fx_ctx(f), &app, "", serial), UC_INVALID);
	assert_non_null(strstr(f->c.message, "PKCS#10"));
	assert_int_equal(operator_produce(fx_ctx(f), &app, NULL, serial), UC_INVALID);
	assert_int_equal(fx_count(f, NUMS "certificates"), 0);
	assert_int_equal(fx_count(f, NUMS "audit_log"), 0);
}

/* A CA and a CSR made with the openssl command line. */
static void test_produce_issues(void **state)
{
	struct fx *f = *state;
	struct application app;
	char serial[81], err[256] = "", dir[64], cmd[512], csr[4096];
	snprintf(dir, sizeof dir, "/tmp/eimza-op-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof cmd, "%s/ca", dir);
	if (pki_ca_create(cmd, "p256", err, sizeof err) != 0)
		fail_msg("pki_ca_create: %s", err);
	assert_int_equal(pki_init(cmd), 0);
	snprintf(cmd, sizeof cmd,
		 "cd %s && openssl req -new -newkey ec -pkeyopt "
		 "ec_paramgen_curve:P-256 -nodes -keyout k.pem -subj /CN=x "
		 "-out r.csr 2>/dev/null && cat r.csr",
		 dir);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(csr, 1, sizeof csr - 1, p);
	csr[n] = '\0';
	assert_int_equal(pclose(p), 0);

	fx_application(f, REASON_ILK, APP_APPROVED, 0, &app);
	/* A CSR the CA refuses: nothing stays, the application is APPROVED. */
	assert_int_equal(operator_produce(fx_ctx(f), &app, fake_csr, serial), UC_INVALID);
	assert_non_null(strstr(f->c.message, "Sertifika üretilemedi: "));
	assert_int_equal(app.state, APP_APPROVED);
	reload(f, &app);
	assert_int_equal(app.state, APP_APPROVED);
	assert_int_equal(fx_count(f, NUMS "audit_log"), 0);
	assert_int_equal(fx_count(f, NUMS "outbox"), 0);

	assert_int_equal(operator_produce(fx_ctx(f), &app, csr, serial), UC_OK);
	assert_int_equal(strlen(serial), 40);
	assert_int_equal(app.state, APP_PRODUCED);
	reload(f, &app);
	assert_int_equal(app.state, APP_PRODUCED);
	assert_int_equal(count_for(f, NUMS "certificates WHERE application_id = $1", &app), 1);
	assert_int_equal(audits(f, "produced"), 1);
	assert_int_equal(fx_count(f, NUMS "outbox"), 2);
	/* Produced once: a second time is refused. */
	assert_int_equal(operator_produce(fx_ctx(f), &app, csr, serial), UC_CONFLICT);
	assert_int_equal(fx_count(f, NUMS "certificates"), 1);

	pki_shutdown();
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* ---- shipping, delivery, returns ---- */

static struct op_ship ship_in(const char *no)
{
	return (struct op_ship){"PTT Kargo", no, "https://example.org/kurye-takip?takip_no=x"};
}

static void test_ship_only_from_produced(void **state)
{
	struct fx *f = *state;
	struct application app;
	struct op_ship in = ship_in("KT-0001");
	for (int s = 0; s < APP_STATE__MAX; s++) {
		if (s == APP_PRODUCED)
			continue;
		unsigned flags = s == APP_AWAITING_APPROVAL ? APP_NEEDS_APPROVAL : 0;
		fx_application(f, REASON_ILK, (enum app_state)s, flags, &app);
		assert_int_equal(operator_ship(fx_ctx(f), &app, &in), UC_CONFLICT);
		reload(f, &app);
		assert_int_equal(app.state, s);
	}
	assert_int_equal(fx_count(f, NUMS "shipments"), 0);
	fx_application(f, REASON_ILK, APP_PRODUCED, 0, &app);
	static const struct op_ship bad[] = {
		{"", "KT-0001", NULL},	  {NULL, "KT-0001", NULL}, {"PTT", "KT", NULL},
		{"PTT", "KT 0001", NULL}, {"PTT", NULL, NULL},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(operator_ship(fx_ctx(f), &app, &bad[i]), UC_INVALID);
		assert_non_null(strstr(f->c.message, "takip numarası"));
	}
	assert_int_equal(operator_ship(fx_ctx(f), &app, &in), UC_OK);
	assert_int_equal(app.state, APP_SHIPPED);
	reload(f, &app);
	assert_int_equal(app.state, APP_SHIPPED);
	struct shipment s;
	assert_int_equal(shipment_latest_for_application(f->d, f->a, app.id, &s), 0);
	assert_string_equal(s.tracking_no, "KT-0001");
	assert_string_equal(s.courier, "PTT Kargo");
	assert_int_equal(s.status, SHIP_YOLDA);
	assert_int_equal(fx_count(f, NUMS "shipment_events WHERE status = 'yolda'"), 1);
	assert_int_equal(audits(f, "shipped"), 1);
	assert_int_equal(fx_count(f, NUMS "outbox WHERE channel = 'sms' AND body LIKE "
					  "'%KT-0001%' AND body LIKE '%kurye-takip%'"),
			 1);
}

static void test_not_shipped_twice(void **state)
{
	struct fx *f = *state;
	struct application app, other;
	fx_application(f, REASON_ILK, APP_PRODUCED, 0, &app);
	struct op_ship one = ship_in("KT-0001"), two = ship_in("KT-0002");
	assert_int_equal(operator_ship(fx_ctx(f), &app, &one), UC_OK);
	assert_int_equal(operator_ship(fx_ctx(f), &app, &two), UC_CONFLICT);
	assert_string_equal(f->c.message, "Bu işlem başvurunun şu anki durumunda yapılamaz.");
	assert_int_equal(fx_count(f, NUMS "shipments"), 1);
	/* A tracking number is used once: the other application stays PRODUCED. */
	fx_application(f, REASON_ILK, APP_PRODUCED, 0, &other);
	assert_int_equal(operator_ship(fx_ctx(f), &other, &one), UC_INVALID);
	assert_string_equal(f->c.message, "Bu takip numarası başka bir gönderide kullanılıyor.");
	assert_int_equal(other.state, APP_PRODUCED);
	reload(f, &other);
	assert_int_equal(other.state, APP_PRODUCED);
	assert_int_equal(fx_count(f, NUMS "shipments"), 1);
	assert_int_equal(audits(f, "shipped"), 1);
}

static void test_return_then_reship(void **state)
{
	struct fx *f = *state;
	struct application app;
	fx_application(f, REASON_ILK, APP_PRODUCED, 0, &app);
	assert_int_equal(operator_record_return(fx_ctx(f), &app, "x"), UC_CONFLICT);
	assert_string_equal(f->c.message, "Bu başvurunun yoldaki bir gönderisi yok.");
	struct op_ship one = ship_in("KT-0001"), two = ship_in("KT-0002");
	assert_int_equal(operator_ship(fx_ctx(f), &app, &one), UC_OK);
	assert_int_equal(operator_record_return(fx_ctx(f), &app, "Adreste yok"), UC_OK);
	reload(f, &app);
	assert_int_equal(app.state, APP_SHIPPED);
	struct shipment s;
	assert_int_equal(shipment_latest_for_application(f->d, f->a, app.id, &s), 0);
	assert_int_equal(s.status, SHIP_IADE);
	assert_string_equal(s.note, "Adreste yok");
	assert_true(s.returned_at > 0);
	assert_int_equal(audits(f, "returned"), 1);
	/* Returned: no delivery, no second return; shipped again. */
	assert_int_equal(operator_deliver(fx_ctx(f), &app), UC_CONFLICT);
	assert_int_equal(operator_record_return(fx_ctx(f), &app, NULL), UC_CONFLICT);
	assert_int_equal(operator_ship(fx_ctx(f), &app, &one), UC_INVALID); /* number used */
	assert_int_equal(operator_ship(fx_ctx(f), &app, &two), UC_OK);
	assert_int_equal(audits(f, "reshipped"), 1);
	assert_int_equal(fx_count(f, NUMS "outbox WHERE channel = 'sms' AND body LIKE "
					  "'%KT-0002%'"),
			 1);
	assert_int_equal(fx_count(f, NUMS "shipments"), 2);
	assert_int_equal(shipment_latest_for_application(f->d, f->a, app.id, &s), 0);
	assert_string_equal(s.tracking_no, "KT-0002");
	/* On its way again: not a third time. */
	assert_int_equal(operator_ship(fx_ctx(f), &app, &(struct op_ship){"PTT", "KT-0003", ""}),
			 UC_CONFLICT);
}

static void test_deliver_only_from_shipped(void **state)
{
	struct fx *f = *state;
	struct application app;
	fx_application(f, REASON_ILK, APP_PRODUCED, 0, &app);
	assert_int_equal(operator_deliver(fx_ctx(f), &app), UC_CONFLICT);
	assert_string_equal(f->c.message, "Bu başvurunun gönderisi yok.");
	struct op_ship in = ship_in("KT-0001");
	assert_int_equal(operator_ship(fx_ctx(f), &app, &in), UC_OK);
	assert_int_equal(operator_deliver(fx_ctx(f), &app), UC_OK);
	assert_int_equal(app.state, APP_DELIVERED);
	reload(f, &app);
	assert_int_equal(app.state, APP_DELIVERED);
	struct shipment s;
	assert_int_equal(shipment_latest_for_application(f->d, f->a, app.id, &s), 0);
	assert_int_equal(s.status, SHIP_TESLIM);
	assert_true(s.delivered_at > 0);
	assert_int_equal(audits(f, "delivered"), 1);
	assert_int_equal(fx_count(f, NUMS "shipment_events WHERE status = 'teslim' AND note = "
					  "'Teslim edildi (SM operatörü kaydetti)'"),
			 1);
	/* Delivered: nothing more. */
	assert_int_equal(operator_deliver(fx_ctx(f), &app), UC_CONFLICT);
	assert_int_equal(operator_record_return(fx_ctx(f), &app, NULL), UC_CONFLICT);
	assert_int_equal(operator_ship(fx_ctx(f), &app, &in), UC_CONFLICT);
	assert_int_equal(audits(f, "delivered"), 1);
}

/* ---- what the page offers ---- */

static void test_facts_and_actions(void **state)
{
	struct fx *f = *state;
	struct application app;
	struct op_facts facts;
	struct op_actions can;
	fx_application(f, REASON_ILK, APP_AWAITING_APPROVAL, 3, &app);
	assert_int_equal(operator_facts(fx_ctx(f), &app, &facts), UC_OK);
	assert_false(facts.has_paperwork || facts.has_payment || facts.has_shipment);
	operator_actions(&app, &facts, &can);
	assert_true(can.paperwork && !can.payment && !can.produce && !can.ship && !can.deliver);
	assert_int_equal(operator_record_paperwork(fx_ctx(f), &app, &good_paperwork), UC_OK);
	assert_int_equal(operator_facts(fx_ctx(f), &app, &facts), UC_OK);
	assert_true(facts.has_paperwork);
	assert_string_equal(facts.paperwork.dys_no, "E-123");

	fx_application(f, REASON_ILK, APP_PRODUCED, 0, &app);
	assert_int_equal(operator_facts(fx_ctx(f), &app, &facts), UC_OK);
	operator_actions(&app, &facts, &can);
	assert_true(can.ship && !can.deliver && !can.produce);
	struct op_ship in = ship_in("KT-0009");
	assert_int_equal(operator_ship(fx_ctx(f), &app, &in), UC_OK);
	assert_int_equal(operator_facts(fx_ctx(f), &app, &facts), UC_OK);
	assert_true(facts.has_shipment);
	operator_actions(&app, &facts, &can);
	assert_true(!can.ship && can.deliver);
}

struct seen {
	int n;
	int64_t ids[8];
};

static void collect(void *ctx, const struct application *a)
{
	struct seen *s = ctx;
	if (s->n < 8)
		s->ids[s->n] = a->id;
	s->n++;
}

static void test_queues(void **state)
{
	struct fx *f = *state;
	struct application pw, pay, both, appr, prod, ship;
	int64_t want[OPQ__MAX][3] = {
		{fx_application(f, REASON_ILK, APP_AWAITING_APPROVAL, 3, &pw)},
		{fx_application(f, REASON_KAYIP_CALINTI, APP_AWAITING_APPROVAL, 5, &pay)},
		{fx_application(f, REASON_ILK, APP_APPROVED, 0, &appr)},
		{fx_application(f, REASON_ILK, APP_PRODUCED, 0, &prod)},
		{fx_application(f, REASON_ILK, APP_SHIPPED, 0, &ship)},
	};
	fx_application(f, REASON_KAYIP_CALINTI, APP_AWAITING_APPROVAL, 7, &both);
	want[OPQ_PAPERWORK][1] = both.id;
	want[OPQ_PAYMENT][1] = both.id;
	for (int q = 0; q < OPQ__MAX; q++) {
		struct seen s = {0};
		assert_int_equal(operator_queue(fx_ctx(f), (enum op_queue)q, 200, collect, &s),
				 UC_OK);
		int expect = want[q][1] ? 2 : 1;
		assert_int_equal(s.n, expect);
		for (int i = 0; i < expect; i++)
			assert_int_equal(s.ids[i], want[q][i]);
	}
	struct seen s = {0};
	assert_int_equal(operator_queue(fx_ctx(f), OPQ_PAPERWORK, 1, collect, &s), UC_OK);
	assert_int_equal(s.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paperwork_clears_flag, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_paperwork_input, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_paperwork_states, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_approval_paperwork_any_order, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_payment_clears_flag, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_payment_last_pending_approves, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_produce_only_from_approved, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_produce_issues, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_ship_only_from_produced, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_not_shipped_twice, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_return_then_reship, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_deliver_only_from_shipped, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_facts_and_actions, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_queues, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
