/* `eimza card produce`: card production where the card reader and the
 * card key are (see card.h). This process starts its own signer marked as
 * the card producer's (signer_set_card_client) -- the only signer that
 * issues under the card profile -- or, with ca.signer_socket, connects to
 * the signer service as a ca.card_clients user. It prints serial numbers,
 * never a PIN. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/card.h"
#include "pki/checkpoint.h"
#include "pki/pki.h"
#include "pki/signer.h"
#include "store/db.h"
#include "util/cliactor.h"
#include "util/config.h"

#define CARD_USAGE \
	"kullanım: eimza card produce BASVURU_NO --module MODUL [--slot N]\n" \
	"          eimza card produce --queued --module MODUL [--slot N]\n" \
	"  Kartı (PKCS#11 jetonu) rastgele SO PIN ve taşıma PIN'i ile başlatır, anahtarı\n" \
	"  kartta üretir, sertifikayı nitelikli cihaz profiliyle (QcSSCD, QCP-n-qscd)\n" \
	"  verdirip karta yazar ve başvuruyu 'üretildi' yapar. --queued: konsolda\n" \
	"  kuyruğa alınan en eski başvuru. --slot: PKCS#11 yuva numarası (varsayılan:\n" \
	"  kart takılı ilk yuva). PIN'ler yazdırılmaz; kart anahtarıyla şifreli saklanır.\n"

struct args {
	const char *app_ref, *module;
	long slot;
	int queued;
};

static int parse_long(const char *s, long *v)
{
	char *end;
	errno = 0;
	long x = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || x < 0)
		return -1;
	*v = x;
	return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	memset(a, 0, sizeof *a);
	a->slot = -1;
	if (argc < 2 || strcmp(argv[1], "produce") != 0)
		return -1;
	for (int i = 2; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(argv[i], "--module") == 0 && v) {
			a->module = v;
			i++;
		} else if (strcmp(argv[i], "--slot") == 0 && v && parse_long(v, &a->slot) == 0) {
			i++;
		} else if (strcmp(argv[i], "--queued") == 0) {
			a->queued = 1;
		} else if (argv[i][0] != '-' && a->app_ref == NULL) {
			a->app_ref = argv[i];
		} else {
			return -1;
		}
	}
	if (a->module == NULL || (a->queued ? a->app_ref != NULL : a->app_ref == NULL))
		return -1;
	return 0;
}

/* "2026-000017" (its part after the dash is the id, checked against the
 * stored number) or "17". 0 or -1 (reported). */
static int load_app(db *d, arena *ar, const char *ref, int64_t queued_id, struct application *app)
{
	int64_t id = queued_id;
	if (ref != NULL) {
		const char *dash = strchr(ref, '-');
		char *end;
		errno = 0;
		long long x = strtoll(dash ? dash + 1 : ref, &end, 10);
		if (errno != 0 || *end != '\0' || x <= 0) {
			fprintf(stderr, "eimza card: başvuru numarası geçersiz: %s\n", ref);
			return -1;
		}
		id = x;
	}
	if (application_load(d, ar, id, app) != 0 ||
	    (ref != NULL && strchr(ref, '-') != NULL && strcmp(app->number, ref) != 0)) {
		fprintf(stderr, "eimza card: başvuru bulunamadı: %s\n", ref ? ref : "(kuyruk)");
		return -1;
	}
	return 0;
}

static int produce(db *d, const struct args *a)
{
	struct cli_actor who;
	struct uc_ctx c;
	struct application app;
	struct card_result res;
	int64_t queued_id = 0;
	arena *ar = arena_new(1u << 20);
	int rc = 1;
	if (ar == NULL)
		return 1;
	if (a->queued) {
		int q = card_job_next(d, &queued_id);
		if (q != 0) {
			fprintf(stderr, "%s\n",
				q == 1 ? "eimza card: kuyrukta kart üretimi yok."
				       : "eimza card: kuyruk okunamadı.");
			arena_free(ar);
			return q == 1 ? 0 : 1;
		}
	}
	if (load_app(d, ar, a->app_ref, queued_id, &app) != 0)
		goto out;
	cli_actor_get(&who);
	uc_ctx_init(&c, d, ar, who.actor, "SM Operatörü", NULL);
	struct card_opts o = {a->module, a->slot, config_get("card.key_type")};
	enum uc_rc r = card_produce(&c, &app, &o, &res);
	if (r == UC_OK) {
		printf("Kart üretildi: başvuru %s, kart seri %s, sertifika seri %s\n", app.number,
		       res.token_serial, res.cert_serial);
		rc = 0;
	} else {
		fprintf(stderr, "eimza card: %s\n",
			c.message ? c.message : "Kart üretilemedi (ayrıntı günlükte).");
		if (res.token_blank)
			fprintf(stderr,
				"eimza card: kart boş olarak yeniden başlatıldı (seri %s).\n",
				res.token_serial);
	}
out:
	arena_free(ar);
	return rc;
}

int app_card_cli_main(int argc, char **argv)
{
	struct args a;
	char err[256] = "";
	if (parse_args(argc, argv, &a) != 0) {
		fputs(CARD_USAGE, stderr);
		return 2;
	}
	/* Before the signer starts: it is forked as the card producer's. */
	signer_set_card_client(1);
	if (pki_init(config_get("ca.dir")) != 0) {
		fprintf(stderr, "eimza card: SM imzalayıcı başlatılamadı (%s).\n",
			config_get("ca.dir"));
		return 1;
	}
	db *d = db_open(config_get("database.url"), err, sizeof err);
	if (d == NULL) {
		fprintf(stderr, "eimza card: veritabanı açılamadı: %s\n", err);
		pki_shutdown();
		return 1;
	}
	int rc = produce(d, &a);
	if (pki_checkpoint_make(d, 0, NULL, err, sizeof err) < 0)
		fprintf(stderr, "Uyarı: denetim kontrol noktası imzalanamadı: %s\n", err);
	db_close(d);
	pki_shutdown();
	return rc;
}
