/* The applicant portal's use cases (app/apply_*.c): submit, SMS verified
 * (which no longer touches a Kayıp/Çalıntı certificate), signing method and e-onay upload,
 * cancel from every state, and the CA's PRODUCED hook. */
#include "app/apply.h"
#include "fixture.h"
#include "store/certificate.h"
#include "util/clock.h"

#define NOW 1700000000

/* A certificate row of the first demo person (no DER needed here). */
static void add_cert(struct fx *f, const char *serial, int64_t nb, int64_t na, const char *status)
{
	size_t n;
	const struct demo_person *p = store_demo_people(&n);
	db_stmt *st = db_prepare(f->d, "INSERT INTO certificates (serial_hex, tckn, subject, "
				       "not_before, not_after, der, status, created_at) VALUES "
				       "($1, $2, 'CN=test', $3, $4, X'00', $5, $3)");
	assert_non_null(st);
	db_bind_text(st, 1, serial);
	db_bind_text(st, 2, p->tckn);
	db_bind_int64(st, 3, nb);
	db_bind_int64(st, 4, na);
	db_bind_text(st, 5, status);
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
}

static void set_replaces(struct fx *f, struct application *app, const char *serial)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)app->id);
	assert_int_equal(db_execp(f->d,
				  "UPDATE applications SET replaces_serial = $1 WHERE id = "
				  "CAST($2 AS INTEGER)",
				  serial, id, (char *)NULL),
			 0);
	assert_int_equal(application_load(f->d, f->a, app->id, app), 0);
}

static int64_t count1(struct fx *f, const char *sql, const char *arg)
{
	return db_query_int64(f->d, -1, sql, arg, (char *)NULL);
}

/* Messages in the outbox whose subject or body contains `text`. */
static int64_t msgs(struct fx *f, const char *text)
{
	return count1(f, "SELECT COUNT(*) FROM outbox WHERE instr(subject || ' ' || body, $1) > 0",
		      text);
}

static enum app_state stored_state(struct fx *f, int64_t id)
{
	struct application app;
	assert_int_equal(application_load(f->d, f->a, id, &app), 0);
	return app.state;
}

/* A context dated now, so that certificates valid "now" count. */
static struct uc_ctx *ctx_now(struct fx *f)
{
	struct uc_ctx *c = fx_ctx(f);
	c->now = NOW;
	return c;
}

/* ---- submit ---- */

static struct app_form good_form(void)
{
	return (struct app_form){.raw = {
					 [FF_BASVURU_NEDENI] = "ILK",
					 [FF_KART_OKUYUCU] = NULL,
					 [FF_SERTIFIKA_SURESI] = "3",
					 [FF_GUVENLIK_SOZCUGU] = "Karadeniz2026",
					 [FF_GUVENLIK_SOZCUGU_TEKRAR] = "Karadeniz2026",
					 [FF_BIRIM] = "Müdürlük",
					 [FF_UNVAN] = "Öğretmen",
					 [FF_ADRES] = "Okul Cad. No:5",
					 [FF_POSTA_KODU] = "67100",
					 [FF_IL] = "67",
					 [FF_ILCE] = "Merkez",
					 [FF_EPOSTA] = "ayse@example.org",
					 [FF_IS_TEL] = "0372 251 10 20",
					 [FF_DAHILI] = "",
					 [FF_CEP_TEL] = "0532 123 45 67",
					 [FF_EV_TEL] = "",
					 [FF_OPERATOR] = "TURKCELL",
					 [FF_BILGI_KANALI] = "IKISI",
				 }};
}

static void demo_applicant(struct fx *f, struct applicant *who, struct personnel_record *pr)
{
	size_t n;
	const struct demo_person *p = store_demo_people(&n);
	*who = (struct applicant){p->tckn,	 p->ad,		  p->soyad,
				  p->dogum_yeri, p->dogum_tarihi, p->sicil_no};
	assert_int_equal(personnel_lookup(f->d, p->tckn, p->sicil_no, pr), 0);
}

static void test_submit(void **state)
{
	struct fx *f = *state;
	struct applicant who;
	struct personnel_record pr;
	struct form_errors err;
	struct application app;
	demo_applicant(f, &who, &pr);
	struct app_form in = good_form();
	/* The card reader is required for a first application. */
	const struct form_option *o = form_card_reader_options();
	in.raw[FF_KART_OKUYUCU] = o->value;
	assert_int_equal(apply_submit(fx_ctx(f), &who, &pr, &in, &err, &app), UC_OK);
	assert_int_equal(app.state, APP_FORM_CONFIRMED);
	assert_int_equal(app.reason, REASON_ILK);
	assert_int_equal(app.fee_kurus, 0);
	assert_null(app.replaces_serial);
	assert_string_equal(app.form[FF_CEP_TEL], "5321234567");
	assert_string_equal(app.kurum_kodu, pr.kurum_kodu);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log WHERE action = "
				     "'form_confirmed' AND detail = 'ILK'"),
			 1);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM applications WHERE "
				     "security_word_hash LIKE '$argon2id$%'"),
			 1);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM application_events WHERE "
				     "to_state = 'FORM_CONFIRMED'"),
			 1);
	/* One open application at a time. */
	in = good_form();
	in.raw[FF_KART_OKUYUCU] = o->value;
	assert_int_equal(apply_submit(fx_ctx(f), &who, &pr, &in, &err, &app), UC_CONFLICT);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM applications"), 1);
}

static void test_submit_invalid(void **state)
{
	struct fx *f = *state;
	struct applicant who;
	struct personnel_record pr;
	struct form_errors err;
	struct application app;
	demo_applicant(f, &who, &pr);
	struct app_form in = good_form();
	in.raw[FF_POSTA_KODU] = "06100"; /* not Zonguldak's plate */
	in.raw[FF_ILCE] = "Yokilce";
	/* YENILEME is not offered to a person without certificates. */
	in.raw[FF_BASVURU_NEDENI] = "YENILEME";
	assert_int_equal(apply_submit(fx_ctx(f), &who, &pr, &in, &err, &app), UC_INVALID);
	assert_string_equal(f->c.message, "Formda düzeltilmesi gereken alanlar var.");
	assert_non_null(err.msg[FF_POSTA_KODU]);
	assert_non_null(err.msg[FF_ILCE]);
	assert_non_null(err.msg[FF_BASVURU_NEDENI]);
	assert_null(err.msg[FF_EPOSTA]);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM applications"), 0);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log"), 0);
}

static void test_submit_lost_fee_and_serial(void **state)
{
	struct fx *f = *state;
	struct applicant who;
	struct personnel_record pr;
	struct form_errors err;
	struct application app;
	demo_applicant(f, &who, &pr);
	struct uc_ctx *c = fx_ctx(f);
	add_cert(f, "0A01", c->now - 86400, c->now + 400 * 86400, "good");
	struct app_form in = good_form();
	in.raw[FF_BASVURU_NEDENI] = "KAYIP_CALINTI";
	unsigned allowed = apply_allowed_reasons(c, who.tckn);
	assert_int_equal(allowed, 1u << REASON_KAYIP_CALINTI | 1u << REASON_DIGER);
	assert_int_equal(apply_submit(c, &who, &pr, &in, &err, &app), UC_OK);
	assert_int_equal(app.reason, REASON_KAYIP_CALINTI);
	assert_int_equal(app.fee_kurus, 17000);
	assert_string_equal(app.replaces_serial, "0A01");
}

/* ---- SMS verified ---- */

static void test_sms_verified(void **state)
{
	struct fx *f = *state;
	struct application app;
	int64_t id = fx_application(f, REASON_ILK, APP_FORM_CONFIRMED, 0, &app);
	assert_int_equal(apply_sms_verified(fx_ctx(f), &app), UC_OK);
	assert_int_equal(app.state, APP_SMS_VERIFIED);
	assert_int_equal(stored_state(f, id), APP_SMS_VERIFIED);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log WHERE action = "
				     "'sms_verified' AND before_state = 'FORM_CONFIRMED' AND "
				     "after_state = 'SMS_VERIFIED' AND actor = 'test:actor'"),
			 1);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM application_events WHERE "
				     "note = 'SMS kodu doğrulandı'"),
			 1);
	/* Again: no longer FORM_CONFIRMED. */
	assert_int_equal(apply_sms_verified(fx_ctx(f), &app), UC_CONFLICT);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log WHERE action = "
				     "'sms_verified'"),
			 1);
}

static void test_sms_verified_forbidden(void **state)
{
	struct fx *f = *state;
	static const enum app_state from[] = {APP_SMS_VERIFIED, APP_SIGNING, APP_APPROVED,
					      APP_PRODUCED, APP_CANCELLED};
	for (size_t i = 0; i < sizeof from / sizeof from[0]; i++) {
		struct application app;
		int64_t id = fx_application(f, REASON_ILK, from[i], 0, &app);
		assert_int_equal(apply_sms_verified(fx_ctx(f), &app), UC_CONFLICT);
		assert_int_equal(stored_state(f, id), from[i]);
	}
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log"), 0);
}

/* Kayıp/Çalıntı: the SMS step does nothing to the certificate (a hold
 * needs the holder's proof, a revocation the authority: test_lost.c). */
static void test_sms_verified_lost_keeps_certificate(void **state)
{
	struct fx *f = *state;
	struct application app;
	int64_t now = fx_ctx(f)->now;
	add_cert(f, "0B02", now - 86400, now + 400 * 86400, "good");
	int64_t id = fx_application(f, REASON_KAYIP_CALINTI, APP_FORM_CONFIRMED, 0, &app);
	set_replaces(f, &app, "0B02");
	assert_int_equal(apply_sms_verified(fx_ctx(f), &app), UC_OK);
	assert_int_equal(stored_state(f, id), APP_SMS_VERIFIED);
	struct certificate cert;
	assert_int_equal(certificate_load(f->d, f->a, "0B02", &cert), 0);
	assert_int_equal(cert.status, CERT_GOOD);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log WHERE object = "
				     "'certificate:0B02'"),
			 0);
}

/* ---- signing ---- */

static void test_sign_wet(void **state)
{
	struct fx *f = *state;
	struct application app;
	int64_t id = fx_application(f, REASON_ILK, APP_SMS_VERIFIED, 0, &app);
	assert_int_equal(apply_choose_signing(fx_ctx(f), &app, SIGN_ISLAK), UC_OK);
	assert_int_equal(app.state, APP_AWAITING_APPROVAL);
	assert_int_equal(app.flags, APP_NEEDS_APPROVAL | APP_NEEDS_PAPERWORK);
	struct application st;
	assert_int_equal(application_load(f->d, f->a, id, &st), 0);
	assert_int_equal(st.state, APP_AWAITING_APPROVAL);
	assert_int_equal(st.signing_method, SIGN_ISLAK);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log WHERE action = "
				     "'SIGNING_CHOSEN_WET' AND detail = 'ISLAK'"),
			 1);
	/* The applicant through both channels, and the authority unit. */
	assert_int_equal(msgs(f, "e-İmza başvurunuz alındı"), 2);
	const char *email = "", *name = "";
	apply_authority_contact(fx_ctx(f), &app, &email, &name);
	assert_true(*email != '\0');
	assert_int_equal(count1(f,
				"SELECT COUNT(*) FROM outbox WHERE recipient = $1 AND subject "
				"LIKE 'Onayınızı bekleyen%'",
				email),
			 1);
	/* Not again. */
	assert_int_equal(apply_choose_signing(fx_ctx(f), &app, SIGN_ISLAK), UC_CONFLICT);
	assert_string_equal(f->c.message, "Başvurunuzun durumu değişmiş; sayfayı yenileyin.");
}

static void test_sign_wet_lost_owes_fee(void **state)
{
	struct fx *f = *state;
	struct application app;
	fx_application(f, REASON_KAYIP_CALINTI, APP_SMS_VERIFIED, 0, &app);
	assert_int_equal(db_execp(f->d, "UPDATE applications SET fee_kurus = 17000", (char *)NULL),
			 0);
	assert_int_equal(application_load(f->d, f->a, app.id, &app), 0);
	assert_int_equal(apply_choose_signing(fx_ctx(f), &app, SIGN_ISLAK), UC_OK);
	assert_int_equal(app.flags, APP_NEEDS_APPROVAL | APP_NEEDS_PAPERWORK | APP_NEEDS_PAYMENT);
}

static void test_sign_refusals(void **state)
{
	struct fx *f = *state;
	struct application app;
	/* A first application is always wet-signed, even with a valid certificate. */
	add_cert(f, "0D04", NOW - 86400, NOW + 400 * 86400, "good");
	int64_t id = fx_application(f, REASON_ILK, APP_SMS_VERIFIED, 0, &app);
	assert_false(apply_eapproval_allowed(ctx_now(f), &app));
	assert_int_equal(apply_choose_signing(ctx_now(f), &app, SIGN_E_ONAY), UC_INVALID);
	assert_string_equal(f->c.field, "imza_yontemi");
	assert_int_equal(apply_choose_signing(ctx_now(f), &app, SIGN_NONE), UC_INVALID);
	assert_string_equal(f->c.message, "Bir imzalama yöntemi seçiniz.");
	assert_int_equal(stored_state(f, id), APP_SMS_VERIFIED);
	/* Before the SMS code: no signing at all. */
	fx_application(f, REASON_ILK, APP_FORM_CONFIRMED, 0, &app);
	assert_int_equal(apply_choose_signing(fx_ctx(f), &app, SIGN_ISLAK), UC_CONFLICT);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log"), 0);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM outbox"), 0);
}

static void test_sign_eapproval(void **state)
{
	struct fx *f = *state;
	struct application app;
	add_cert(f, "0E05", NOW - 86400, NOW + 60 * 86400, "good");
	int64_t id = fx_application(f, REASON_YENILEME, APP_SMS_VERIFIED, 0, &app);
	assert_true(apply_eapproval_allowed(ctx_now(f), &app));
	assert_int_equal(apply_choose_signing(ctx_now(f), &app, SIGN_E_ONAY), UC_OK);
	assert_int_equal(app.state, APP_SIGNING);
	assert_int_equal(stored_state(f, id), APP_SIGNING);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log WHERE action = "
				     "'SIGNING_STARTED'"),
			 1);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM outbox"), 0);
	/* Choosing it again while SIGNING changes nothing. */
	assert_int_equal(apply_choose_signing(ctx_now(f), &app, SIGN_E_ONAY), UC_OK);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log"), 1);
	/* Uploads: nothing, then something that is not a signature. */
	assert_int_equal(apply_eapproval_upload(ctx_now(f), &app, NULL, 0), UC_INVALID);
	assert_string_equal(f->c.field, "imza");
	assert_string_equal(f->c.message, "İmza dosyasını (.p7s) seçiniz.");
	static const unsigned char junk[] = {0x30, 0x03, 0x02, 0x01, 0x00};
	assert_int_equal(apply_eapproval_upload(ctx_now(f), &app, junk, sizeof junk), UC_INVALID);
	assert_string_equal(f->c.field, "imza");
	assert_true(strlen(f->c.message) > 0);
	assert_int_equal(stored_state(f, id), APP_SIGNING);
	/* Wet signature is still possible from SIGNING. */
	assert_int_equal(apply_choose_signing(ctx_now(f), &app, SIGN_ISLAK), UC_OK);
	assert_int_equal(app.state, APP_AWAITING_APPROVAL);
}

static void test_eapproval_expired_renewal(void **state)
{
	struct fx *f = *state;
	struct application app;
	/* A renewal left until expiry: wet signature only. */
	add_cert(f, "0F06", NOW - 800 * 86400, NOW - 86400, "good");
	fx_application(f, REASON_YENILEME, APP_SMS_VERIFIED, 0, &app);
	assert_false(apply_eapproval_allowed(ctx_now(f), &app));
	assert_int_equal(apply_choose_signing(ctx_now(f), &app, SIGN_E_ONAY), UC_INVALID);
}

/* ---- cancel ---- */

static void test_cancel_open_states(void **state)
{
	struct fx *f = *state;
	static const struct {
		enum app_state s;
		unsigned flags;
	} open[] = {
		{APP_FORM_CONFIRMED, 0},
		{APP_SMS_VERIFIED, 0},
		{APP_SIGNING, 0},
		{APP_AWAITING_APPROVAL, APP_NEEDS_APPROVAL | APP_NEEDS_PAPERWORK},
		{APP_APPROVED, 0},
	};
	for (size_t i = 0; i < sizeof open / sizeof open[0]; i++) {
		struct application app;
		int64_t id = fx_application(f, REASON_ILK, open[i].s, open[i].flags, &app);
		assert_int_equal(apply_cancel(fx_ctx(f), &app), UC_OK);
		assert_int_equal(app.state, APP_CANCELLED);
		assert_int_equal(app.flags, 0);
		assert_int_equal(stored_state(f, id), APP_CANCELLED);
		assert_int_equal(count1(f,
					"SELECT COUNT(*) FROM audit_log WHERE action = 'cancel' "
					"AND before_state = $1 AND after_state = 'CANCELLED'",
					app_state_name(open[i].s)),
				 1);
	}
	assert_int_equal(msgs(f, "başvurunuz iptal edildi"), 2 * 5);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM application_events WHERE note = "
				     "'Başvuru sahibi tarafından iptal edildi'"),
			 5);
}

static void test_cancel_refused(void **state)
{
	struct fx *f = *state;
	static const enum app_state closed[] = {APP_PRODUCED, APP_SHIPPED, APP_DELIVERED,
						APP_REJECTED, APP_CANCELLED};
	for (size_t i = 0; i < sizeof closed / sizeof closed[0]; i++) {
		struct application app;
		int64_t id = fx_application(f, REASON_ILK, closed[i], 0, &app);
		assert_int_equal(apply_cancel(fx_ctx(f), &app), UC_CONFLICT);
		assert_string_equal(f->c.message, "Bu aşamadaki bir başvuru iptal edilemez.");
		assert_int_equal(stored_state(f, id), closed[i]);
	}
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log"), 0);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM outbox"), 0);
}

/* A stale copy: the stored application was cancelled meanwhile. */
static void test_cancel_stale(void **state)
{
	struct fx *f = *state;
	struct application app, stale;
	fx_application(f, REASON_ILK, APP_SMS_VERIFIED, 0, &app);
	stale = app;
	assert_int_equal(apply_cancel(fx_ctx(f), &app), UC_OK);
	assert_int_equal(apply_cancel(fx_ctx(f), &stale), UC_CONFLICT);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log"), 1);
}

/* ---- the CA ---- */

static void test_produced(void **state)
{
	struct fx *f = *state;
	struct application app;
	struct uc_ctx *c = fx_ctx(f);
	c->actor = "sistem:ca-cli";
	c->actor_label = "SM (komut satırı)";
	int64_t id = fx_application(f, REASON_ILK, APP_APPROVED, 0, &app);
	assert_int_equal(apply_produced(c, id, "1A2B"), UC_OK);
	assert_int_equal(stored_state(f, id), APP_PRODUCED);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log WHERE action = 'produced' "
				     "AND actor = 'sistem:ca-cli' AND before_state = 'APPROVED' "
				     "AND detail = 'Sertifika üretildi (seri 1A2B)'"),
			 1);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM application_events WHERE actor = "
				     "'SM (komut satırı)' AND to_state = 'PRODUCED'"),
			 1);
	assert_int_equal(msgs(f, "üretildi"), 2);
	/* Not twice, not before approval, not an unknown id. */
	assert_int_equal(apply_produced(fx_ctx(f), id, "1A2C"), UC_CONFLICT);
	int64_t early = fx_application(f, REASON_ILK, APP_AWAITING_APPROVAL, APP_NEEDS_APPROVAL,
				       &app);
	assert_int_equal(apply_produced(fx_ctx(f), early, "1A2D"), UC_CONFLICT);
	assert_int_equal(stored_state(f, early), APP_AWAITING_APPROVAL);
	assert_int_equal(apply_produced(fx_ctx(f), 999999, "1A2E"), UC_NOT_FOUND);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log"), 1);
}

static void test_renewal_not_before(void **state)
{
	struct fx *f = *state;
	struct application app;
	int64_t end = clock_now() + 30 * 86400;
	add_cert(f, "2B01", end - 700 * 86400, end, "good");
	fx_application(f, REASON_YENILEME, APP_APPROVED, 0, &app);
	assert_int_equal(apply_new_not_before(f->d, &app), 0); /* no serial: now */
	set_replaces(f, &app, "2B01");
	assert_int_equal(apply_new_not_before(f->d, &app), end);
	fx_application(f, REASON_DIGER, APP_APPROVED, 0, &app);
	set_replaces(f, &app, "2B01");
	assert_int_equal(apply_new_not_before(f->d, &app), 0);
}

/* ---- the certificates repository ---- */

static void test_certificate_store(void **state)
{
	struct fx *f = *state;
	size_t n;
	const struct demo_person *p = store_demo_people(&n);
	add_cert(f, "3C01", NOW - 900, NOW + 900, "good");
	add_cert(f, "3C02", NOW - 800, NOW + 1900, "hold");
	add_cert(f, "3C03", NOW - 2000, NOW - 1000, "good");
	struct cert_summary s[2];
	assert_int_equal(certificate_history(f->d, p->tckn, s, 2), 2);
	assert_int_equal(s[0].not_after, NOW + 1900);
	assert_true(s[0].revoked); /* on hold counts as revoked */
	assert_false(s[1].revoked);
	const char *serial = NULL;
	assert_int_equal(certificate_current_serial(f->d, f->a, p->tckn, NOW, &serial), 0);
	assert_string_equal(serial, "3C01");
	assert_int_equal(certificate_current_serial(f->d, f->a, p->tckn, NOW + 1000, &serial), 1);
	assert_null(serial);
	struct certificate c;
	assert_int_equal(certificate_load_of_holder(f->d, f->a, "3C02", p->tckn, &c), 0);
	assert_int_equal(c.status, CERT_HOLD);
	assert_int_equal(certificate_load_of_holder(f->d, f->a, "3C02", "10000000146", &c), 1);
	assert_int_equal(certificate_load(f->d, f->a, "FFFF", &c), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_submit, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_submit_invalid, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_submit_lost_fee_and_serial, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_sms_verified, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_sms_verified_forbidden, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_sms_verified_lost_keeps_certificate, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_sign_wet, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_sign_wet_lost_owes_fee, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_sign_refusals, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_sign_eapproval, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_eapproval_expired_renewal, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_cancel_open_states, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_cancel_refused, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_cancel_stale, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_produced, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_renewal_not_before, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_certificate_store, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
