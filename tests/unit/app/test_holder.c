/* The certificate holder's use cases (app/holder.c): hold, release and
 * revoke of the holder's own certificates (and refusals for another
 * person's, a revoked or an expired one), and the contact change with its
 * audit record and notice. The CA signer is not running here, so the CRL
 * refresh after a commit only logs an error; the stored status is what
 * OCSP and the CRL are built from. */
#include "app/holder.h"
#include "app/otp.h"
#include "domain/form.h"
#include "fixture.h"
#include "pki/pki.h"
#include "store/holder.h"

#define SERIAL "0A1B2C3D4E5F"
#define OTHER_SERIAL "0F0E0D0C0B0A"

/* A certificate row for tckn with status and notAfter. */
static void add_cert(struct fx *f, const char *serial, const char *tckn, const char *status,
		     int64_t not_after)
{
	db_stmt *st = db_prepare(f->d, "INSERT INTO certificates (serial_hex, tckn, subject, "
				       "not_before, not_after, der, status, revoked_at, reason, "
				       "created_at) VALUES ($1, $2, 'CN=test', $3, $4, $5, $6, $7, "
				       "$8, $3)");
	assert_non_null(st);
	int revoked = strcmp(status, "good") != 0;
	db_bind_text(st, 1, serial);
	db_bind_text(st, 2, tckn);
	db_bind_int64(st, 3, 1700000000);
	db_bind_int64(st, 4, not_after);
	db_bind_blob(st, 5, "x", 1);
	db_bind_text(st, 6, status);
	if (revoked) {
		db_bind_int64(st, 7, 1700000100);
		db_bind_int64(st, 8, strcmp(status, "hold") == 0 ? 6 : 1);
	} else {
		db_bind_null(st, 7);
		db_bind_null(st, 8);
	}
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
}

/* The holder: the first demo person's application in PRODUCED with a
 * certificate of `status` valid for a year. */
static void holder(struct fx *f, struct application *app, const char *status)
{
	fx_application(f, REASON_ILK, APP_PRODUCED, 0, app);
	add_cert(f, SERIAL, app->tckn, status, f->c.now + 365 * 86400);
}

/* A text column of the first row of sql with one text parameter (arena). */
static const char *text_of(struct fx *f, const char *sql, const char *param)
{
	db_stmt *st = db_prepare(f->d, sql);
	assert_non_null(st);
	db_bind_text(st, 1, param);
	const char *v = NULL;
	if (db_step(st) == DB_ROW && db_col_text(st, 0) != NULL)
		v = arena_strdup(f->a, db_col_text(st, 0));
	db_finalize(st);
	return v;
}

static const char *cert_status(struct fx *f, const char *serial)
{
	return text_of(f, "SELECT status FROM certificates WHERE serial_hex = $1", serial);
}

/* "action before after detail" of the newest audit record of object. */
static const char *last_audit(struct fx *f, const char *object)
{
	return text_of(f,
		       "SELECT action || ' ' || COALESCE(before_state, '-') || ' ' || "
		       "COALESCE(after_state, '-') || ' ' || actor || ' ' || "
		       "COALESCE(detail, '') FROM audit_log WHERE object = $1 "
		       "ORDER BY id DESC LIMIT 1",
		       object);
}

static int64_t audits(struct fx *f)
{
	return fx_count(f, "SELECT COUNT(*) FROM audit_log");
}

static int64_t outbox(struct fx *f)
{
	return fx_count(f, "SELECT COUNT(*) FROM outbox");
}

static struct uc_ctx *holder_ctx(struct fx *f)
{
	struct uc_ctx *c = fx_ctx(f);
	c->actor = "bireysel:holder";
	return c;
}

/* ---- the stored status (the views and rules: tests/unit/domain) ---- */

/* holder_certificate reads each stored status name as the domain's enum;
 * another person's or an unknown serial is 1. */
static void test_stored_status(void **state)
{
	struct fx *f = *state;
	struct application app;
	holder(f, &app, "good");
	static const struct {
		const char *serial, *stored;
		enum cert_status want;
	} rows[] = {{"0C01", "good", CERT_GOOD},
		    {"0C02", "hold", CERT_HOLD},
		    {"0C03", "revoked", CERT_REVOKED}};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		add_cert(f, rows[i].serial, app.tckn, rows[i].stored, 1800000000 + (int64_t)i);
		enum cert_status st = CERT_STATUS__MAX;
		int64_t not_after = 0;
		assert_int_equal(
			holder_certificate(f->d, rows[i].serial, app.tckn, &st, &not_after), 0);
		assert_int_equal(st, rows[i].want);
		assert_int_equal(not_after, 1800000000 + (int64_t)i);
	}
	enum cert_status st;
	int64_t not_after;
	assert_int_equal(holder_certificate(f->d, "0C01", "10000000146", &st, &not_after), 1);
	assert_int_equal(holder_certificate(f->d, "0C09", app.tckn, &st, &not_after), 1);
}

/* ---- hold, release, revoke ---- */

static void test_hold(void **state)
{
	struct fx *f = *state;
	struct application app;
	holder(f, &app, "good");
	int64_t mails = outbox(f);
	/* Any case of the serial names the certificate. */
	assert_int_equal(holder_cert_hold(holder_ctx(f), &app, "0a1b2c3d4e5f"), UC_OK);
	assert_string_equal(cert_status(f, SERIAL), "hold");
	assert_int_equal(fx_count(f, "SELECT reason FROM certificates"), PKI_REASON_HOLD);
	assert_string_equal(last_audit(f, "certificate:" SERIAL),
			    "hold good hold bireysel:holder certificateHold (NES Bireysel)");
	/* Bilgi Kanalı IKISI: an e-mail and an SMS. */
	assert_int_equal(outbox(f), mails + 2);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM outbox WHERE recipient = "
				     "'ayse@example.org' AND subject LIKE '%askıya alındı%' "
				     "AND body LIKE '%" SERIAL "%'"),
			 1);
	/* Held again: refused, nothing written. */
	int64_t n = audits(f);
	struct uc_ctx *c = holder_ctx(f);
	assert_int_equal(holder_cert_hold(c, &app, SERIAL), UC_CONFLICT);
	assert_string_equal(c->message, "Bu işlem sertifikanın şimdiki durumunda (Askıda) "
					"yapılamaz.");
	assert_int_equal(audits(f), n);
	assert_int_equal(outbox(f), mails + 2);
}

static void test_release_of_held(void **state)
{
	struct fx *f = *state;
	struct application app;
	holder(f, &app, "hold");
	assert_int_equal(holder_cert_release(holder_ctx(f), &app, SERIAL), UC_OK);
	assert_string_equal(cert_status(f, SERIAL), "good");
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM certificates WHERE reason IS NULL "
				     "AND revoked_at IS NULL"),
			 1);
	assert_string_equal(last_audit(f, "certificate:" SERIAL),
			    "release hold good bireysel:holder removeFromCRL (NES Bireysel)");
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM outbox WHERE subject LIKE "
				     "'%askıdan kaldırıldı%' OR body LIKE '%askıdan kaldırıldı%'"),
			 2);
	/* A good certificate has no hold to release. */
	struct uc_ctx *c = holder_ctx(f);
	assert_int_equal(holder_cert_release(c, &app, SERIAL), UC_CONFLICT);
	assert_non_null(strstr(c->message, "(Geçerli)"));
}

static void test_release_refused_for_revoked(void **state)
{
	struct fx *f = *state;
	struct application app;
	holder(f, &app, "revoked");
	int64_t n = audits(f), m = outbox(f);
	struct uc_ctx *c = holder_ctx(f);
	assert_int_equal(holder_cert_release(c, &app, SERIAL), UC_CONFLICT);
	assert_string_equal(c->message, "Bu işlem sertifikanın şimdiki durumunda (İptal "
					"edildi) yapılamaz.");
	assert_int_equal(holder_cert_hold(holder_ctx(f), &app, SERIAL), UC_CONFLICT);
	assert_int_equal(holder_cert_revoke(holder_ctx(f), &app, SERIAL, HRR_ANAHTAR), UC_CONFLICT);
	assert_string_equal(cert_status(f, SERIAL), "revoked");
	assert_int_equal(audits(f), n);
	assert_int_equal(outbox(f), m);
}

static void test_revoke(void **state)
{
	struct fx *f = *state;
	struct application app;
	holder(f, &app, "good");
	assert_int_equal(holder_cert_revoke(holder_ctx(f), &app, SERIAL, HRR_BILGI_DEGISTI), UC_OK);
	assert_string_equal(cert_status(f, SERIAL), "revoked");
	assert_int_equal(fx_count(f, "SELECT reason FROM certificates"),
			 PKI_REASON_AFFILIATION_CHANGED);
	assert_string_equal(last_audit(f, "certificate:" SERIAL),
			    "revoke good revoked bireysel:holder affiliationChanged (NES "
			    "Bireysel: Bilgiler değişti)");
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM outbox WHERE body LIKE "
				     "'%iptal edildi (Bilgiler değişti)%'"),
			 1);
	/* Revoked is final. */
	assert_int_equal(holder_cert_revoke(holder_ctx(f), &app, SERIAL, HRR_ANAHTAR), UC_CONFLICT);
	assert_int_equal(fx_count(f, "SELECT reason FROM certificates"),
			 PKI_REASON_AFFILIATION_CHANGED);
}

static void test_revoke_of_held_and_bad_reason(void **state)
{
	struct fx *f = *state;
	struct application app;
	holder(f, &app, "hold");
	struct uc_ctx *c = holder_ctx(f);
	assert_int_equal(holder_cert_revoke(c, &app, SERIAL, HRR__MAX), UC_INVALID);
	assert_string_equal(c->field, "neden");
	assert_string_equal(cert_status(f, SERIAL), "hold");
	assert_int_equal(holder_cert_revoke(holder_ctx(f), &app, SERIAL, HRR_KAYIP_CALINTI), UC_OK);
	assert_string_equal(cert_status(f, SERIAL), "revoked");
	assert_int_equal(fx_count(f, "SELECT reason FROM certificates"), PKI_REASON_KEY_COMPROMISE);
	assert_string_equal(last_audit(f, "certificate:" SERIAL),
			    "revoke hold revoked bireysel:holder keyCompromise (NES Bireysel: "
			    "Kayıp/Çalıntı)");
}

static void test_expired_refused(void **state)
{
	struct fx *f = *state;
	struct application app;
	fx_application(f, REASON_ILK, APP_DELIVERED, 0, &app);
	add_cert(f, SERIAL, app.tckn, "good", f->c.now - 1);
	struct uc_ctx *c = holder_ctx(f);
	assert_int_equal(holder_cert_hold(c, &app, SERIAL), UC_CONFLICT);
	assert_non_null(strstr(c->message, "(Süresi doldu)"));
	assert_int_equal(holder_cert_revoke(holder_ctx(f), &app, SERIAL, HRR_ANAHTAR), UC_CONFLICT);
	assert_string_equal(cert_status(f, SERIAL), "good");
}

static void test_other_persons_certificate(void **state)
{
	struct fx *f = *state;
	struct application app;
	size_t np;
	const struct demo_person *people = store_demo_people(&np);
	assert_true(np >= 2);
	holder(f, &app, "good");
	add_cert(f, OTHER_SERIAL, people[1].tckn, "good", f->c.now + 86400);
	add_cert(f, "0B0B", people[1].tckn, "hold", f->c.now + 86400);
	int64_t n = audits(f), m = outbox(f);
	struct uc_ctx *c = holder_ctx(f);
	assert_int_equal(holder_cert_hold(c, &app, OTHER_SERIAL), UC_NOT_FOUND);
	assert_string_equal(c->message, "Bu seri numarasıyla size ait bir sertifika "
					"bulunamadı.");
	assert_int_equal(holder_cert_revoke(holder_ctx(f), &app, OTHER_SERIAL, HRR_ANAHTAR),
			 UC_NOT_FOUND);
	assert_int_equal(holder_cert_release(holder_ctx(f), &app, "0B0B"), UC_NOT_FOUND);
	struct holder_cert hc;
	static const char *const bad[] = {
		NULL, "", "ABCDEF0123",
		"0000000000000000000000000000000000000000000000000000000000000000000000000000000000"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(holder_cert_find(holder_ctx(f), &app, bad[i], &hc), UC_NOT_FOUND);
	assert_string_equal(cert_status(f, OTHER_SERIAL), "good");
	assert_string_equal(cert_status(f, "0B0B"), "hold");
	assert_int_equal(audits(f), n);
	assert_int_equal(outbox(f), m);
	/* The holder's own is found, with its view. */
	assert_int_equal(holder_cert_find(holder_ctx(f), &app, SERIAL, &hc), UC_OK);
	assert_string_equal(hc.serial, SERIAL);
	assert_int_equal(hc.view, HCV_GOOD);
	assert_int_equal(hc.status, CERT_GOOD);
}

/* ---- contact details ---- */

static void test_contact_same_number(void **state)
{
	struct fx *f = *state;
	struct application app;
	holder(f, &app, "good");
	struct holder_contact to = {"yeni@example.org", "0532 111 22 33", "EPOSTA"};
	assert_int_equal(holder_contact_change(holder_ctx(f), &app, &to, NULL), UC_OK);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM applications WHERE eposta = "
				     "'yeni@example.org' AND cep_tel = '5321112233' AND "
				     "bilgi_kanali = 'EPOSTA'"),
			 1);
	assert_string_equal(last_audit(f, uc_application_object(&f->c, &app)),
			    "contact_update - - bireysel:holder eposta bilgi_kanali");
	/* The notice goes to the OLD details (IKISI: old e-mail and mobile). */
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM outbox WHERE recipient = "
				     "'ayse@example.org' AND subject = 'İletişim bilgileriniz "
				     "değiştirildi'"),
			 1);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND "
				     "body LIKE '%iletişim bilgileriniz%'"),
			 1);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM outbox WHERE recipient = "
				     "'yeni@example.org'"),
			 0);
	assert_int_equal(holder_load(f->d, f->a, app.tckn, &app, NULL), 0);
	assert_int_equal(app.channels, CHANNEL_EPOSTA);
}

static void test_contact_invalid(void **state)
{
	struct fx *f = *state;
	struct application app;
	holder(f, &app, "good");
	static const struct {
		struct holder_contact in;
		const char *field;
	} rows[] = {
		{{"yanlis@", "5321112233", "IKISI"}, "eposta"},
		{{NULL, "5321112233", "IKISI"}, "eposta"},
		{{"a@example.org", "0312 111 22 33", "IKISI"}, "cep_tel"},
		{{"a@example.org", "5321112233", "FAKS"}, "bilgi_kanali"},
		{{"a@example.org", "5321112233", NULL}, "bilgi_kanali"},
	};
	int64_t n = audits(f), m = outbox(f);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct uc_ctx *c = holder_ctx(f);
		assert_int_equal(holder_contact_change(c, &app, &rows[i].in, NULL), UC_INVALID);
		assert_string_equal(c->field, rows[i].field);
		assert_non_null(c->message);
	}
	assert_int_equal(audits(f), n);
	assert_int_equal(outbox(f), m);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM applications WHERE eposta = "
				     "'ayse@example.org'"),
			 1);
}

/* The code of the newest SMS to `to` (the first 6-digit run). */
static void code_sent_to(struct fx *f, const char *to, char code[7])
{
	const char *b = text_of(f,
				"SELECT body FROM outbox WHERE channel = 'sms' AND "
				"recipient LIKE '%' || $1 ORDER BY id DESC LIMIT 1",
				to);
	assert_non_null(b);
	size_t i = strcspn(b, "0123456789");
	assert_true(strspn(b + i, "0123456789") >= 6);
	memcpy(code, b + i, 6);
	code[6] = '\0';
}

static void test_contact_new_number_needs_its_code(void **state)
{
	struct fx *f = *state;
	struct application app;
	char code[7], wrong[12];
	holder(f, &app, "good");
	struct holder_contact to = {"ayse@example.org", "5339998877", "SMS"};
	/* No code sent yet, or none given: nothing changes. */
	struct uc_ctx *c = holder_ctx(f);
	assert_int_equal(holder_contact_change(c, &app, &to, "123456"), UC_INVALID);
	assert_string_equal(c->field, "sms_kodu");
	assert_int_equal(holder_contact_change(holder_ctx(f), &app, &to, NULL), UC_INVALID);
	assert_int_equal(otp_send(holder_ctx(f), &app, OTP_CONTACT_CHANGE, to.cep_tel, 1), UC_OK);
	code_sent_to(f, "5339998877", code);
	snprintf(wrong, sizeof wrong, "%06d", (atoi(code) + 1) % 1000000);
	c = holder_ctx(f);
	assert_int_equal(holder_contact_change(c, &app, &to, wrong), UC_INVALID);
	assert_string_equal(c->message, "Kod hatalı. Kalan deneme hakkı: 2.");
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM applications WHERE cep_tel = "
				     "'5321112233'"),
			 1);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log WHERE action = "
				     "'contact_update'"),
			 0);
	assert_int_equal(holder_contact_change(holder_ctx(f), &app, &to, code), UC_OK);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM applications WHERE cep_tel = "
				     "'5339998877' AND bilgi_kanali = 'SMS'"),
			 1);
	assert_string_equal(last_audit(f, uc_application_object(&f->c, &app)),
			    "contact_update - - bireysel:holder cep_tel bilgi_kanali");
	/* The old mobile hears of it. */
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND "
				     "recipient LIKE '%5321112233' AND body LIKE "
				     "'%iletişim bilgileriniz%'"),
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_stored_status, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_hold, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_release_of_held, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_release_refused_for_revoked, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_revoke, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_revoke_of_held_and_bad_reason, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_expired_refused, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_other_persons_certificate, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_contact_same_number, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_contact_invalid, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_contact_new_number_needs_its_code, fx_setup,
						fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
