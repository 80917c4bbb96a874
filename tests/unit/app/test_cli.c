/* Command-line actions with their audit records (app/cli.c) and their actor
 * (util/cliactor.c): the record commits with the change, a refused action
 * writes nothing, the password never reaches the trail. */
#include <unistd.h>

#include "app/cli.h"
#include "fixture.h"
#include "store/audit.h"

#define PW "Dogru-Parola-2026"

static const struct cli_actor WHO = {.actor = "cli:deneme", .sudo_user = ""};

struct newest {
	char actor[80], object[96], action[64], detail[600];
	int found;
};

static int take_newest(void *ctx, const struct audit_record *r)
{
	struct newest *n = ctx;
	snprintf(n->actor, sizeof n->actor, "%s", r->e.actor);
	snprintf(n->object, sizeof n->object, "%s", r->e.object);
	snprintf(n->action, sizeof n->action, "%s", r->e.action);
	snprintf(n->detail, sizeof n->detail, "%s", r->e.detail ? r->e.detail : "(null)");
	n->found = 1;
	return 1;
}

static struct newest newest(struct fx *f)
{
	struct newest n = {0};
	assert_int_equal(audit_list(f->d, &(struct audit_filter){.object = "", .actor = ""}, 1, 0,
				    take_newest, &n),
			 0);
	return n;
}

static int64_t count(struct fx *f, const char *sql)
{
	return db_query_int64(f->d, -1, sql, (char *)NULL);
}

static const char *write_csv(struct fx *f, const char *name, const char *text, char *path, size_t n)
{
	snprintf(path, n, "%s/%s", f->t.dir, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void test_actor(void **state)
{
	(void)state;
	struct cli_actor a;
	char out[64];

	unsetenv("SUDO_USER");
	cli_actor_get(&a);
	assert_true(strncmp(a.actor, "cli:", 4) == 0 && strlen(a.actor) > 4);
	assert_string_equal(a.sudo_user, "");
	assert_null(cli_actor_detail(&a, NULL, out, sizeof out));
	assert_string_equal(cli_actor_detail(&a, "x", out, sizeof out), "x");
	setenv("SUDO_USER", "ali", 1);
	cli_actor_get(&a);
	assert_string_equal(a.sudo_user, "ali");
	assert_string_equal(cli_actor_detail(&a, "x", out, sizeof out), "x; sudo by ali");
	assert_string_equal(cli_actor_detail(&a, "", out, sizeof out), "sudo by ali");
	setenv("SUDO_USER", "ali\nsahte; kayit", 1);
	cli_actor_get(&a);
	assert_string_equal(a.sudo_user, "?");
	unsetenv("SUDO_USER");
}

static void test_import(void **state)
{
	struct fx *f = *state;
	char path[256], err[256] = "";
	long rows = 0;
	int64_t before = count(f, "SELECT COUNT(*) FROM audit_log");

	write_csv(f, "r.csv",
		  "tckn,ad,soyad,dogum_yeri,dogum_tarihi\n"
		  "17291716060,Çağrı,Öztürk,Rize,1979-12-31\n",
		  path, sizeof path);
	assert_int_equal(cli_import(f->d, &WHO, "registry", path, err, sizeof err, &rows), 0);
	assert_int_equal(rows, 1);
	struct newest n = newest(f);
	assert_string_equal(n.actor, "cli:deneme");
	assert_string_equal(n.object, "import:registry");
	assert_string_equal(n.action, "import_registry");
	char want[300];
	snprintf(want, sizeof want, "%s: 1 rows", path);
	assert_string_equal(n.detail, want);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log"), before + 1);

	/* A bad row: neither the rows nor an audit record. */
	write_csv(f, "bad.csv",
		  "tckn,ad,soyad,dogum_yeri,dogum_tarihi\n"
		  "10000000146,Işıl,Güneş,Ordu,1990-01-02\n"
		  "10000000147,Ali,Veli,Ordu,1990-01-02\n",
		  path, sizeof path);
	assert_int_equal(cli_import(f->d, &WHO, "registry", path, err, sizeof err, &rows), -1);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log"), before + 1);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM registry WHERE tckn = '10000000146'"), 0);
	int64_t checked = 0;
	char msg[256];
	assert_int_equal(audit_verify(f->d, msg, sizeof msg, &checked), 0);
}

static int hook_fails(void *ctx, db *d, const char *kind, long rows)
{
	(void)d;
	(void)kind;
	*(long *)ctx = rows;
	return -1;
}

/* A hook that fails rolls the whole import back. */
static void test_import_hook_failure_rolls_back(void **state)
{
	struct fx *f = *state;
	const char csv[] = "tckn,ad,soyad,dogum_yeri,dogum_tarihi\n"
			   "10000000146,Işıl,Güneş,Ordu,1990-01-02\n";
	char err[256] = "";
	long seen = 0;
	struct store_import_hook hook = {.before_commit = hook_fails, .ctx = &seen};
	assert_int_equal(store_import_buf_hook(f->d, "registry", csv, sizeof csv - 1, &hook, err,
					       sizeof err, NULL),
			 -1);
	assert_int_equal(seen, 1);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM registry WHERE tckn = '10000000146'"), 0);
}

static void test_user_add(void **state)
{
	struct fx *f = *state;
	char err[256] = "";
	const struct demo_person *p = store_demo_people(&(size_t){0});
	struct cli_actor sudo = {.actor = "cli:root", .sudo_user = "ali"};

	assert_int_equal(
		cli_user_add(f->d, &WHO, "ops.cli", STAFF_OPERATOR, NULL, PW, err, sizeof err), 0);
	struct newest n = newest(f);
	assert_string_equal(n.actor, "cli:deneme");
	assert_string_equal(n.object, "staff:ops.cli");
	assert_string_equal(n.action, "user_add");
	assert_string_equal(n.detail, "rol operator");

	assert_int_equal(cli_user_add(f->d, &sudo, "yetkili.cli", STAFF_YETKILI, p->yetki_birimi,
				      PW, err, sizeof err),
			 0);
	n = newest(f);
	char want[200];
	snprintf(want, sizeof want, "rol yetkili, yetki birimi %s; sudo by ali", p->yetki_birimi);
	assert_string_equal(n.actor, "cli:root");
	assert_string_equal(n.detail, want);
	assert_null(strstr(n.detail, PW));

	/* Refused: no account, no record. */
	int64_t before = count(f, "SELECT COUNT(*) FROM audit_log");
	assert_int_equal(cli_user_add(f->d, &WHO, "ops.zayif", STAFF_ADMIN, NULL, "kisa", err,
				      sizeof err),
			 -1);
	assert_int_equal(cli_user_add(f->d, &WHO, "yetkili.yok", STAFF_YETKILI, "YOK-MEM", PW, err,
				      sizeof err),
			 -1);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log"), before);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM staff_users WHERE username IN "
				  "('ops.zayif', 'yetkili.yok')"),
			 0);
}

int main(void)
{
	(void)fx_application; /* fixture.h: not needed here */
	(void)fx_ctx;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_actor),
		cmocka_unit_test_setup_teardown(test_import, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_import_hook_failure_rolls_back, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_user_add, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
