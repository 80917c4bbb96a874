/* Courier events (app/courier.c): unknown numbers, the order of events,
 * delivery moving the application, returns, CSV files and the public
 * tracking view. */
#include "app/courier.h"
#include "app/operator.h"
#include "fixture.h"

#define NUMS "SELECT COUNT(*) FROM "

static int64_t audits(struct fx *f, const char *action)
{
	return db_query_int64(f->d, -1, NUMS "audit_log WHERE action = $1", action, (char *)NULL);
}

/* A shipped application with tracking number no. */
static void shipped(struct fx *f, const char *no, struct application *app)
{
	fx_application(f, REASON_ILK, APP_PRODUCED, 0, app);
	struct op_ship in = {"PTT Kargo", no, "https://example.org/kurye-takip"};
	assert_int_equal(operator_ship(fx_ctx(f), app, &in), UC_OK);
}

static enum uc_rc report(struct fx *f, const char *no, const char *status)
{
	struct courier_report e = {.tracking_no = no, .status = status, .location = "Zonguldak"};
	return courier_report(fx_ctx(f), &e);
}

static enum ship_status status_of(struct fx *f, const char *no)
{
	struct shipment s;
	assert_int_equal(shipment_by_tracking(f->d, f->a, no, &s), 0);
	return s.status;
}

static void test_unknown_and_invalid(void **state)
{
	struct fx *f = *state;
	assert_int_equal(report(f, "YOK-999", "yolda"), UC_NOT_FOUND);
	assert_string_equal(f->c.message, "gönderi bulunamadı ya da kapanmış");
	static const char *const bad[][2] = {
		{NULL, "yolda"}, {"", "yolda"},	    {"KT-1", NULL},
		{"KT-1", ""},	 {"KT-1", "Yolda"}, {"KT-1", "kayboldu"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(report(f, bad[i][0], bad[i][1]), UC_INVALID);
		assert_non_null(strstr(f->c.message, "takip_no ve durum"));
	}
	assert_int_equal(fx_count(f, NUMS "audit_log"), 0);
	struct courier_tracking k;
	assert_int_equal(courier_track(fx_ctx(f), "YOK-999", &k), UC_NOT_FOUND);
}

/* Events keep their order; a closed shipment accepts nothing. */
static void test_order(void **state)
{
	struct fx *f = *state;
	struct application app;
	shipped(f, "KT-0001", &app);
	assert_int_equal(report(f, "KT-0001", "yolda"), UC_OK); /* another hub */
	assert_int_equal(report(f, "KT-0001", "dagitimda"), UC_OK);
	assert_int_equal(audits(f, "courier_event"), 2);
	/* Back to "in transit" after "out for delivery": refused, nothing written. */
	assert_int_equal(report(f, "KT-0001", "yolda"), UC_CONFLICT);
	assert_non_null(strstr(f->c.message, "olay sırası"));
	assert_int_equal(status_of(f, "KT-0001"), SHIP_DAGITIMDA);
	assert_int_equal(audits(f, "courier_event"), 2);
	assert_int_equal(fx_count(f, NUMS "shipment_events"), 3);
	assert_int_equal(report(f, "KT-0001", "dagitimda"), UC_OK); /* second attempt */
	/* Delivered: the application follows; the shipment is closed. */
	assert_int_equal(report(f, "KT-0001", "teslim"), UC_OK);
	assert_int_equal(status_of(f, "KT-0001"), SHIP_TESLIM);
	assert_int_equal(application_load(f->d, f->a, app.id, &app), 0);
	assert_int_equal(app.state, APP_DELIVERED);
	assert_int_equal(audits(f, "delivered"), 1);
	assert_int_equal(fx_count(f, NUMS "outbox WHERE subject LIKE '%teslim edildi%' OR "
					  "body LIKE 'e-İmza kartınız teslim edildi%'"),
			 2);
	static const char *const after[] = {"yolda", "dagitimda", "teslim", "iade"};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(report(f, "KT-0001", after[i]), UC_CONFLICT);
		assert_string_equal(f->c.message, "gönderi bulunamadı ya da kapanmış");
	}
	assert_int_equal(audits(f, "delivered"), 1);
	assert_int_equal(fx_count(f, NUMS "shipment_events"), 5);
}

static void test_return_keeps_shipped(void **state)
{
	struct fx *f = *state;
	struct application app;
	shipped(f, "KT-0001", &app);
	struct courier_report e = {.tracking_no = "KT-0001",
				   .status = "iade",
				   .note = "Alıcı bulunamadı",
				   .at = 1800000000};
	assert_int_equal(courier_report(fx_ctx(f), &e), UC_OK);
	struct shipment s;
	assert_int_equal(shipment_by_tracking(f->d, f->a, "KT-0001", &s), 0);
	assert_int_equal(s.status, SHIP_IADE);
	assert_int_equal(s.returned_at, 1800000000);
	assert_string_equal(s.note, "Alıcı bulunamadı");
	assert_int_equal(application_load(f->d, f->a, app.id, &app), 0);
	assert_int_equal(app.state, APP_SHIPPED);
	assert_int_equal(db_query_int64(f->d, -1,
					NUMS
					"audit_log WHERE action = 'returned' AND "
					"object = 'shipment:KT-0001' AND before_state = 'yolda' "
					"AND after_state = 'iade'",
					(char *)NULL),
			 1);
	assert_int_equal(report(f, "KT-0001", "teslim"), UC_CONFLICT);
}

/* Delivery reported for an application that is not SHIPPED: refused whole. */
static void test_delivery_needs_shipped_application(void **state)
{
	struct fx *f = *state;
	struct application app;
	shipped(f, "KT-0001", &app);
	assert_int_equal(application_set_state(f->d, app.id, APP_SHIPPED, APP_CANCELLED, 0, "Test",
					       NULL, 1700000000),
			 0);
	assert_int_equal(report(f, "KT-0001", "teslim"), UC_CONFLICT);
	assert_int_equal(status_of(f, "KT-0001"), SHIP_YOLDA);
	assert_int_equal(audits(f, "delivered"), 0);
}

struct results {
	int n, ok;
	char text[1024];
};

static void on_row(void *ctx, const struct courier_report *e, enum uc_rc rc, const char *msg)
{
	struct results *r = ctx;
	size_t used = strlen(r->text);
	snprintf(r->text + used, sizeof r->text - used, "%s:%s:%s;",
		 e->tracking_no ? e->tracking_no : "", uc_rc_name(rc), rc == UC_OK ? "" : msg);
	r->n++;
	r->ok += rc == UC_OK;
}

static enum uc_rc csv(struct fx *f, const char *body, struct results *r)
{
	memset(r, 0, sizeof *r);
	return courier_report_csv(fx_ctx(f), body, strlen(body), on_row, r);
}

static void test_csv(void **state)
{
	struct fx *f = *state;
	struct application app;
	struct results r;
	shipped(f, "KT-0002", &app);
	assert_int_equal(csv(f, "takip_no,konum\nKT-0002,x\n", &r), UC_INVALID);
	assert_int_equal(csv(f, "", &r), UC_INVALID);
	assert_int_equal(csv(f, "takip_no,durum\n\"KT-0002,yolda\n", &r), UC_INVALID);
	assert_int_equal(r.n, 0);
	assert_int_equal(csv(f,
			     "aciklama,zaman,durum,takip_no,konum\n"
			     "kapıda,1800000000,dagitimda,KT-0002,Zonguldak\n"
			     ",,yolda,KT-0002,\n"
			     ",,yolda,YOK-1,x\n"
			     ",,teslim,KT-0002,\n",
			     &r),
			 UC_OK);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.ok, 2);
	assert_non_null(strstr(r.text, "KT-0002:ok:;"));
	assert_non_null(strstr(r.text, "KT-0002:conflict:olay sırası"));
	assert_non_null(strstr(r.text, "YOK-1:not_found:gönderi bulunamadı ya da kapanmış;"));
	assert_int_equal(status_of(f, "KT-0002"), SHIP_TESLIM);
	assert_int_equal(db_query_int64(f->d, -1,
					NUMS "shipment_events WHERE at = 1800000000 AND "
					     "note = 'kapıda' AND location = 'Zonguldak'",
					(char *)NULL),
			 1);
	assert_int_equal(application_load(f->d, f->a, app.id, &app), 0);
	assert_int_equal(app.state, APP_DELIVERED);
}

/* More than COURIER_CSV_MAX rows: refused whole, nothing recorded. */
static void test_csv_limit(void **state)
{
	struct fx *f = *state;
	struct application app;
	struct results r;
	shipped(f, "KT-0003", &app);
	size_t cap = 32 * (COURIER_CSV_MAX + 2);
	char *body = malloc(cap);
	assert_non_null(body);
	size_t n = (size_t)snprintf(body, cap, "takip_no,durum\n");
	for (int i = 0; i <= COURIER_CSV_MAX; i++)
		n += (size_t)snprintf(body + n, cap - n, "KT-0003,yolda\n");
	assert_int_equal(csv(f, body, &r), UC_LIMITED);
	assert_int_equal(r.n, 0);
	assert_int_equal(fx_count(f, NUMS "shipment_events"), 1);
	/* Exactly the maximum is accepted. */
	n = (size_t)snprintf(body, cap, "takip_no,durum\n");
	for (int i = 0; i < COURIER_CSV_MAX; i++)
		n += (size_t)snprintf(body + n, cap - n, "KT-0003,yolda\n");
	memset(&r, 0, sizeof r);
	assert_int_equal(courier_report_csv(fx_ctx(f), body, n, on_row, &r), UC_OK);
	assert_int_equal(r.ok, COURIER_CSV_MAX);
	free(body);
}

static void test_track(void **state)
{
	struct fx *f = *state;
	struct application app;
	struct courier_tracking k;
	shipped(f, "KT-0004", &app);
	assert_int_equal(report(f, "KT-0004", "dagitimda"), UC_OK);
	assert_int_equal(courier_track(fx_ctx(f), "KT-0004", &k), UC_OK);
	assert_string_equal(k.s.courier, "PTT Kargo");
	assert_int_equal(k.s.status, SHIP_DAGITIMDA);
	assert_string_equal(k.ad, app.ad);
	assert_string_equal(k.soyad, app.soyad);
	assert_int_equal(k.n_events, 2);
	assert_int_equal(k.events[0].status, SHIP_YOLDA);
	assert_string_equal(k.events[0].note, "Gönderi kuryeye teslim edildi");
	assert_string_equal(k.events[0].location, "");
	assert_int_equal(k.events[1].status, SHIP_DAGITIMDA);
	assert_string_equal(k.events[1].location, "Zonguldak");
}

struct listed {
	int n;
	char first[64];
};

static void on_listed(void *ctx, const struct shipment_summary *s)
{
	struct listed *l = ctx;
	if (l->n++ == 0)
		snprintf(l->first, sizeof l->first, "%s %s %s", s->tracking_no,
			 ship_status_name(s->status), s->courier);
}

/* The holder's shipments (NES Bireysel), newest first. */
static void test_list_for_tckn(void **state)
{
	struct fx *f = *state;
	struct application app;
	struct listed l = {0};
	shipped(f, "KT-0005", &app);
	assert_int_equal(report(f, "KT-0005", "iade"), UC_OK);
	struct op_ship in = {"Aras", "KT-0006", ""};
	assert_int_equal(operator_ship(fx_ctx(f), &app, &in), UC_OK);
	assert_int_equal(shipment_list_for_tckn(f->d, app.tckn, on_listed, &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.first, "KT-0006 yolda Aras");
	memset(&l, 0, sizeof l);
	assert_int_equal(shipment_list_for_tckn(f->d, "10000000146", on_listed, &l), 0);
	assert_int_equal(l.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unknown_and_invalid, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_order, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_return_keeps_shipped, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_delivery_needs_shipped_application, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_csv, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_csv_limit, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_track, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_list_for_tckn, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
