/* Lost or stolen, done safely (app/lost.h, app/proof.h, app/onrecord.h):
 * a Kayıp/Çalıntı application holds the certificate only after the
 * holder's proof, the authority's approval revokes it, and every change and
 * every new application reaches the contacts on record. */
#include <sodium.h>

#include "app/apply.h"
#include "app/decide.h"
#include "app/lost.h"
#include "app/proof.h"
#include "fixture.h"
#include "store/certificate.h"

#define WORD "Karadeniz2026"
#define HOLDER_MAIL "kayitli@example.org"
#define HOLDER_MOBILE "+905449998877"

static const struct access_actor zon = {1, "ZONGULDAK-MEM"};

/* A certificate row of the first demo person. */
static void add_cert(struct fx *f, const char *serial, const char *status)
{
	size_t n;
	const struct demo_person *p = store_demo_people(&n);
	int64_t now = fx_ctx(f)->now;
	db_stmt *st = db_prepare(f->d, "INSERT INTO certificates (serial_hex, tckn, subject, "
				       "not_before, not_after, der, status, created_at) VALUES "
				       "($1, $2, 'CN=test', $3, $4, X'00', $5, $3)");
	assert_non_null(st);
	db_bind_text(st, 1, serial);
	db_bind_text(st, 2, p->tckn);
	db_bind_int64(st, 3, now - 86400);
	db_bind_int64(st, 4, now + 400 * 86400);
	db_bind_text(st, 5, status);
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
}

static void exec2(struct fx *f, const char *sql, const char *a, int64_t id)
{
	char ids[24];
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	assert_int_equal(db_execp(f->d, sql, a, ids, (char *)NULL), 0);
}

/* The holder record (DELIVERED) with its own word and contacts on record. */
static int64_t add_holder(struct fx *f)
{
	struct application h;
	char hash[crypto_pwhash_STRBYTES];
	int64_t id = fx_application(f, REASON_ILK, APP_DELIVERED, 0, &h);
	assert_int_equal(crypto_pwhash_str(hash, WORD, strlen(WORD), crypto_pwhash_OPSLIMIT_MIN,
					   crypto_pwhash_MEMLIMIT_MIN),
			 0);
	exec2(f, "UPDATE applications SET security_word_hash = $1 WHERE id = CAST($2 AS INTEGER)",
	      hash, id);
	exec2(f, "UPDATE applications SET eposta = $1 WHERE id = CAST($2 AS INTEGER)", HOLDER_MAIL,
	      id);
	exec2(f,
	      "UPDATE applications SET cep_tel = $1, bilgi_kanali = 'EPOSTA' WHERE id = "
	      "CAST($2 AS INTEGER)",
	      "5449998877", id);
	return id;
}

/* A Kayıp/Çalıntı application (its own contacts: fixture.h's) replacing
 * serial, in state st. */
static void add_lost(struct fx *f, const char *serial, enum app_state st, unsigned flags,
		     struct application *app)
{
	int64_t id = fx_application(f, REASON_KAYIP_CALINTI, st, flags, app);
	exec2(f, "UPDATE applications SET replaces_serial = $1 WHERE id = CAST($2 AS INTEGER)",
	      serial, id);
	assert_int_equal(application_load(f->d, f->a, id, app), 0);
}

static int64_t count1(struct fx *f, const char *sql, const char *arg)
{
	return db_query_int64(f->d, -1, sql, arg, (char *)NULL);
}

static enum cert_status status_of(struct fx *f, const char *serial)
{
	struct certificate cert;
	assert_int_equal(certificate_load(f->d, f->a, serial, &cert), 0);
	return cert.status;
}

/* Messages to `to` whose subject or body contains text. */
static int64_t sent_to(struct fx *f, const char *to, const char *text)
{
	db_stmt *st = db_prepare(f->d, "SELECT COUNT(*) FROM outbox WHERE recipient = $1 AND "
				       "instr(coalesce(subject, '') || ' ' || body, $2) > 0");
	assert_non_null(st);
	db_bind_text(st, 1, to);
	db_bind_text(st, 2, text);
	assert_int_equal(db_step(st), DB_ROW);
	int64_t n = db_col_int64(st, 0);
	db_finalize(st);
	return n;
}

static void test_may_hold(void **state)
{
	struct fx *f = *state;
	struct application app, other;
	add_cert(f, "0A01", "good");
	add_cert(f, "0A02", "hold");
	add_lost(f, "0A01", APP_SMS_VERIFIED, 0, &app);
	assert_true(lost_may_hold(fx_ctx(f), &app));
	add_lost(f, "0A02", APP_SMS_VERIFIED, 0, &other);
	assert_false(lost_may_hold(fx_ctx(f), &other));
	fx_application(f, REASON_DIGER, APP_SMS_VERIFIED, 0, &other);
	assert_false(lost_may_hold(fx_ctx(f), &other));
}

static void test_holder_word_proof(void **state)
{
	struct fx *f = *state;
	struct application app;
	add_cert(f, "0B01", "good");
	add_lost(f, "0B01", APP_SMS_VERIFIED, 0, &app);
	/* No holder record yet: no word counts as the holder's. */
	assert_int_equal(proof_word(fx_ctx(f), &app, PROOF_HOLDER, WORD), UC_INVALID);
	add_holder(f);
	struct uc_ctx *c = fx_ctx(f);
	assert_int_equal(proof_word(c, &app, PROOF_HOLDER, "Yanlis2026"), UC_INVALID);
	assert_string_equal(c->field, "guvenlik_sozcugu");
	assert_int_equal(proof_word(fx_ctx(f), &app, PROOF_HOLDER, ""), UC_INVALID);
	assert_int_equal(proof_word(fx_ctx(f), &app, PROOF_HOLDER, WORD), UC_OK);
	/* The code goes to the number on record, not to the one typed. */
	const char *mobile = NULL;
	assert_int_equal(proof_number(fx_ctx(f), &app, PROOF_HOLDER, &mobile), UC_OK);
	assert_string_equal(mobile, "5449998877");
	assert_string_not_equal(app.form[FF_CEP_TEL], mobile);
}

static void test_maker_proof(void **state)
{
	struct fx *f = *state;
	struct application app;
	int64_t id = fx_application(f, REASON_ILK, APP_AWAITING_APPROVAL, APP_NEEDS_APPROVAL, &app);
	char hash[crypto_pwhash_STRBYTES];
	assert_int_equal(crypto_pwhash_str(hash, "Kendi2026", 9, crypto_pwhash_OPSLIMIT_MIN,
					   crypto_pwhash_MEMLIMIT_MIN),
			 0);
	exec2(f, "UPDATE applications SET security_word_hash = $1 WHERE id = CAST($2 AS INTEGER)",
	      hash, id);
	/* No certificate: the application's own word and number count. */
	const char *mobile = NULL;
	assert_int_equal(proof_number(fx_ctx(f), &app, PROOF_MAKER, &mobile), UC_OK);
	assert_string_equal(mobile, app.form[FF_CEP_TEL]);
	assert_int_equal(proof_word(fx_ctx(f), &app, PROOF_MAKER, "Kendi2026"), UC_OK);
	assert_int_equal(proof_word(fx_ctx(f), &app, PROOF_MAKER, WORD), UC_INVALID);
	/* With a holder record: the holder's word counts too, and the code
	 * goes to the holder's number on record. */
	add_holder(f);
	assert_int_equal(proof_word(fx_ctx(f), &app, PROOF_MAKER, WORD), UC_OK);
	assert_int_equal(proof_word(fx_ctx(f), &app, PROOF_MAKER, "Kendi2026"), UC_OK);
	assert_int_equal(proof_number(fx_ctx(f), &app, PROOF_MAKER, &mobile), UC_OK);
	assert_string_equal(mobile, "5449998877");
}

static void test_hold_after_proof(void **state)
{
	struct fx *f = *state;
	struct application app;
	add_holder(f);
	add_cert(f, "0C01", "good");
	add_lost(f, "0C01", APP_SMS_VERIFIED, 0, &app);
	assert_int_equal(lost_hold(fx_ctx(f), &app, "güvenlik sözcüğü"), UC_OK);
	assert_int_equal(status_of(f, "0C01"), CERT_HOLD);
	assert_int_equal(count1(f,
				"SELECT COUNT(*) FROM audit_log WHERE object = $1 AND action = "
				"'hold' AND before_state = 'good' AND after_state = 'hold'",
				"certificate:0C01"),
			 1);
	/* Both contacts on record, whatever Bilgi Kanalı (EPOSTA) says; the
	 * number typed in the application gets nothing. */
	assert_int_equal(sent_to(f, HOLDER_MAIL, "askıya alındı"), 1);
	assert_int_equal(sent_to(f, HOLDER_MOBILE, "/bireysel"), 1);
	assert_int_equal(sent_to(f, "+905321112233", "askıya"), 0);
	/* Held once: nothing more to hold. */
	assert_int_equal(lost_hold(fx_ctx(f), &app, "güvenlik sözcüğü"), UC_CONFLICT);
	assert_false(lost_may_hold(fx_ctx(f), &app));
}

static void test_approval_revokes(void **state)
{
	struct fx *f = *state;
	struct application app;
	add_holder(f);
	add_cert(f, "0D01", "good");
	add_lost(f, "0D01", APP_AWAITING_APPROVAL, APP_NEEDS_APPROVAL | APP_NEEDS_PAYMENT, &app);
	assert_int_equal(status_of(f, "0D01"), CERT_GOOD);
	assert_int_equal(decide_approve(fx_ctx(f), &zon, app.id), UC_OK);
	assert_int_equal(status_of(f, "0D01"), CERT_REVOKED);
	assert_int_equal(count1(f,
				"SELECT COUNT(*) FROM certificates WHERE serial_hex = $1 AND "
				"reason = 1",
				"0D01"),
			 1);
	assert_int_equal(count1(f,
				"SELECT COUNT(*) FROM audit_log WHERE object = $1 AND action = "
				"'revoke'",
				"certificate:0D01"),
			 1);
	assert_int_equal(sent_to(f, HOLDER_MAIL, "iptal edildi"), 1);
	assert_int_equal(sent_to(f, HOLDER_MOBILE, "iptal edildi"), 1);
}

/* A held certificate is revoked on approval; an already revoked one is
 * left alone and the approval goes through. */
static void test_approval_after_hold_or_revocation(void **state)
{
	struct fx *f = *state;
	struct application held, gone;
	add_cert(f, "0E01", "hold");
	add_cert(f, "0E02", "revoked");
	add_lost(f, "0E01", APP_AWAITING_APPROVAL, APP_NEEDS_APPROVAL, &held);
	assert_int_equal(decide_approve(fx_ctx(f), &zon, held.id), UC_OK);
	assert_int_equal(status_of(f, "0E01"), CERT_REVOKED);
	exec2(f, "UPDATE applications SET state = $1 WHERE id = CAST($2 AS INTEGER)", "DELIVERED",
	      held.id);
	add_lost(f, "0E02", APP_AWAITING_APPROVAL, APP_NEEDS_APPROVAL, &gone);
	assert_int_equal(decide_approve(fx_ctx(f), &zon, gone.id), UC_OK);
	assert_int_equal(count1(f, "SELECT COUNT(*) FROM audit_log WHERE object = $1",
				"certificate:0E02"),
			 0);
}

/* Another reason never touches the current certificate. */
static void test_approval_of_other_reason(void **state)
{
	struct fx *f = *state;
	struct application app;
	add_cert(f, "0F01", "good");
	int64_t id = fx_application(f, REASON_DIGER, APP_AWAITING_APPROVAL, APP_NEEDS_APPROVAL,
				    &app);
	exec2(f, "UPDATE applications SET replaces_serial = $1 WHERE id = CAST($2 AS INTEGER)",
	      "0F01", id);
	assert_int_equal(decide_approve(fx_ctx(f), &zon, id), UC_OK);
	assert_int_equal(status_of(f, "0F01"), CERT_GOOD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_may_hold, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_holder_word_proof, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_maker_proof, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_hold_after_proof, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_approval_revokes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_approval_after_hold_or_revocation, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_approval_of_other_reason, fx_setup,
						fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
