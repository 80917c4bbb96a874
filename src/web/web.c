#include "web/web.h"

#include <sodium.h>
#include <string.h>

#include "http/http.h"
#include "store/staff.h"
#include "web/apply.h"
#include "web/bireysel.h"
#include "web/console.h"
#include "web/dev.h"
#include "web/pki_routes.h"

static void home(req *r)
{
	reply_redirect(r, "/basvuru");
}

static const struct route site_routes[] = {
	{"GET", "/", home, NULL, 0, NULL},
	{NULL, NULL, NULL, NULL, 0, NULL},
};

void web_register_routes(int dev)
{
	http_add_routes(site_routes);
	apply_routes_init();
	http_add_routes(apply_routes);
	http_add_routes(endorse_routes);
	http_add_routes(bireysel_routes);
	http_add_routes(console_routes);
	http_add_routes(pki_routes);
	if (dev)
		http_add_routes(dev_routes);
}

int web_demo_staff(db *d, FILE *report)
{
	static const struct {
		const char *user;
		enum staff_role role;
		const char *scope;
	} demo[] = {
		{"zonguldak.yetkili", STAFF_YETKILI, "ZONGULDAK-MEM"},
		{"bartin.yetkili", STAFF_YETKILI, "BARTIN-MEM"},
		{"sm.operator", STAFF_OPERATOR, NULL},
		{"sm.admin", STAFF_ADMIN, NULL},
	};
	fprintf(report, "\nÖrnek personel hesapları (parolalar yalnızca şimdi gösterilir):\n");
	for (size_t i = 0; i < sizeof demo / sizeof demo[0]; i++) {
		char pw[40], err[256];
		staff_password_generate(pw, sizeof pw);
		if (staff_add(d, demo[i].user, demo[i].role, demo[i].scope, pw, err, sizeof err) !=
		    0) {
			fprintf(stderr, "eimza init: %s: %s\n", demo[i].user, err);
			sodium_memzero(pw, sizeof pw);
			return -1;
		}
		fprintf(report, "  %-18s %-8s %-14s parola: %s\n", demo[i].user,
			staff_role_name(demo[i].role), demo[i].scope ? demo[i].scope : "", pw);
		sodium_memzero(pw, sizeof pw);
	}
	fprintf(report, "Her rol ilk girişte bir doğrulama uygulaması (TOTP) tanımlar; sonraki "
			"girişlerde parolanın ardından uygulamanın kodu sorulur.\n");
	return 0;
}
