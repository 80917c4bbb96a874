/* `eimza ca ...`: hierarchy, issuance, revocation and CRLs from the command
 * line. Operations that sign go through the signer process, like the
 * server: this process never loads the issuing CA key itself (create,
 * import and renew-ocsp excepted); the root key only in `ca ceremony`
 * (ceremony.c). */
#include "pki/pki.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include "pki/checkpoint.h"
#include "pki/internal.h"
#include "pki/profile.h"
#include "store/audit.h"
#include "util/cliactor.h"
#include "util/config.h"
#include "util/log.h"

static const struct pki_app_hooks *app_hooks;

void pki_set_application_hook(const struct pki_app_hooks *hooks)
{
	app_hooks = hooks;
}

static void usage(void)
{
	fputs("Kullanım:\n"
	      "  eimza ca create [--key-type rsa2048|rsa3072|rsa4096|p256|p384]\n"
	      "                  [--key-storage pkcs11|file] [--root-out KLASOR]\n"
	      "  eimza ca import SERTIFIKA.pem ANAHTAR.pem ZINCIR.pem\n"
	      "  eimza ca issue BASVURU_NO CSR_DOSYASI\n"
	      "  eimza ca issue --tckn T --ad AD --soyad SOYAD [--years N] [--email E]\n"
	      "                 [--renews SERI_NO] CSR_DOSYASI\n"
	      "                 (--renews: yenilenen sertifikanın bitişinden başlar; yalnızca\n"
	      "                  onun son 90 gününde)\n"
	      "  eimza ca revoke SERI_NO NEDEN   (keyCompromise, superseded, ... ya da 0-10)\n"
	      "  eimza ca hold SERI_NO\n"
	      "  eimza ca release SERI_NO\n"
	      "  eimza ca crl\n"
	      "  eimza ca renew-ocsp (imzalayıcı aynı anahtarla yeni bir OCSP yanıtlayıcı\n"
	      "                       sertifikası verir ve günlüğüne yazar)\n"
	      "  eimza ca ceremony --root-key ANAHTAR --passphrase-file PAROLA EYLEM\n"
	      "        EYLEM: root-crl (kök SİL'i imzalar, root.crl yazar)\n"
	      "               renew-issuing (veren SM sertifikasını aynı anahtarla yeniler)\n"
	      "               issue-subca --csr CSR --out SERTIFIKA.pem\n"
	      "        (kök anahtar çevrim dışıdır; her tören denetim kaydına yazılır)\n"
	      "  eimza ca list TCKN\n"
	      "  eimza ca reconcile   (imzalayıcı günlüğü ile veritabanını karşılaştırır:\n"
	      "                        imzalanıp veritabanında olmayan ve veritabanında olup\n"
	      "                        hiç imzalanmamış sertifikaları yazar; uyumluysa 0,\n"
	      "                        değilse 1 ile çıkar)\n",
	      stderr);
}

static int parse_i64(const char *s, int64_t *v)
{
	char *end;
	errno = 0;
	long long x = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return -1;
	*v = x;
	return 0;
}

/* An application as its id ("17") or its number ("2026-000017"): the
 * number's part after the dash is the id (app_number_format). */
static int parse_app_ref(const char *s, int64_t *id)
{
	const char *dash = strchr(s, '-');
	if (dash != NULL) {
		if (dash - s != 4 || strspn(s, "0123456789") != 4)
			return -1;
		s = dash + 1;
	}
	return parse_i64(s, id) == 0 && *id > 0 ? 0 : -1;
}

static db *cli_db(void)
{
	char err[256] = "";
	db *d = db_open(config_get("database.url"), err, sizeof err);
	if (d == NULL)
		fprintf(stderr, "Veritabanı açılamadı: %s\n", err);
	return d;
}

/* Opens the database and starts the signer; 0 or -1 (reported). */
static int cli_start(db **d)
{
	if (pki_init(config_get("ca.dir")) != 0) {
		fprintf(stderr, "SM imzalayıcı başlatılamadı (%s).\n", config_get("ca.dir"));
		return -1;
	}
	*d = cli_db();
	if (*d == NULL) {
		pki_shutdown();
		return -1;
	}
	return 0;
}

/* Signs a checkpoint of the audit trail the command may have extended
 * (issue 9), then closes the database and stops the signer. */
static void cli_stop(db *d)
{
	char err[256] = "";
	if (pki_checkpoint_make(d, 0, NULL, err, sizeof err) < 0)
		fprintf(stderr, "Uyarı: denetim kontrol noktası imzalanamadı: %s\n", err);
	db_close(d);
	pki_shutdown();
}

/* Appends the audit record of a state-changing `ca` command inside the
 * caller's transaction, the operating-system user as actor (issue 9).
 * object is "certificate:" + serial when serial is not NULL, else "crl". */
static int cli_audit(db *d, const char *serial, const char *action, const char *what)
{
	struct cli_actor who;
	char object[96], detail[600];
	cli_actor_get(&who);
	snprintf(object, sizeof object, "%s%s", serial ? "certificate:" : "crl",
		 serial ? serial : "");
	return audit_append(d, &(struct audit_entry){.actor = who.actor,
						     .object = object,
						     .action = action,
						     .detail = cli_actor_detail(&who, what, detail,
										sizeof detail)});
}

static int cmd_create(int argc, char **argv)
{
	char err[512] = "";
	struct pki_ca_opts o = {.key_type = config_get("ca.key_type")};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--key-type") == 0 && i + 1 < argc) {
			o.key_type = argv[++i];
		} else if (strcmp(argv[i], "--key-storage") == 0 && i + 1 < argc) {
			o.storage = argv[++i];
		} else if (strcmp(argv[i], "--root-out") == 0 && i + 1 < argc) {
			o.root_out = argv[++i];
		} else {
			usage();
			return 2;
		}
	}
	if (pki_ca_create_with(config_get("ca.dir"), &o, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	printf("Kök SM, alt SM ve OCSP sertifikaları oluşturuldu: %s\n", config_get("ca.dir"));
	pki_print_offline_notice(config_get("ca.dir"), o.root_out);
	return 0;
}

static int cmd_import(int argc, char **argv)
{
	char err[512] = "";
	if (argc != 4) {
		usage();
		return 2;
	}
	if (pki_ca_import(config_get("ca.dir"), argv[1], argv[2], argv[3], err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	printf("SM içe aktarıldı: %s\n", config_get("ca.dir"));
	return 0;
}

static int issue_args(int argc, char **argv, struct pki_app_info *info, int64_t *app_id,
		      const char **csr_path)
{
	memset(info, 0, sizeof *info);
	info->years = 1;
	*app_id = 0;
	*csr_path = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int64_t x;
		if (strcmp(a, "--tckn") == 0 && v) {
			snprintf(info->tckn, sizeof info->tckn, "%s", v);
		} else if (strcmp(a, "--ad") == 0 && v) {
			snprintf(info->given_name, sizeof info->given_name, "%s", v);
		} else if (strcmp(a, "--soyad") == 0 && v) {
			snprintf(info->surname, sizeof info->surname, "%s", v);
		} else if (strcmp(a, "--email") == 0 && v) {
			snprintf(info->email, sizeof info->email, "%s", v);
		} else if (strcmp(a, "--years") == 0 && v && parse_i64(v, &x) == 0) {
			info->years = (int)x;
		} else if (strcmp(a, "--renews") == 0 && v) {
			/* serials are upper-case hex in the journal and the database */
			for (size_t k = 0; v[k] != '\0' && k + 1 < sizeof info->renews; k++)
				info->renews[k] = (char)toupper((unsigned char)v[k]);
		} else if (a[0] != '-' && *app_id == 0 && info->tckn[0] == '\0' &&
			   parse_app_ref(a, &x) == 0 && i + 1 < argc) {
			*app_id = x;
			continue;
		} else if (a[0] != '-' && *csr_path == NULL && i == argc - 1) {
			*csr_path = a;
			continue;
		} else {
			return -1;
		}
		i++;
	}
	if (*app_id > 0 && info->renews[0] != '\0')
		return -1; /* an application knows what it renews */
	return *csr_path != NULL && (*app_id > 0 || info->tckn[0] != '\0') ? 0 : -1;
}

static int print_pem(const struct pki_issued *o)
{
	const unsigned char *p = o->der;
	X509 *x = d2i_X509(NULL, &p, (long)o->der_len);
	if (x == NULL)
		return -1;
	int ok = PEM_write_X509(stdout, x);
	X509_free(x);
	return ok ? 0 : -1;
}

static int cmd_issue(int argc, char **argv)
{
	struct pki_app_info info;
	int64_t app_id;
	const char *csr_path;
	char err[512] = "";
	db *d = NULL;
	int rc = 1;
	struct pki_issued o = {0};
	if (issue_args(argc, argv, &info, &app_id, &csr_path) != 0) {
		usage();
		return 2;
	}
	size_t len = 0;
	char *csr = (char *)pki_read_file(csr_path, 64u << 10, &len);
	if (csr == NULL) {
		fprintf(stderr, "%s okunamadı.\n", csr_path);
		return 1;
	}
	if (cli_start(&d) != 0)
		goto out_free;
	if (app_id > 0) {
		if (app_hooks == NULL || app_hooks->lookup == NULL) {
			fprintf(stderr, "Başvuru bilgisi alınamıyor: --tckn biçimini kullanın.\n");
			goto out;
		}
		if (app_hooks->lookup(d, app_id, &info, err, sizeof err) != 0)
			goto fail;
	}
	struct pki_issue_req rq = {.csr_pem = csr,
				   .csr_len = len,
				   .tckn = info.tckn,
				   .given_name = info.given_name,
				   .surname = info.surname,
				   .years = info.years,
				   .renews = info.renews[0] ? info.renews : NULL,
				   .application_id = app_id,
				   .application_ref = info.number[0] ? info.number : NULL,
				   .email = info.email[0] ? info.email : NULL};
	if (db_begin(d) != DB_OK) {
		snprintf(err, sizeof err, "Veritabanı meşgul.");
		goto fail;
	}
	char what[128];
	if (app_id > 0)
		snprintf(what, sizeof what, "başvuru %lld", (long long)app_id);
	else
		snprintf(what, sizeof what, "T.C. %s", info.tckn);
	if (pki_issue(d, &rq, &o, err, sizeof err) != 0 ||
	    (app_id > 0 && app_hooks->issued &&
	     app_hooks->issued(d, app_id, &o, err, sizeof err))) {
		db_rollback(d);
		goto fail;
	}
	if (cli_audit(d, o.serial_hex, "issue", what) != 0) {
		db_rollback(d);
		snprintf(err, sizeof err, "Denetim kaydı yazılamadı.");
		goto fail;
	}
	if (db_commit(d) != DB_OK) {
		snprintf(err, sizeof err, "Sertifika kaydedilemedi.");
		goto fail;
	}
	fprintf(stderr, "Sertifika üretildi. Seri No: %s\n", o.serial_hex);
	rc = print_pem(&o) == 0 ? 0 : 1;
	goto out;
fail:
	fprintf(stderr, "%s\n", err);
out:
	pki_issued_free(&o);
	if (d != NULL)
		cli_stop(d);
out_free:
	free(csr);
	return rc;
}

static int cmd_revoke(int argc, char **argv)
{
	char err[512] = "";
	db *d = NULL;
	int reason, rc = 1;
	const char *cmd = argv[0];
	if (strcmp(cmd, "revoke") == 0) {
		if (argc != 3 || (reason = pki_reason_parse(argv[2])) < 0 ||
		    reason == PKI_REASON_REMOVE_FROM_CRL) {
			usage();
			return 2;
		}
	} else if (argc == 2) {
		reason = strcmp(cmd, "hold") == 0 ? PKI_REASON_HOLD : PKI_REASON_REMOVE_FROM_CRL;
	} else {
		usage();
		return 2;
	}
	if (cli_start(&d) != 0)
		return 1;
	/* pki_revoke's steps, with the audit record inside the transaction. */
	if (db_begin(d) != DB_OK) {
		fprintf(stderr, "Veritabanı meşgul.\n");
	} else if (pki_revoke_tx(d, argv[1], reason, 0, err, sizeof err) != 0 ||
		   cli_audit(d, argv[1], cmd, pki_reason_name(reason)) != 0 ||
		   (app_hooks != NULL && app_hooks->status_changed != NULL &&
		    app_hooks->status_changed(d, argv[1], reason, err, sizeof err) != 0) ||
		   db_commit(d) != DB_OK) {
		db_rollback(d);
		fprintf(stderr, "%s\n", err[0] ? err : "Sertifika durumu kaydedilemedi.");
	} else {
		log_info("pki: %s -> %s", argv[1], pki_reason_name(reason));
		pki_after_revocation(d);
		printf("%s: %s\n", argv[1], pki_reason_name(reason));
		rc = 0;
	}
	cli_stop(d);
	return rc;
}

/* pki_crl_generate_tx inside the caller's transaction, then its audit record
 * (detail: the CRL number) and the commit. 0 or -1 (err). */
static int crl_generate_audited(db *d, char *err, size_t n)
{
	unsigned char *der = NULL;
	size_t len = 0;
	int64_t tu = 0, nu = 0, number = 0;
	char what[64] = "";
	if (pki_crl_generate_tx(d, err, n) != 0)
		return -1;
	if (pki_crl_get(d, PKI_CA_ISSUING, &der, &len, &tu, &nu, &number) == 0)
		snprintf(what, sizeof what, "SİL %lld", (long long)number);
	free(der);
	if (cli_audit(d, NULL, "crl_generate", what) != 0 || db_commit(d) != DB_OK) {
		snprintf(err, n, "SİL kaydedilemedi.");
		return -1;
	}
	return 0;
}

static int cmd_crl(int argc, char **argv)
{
	char err[512] = "";
	db *d = NULL;
	if (argc == 2 && strcmp(argv[1], "--root") == 0) {
		/* The root key is offline: only the ceremony signs the root CRL. */
		fprintf(stderr, "Kök SİL çevrim dışı kök anahtarla imzalanır:\n"
				"  eimza ca ceremony --root-key ANAHTAR --passphrase-file PAROLA "
				"root-crl\n");
		return 2;
	}
	if (argc != 1) {
		usage();
		return 2;
	}
	if (cli_start(&d) != 0)
		return 1;
	/* The CRL and its audit record in one transaction. */
	int rc = db_begin(d) == DB_OK ? 0 : -1;
	if (rc != 0)
		snprintf(err, sizeof err, "Veritabanı meşgul.");
	else if ((rc = crl_generate_audited(d, err, sizeof err)) != 0)
		db_rollback(d);
	if (rc != 0)
		fprintf(stderr, "%s\n", err);
	else
		printf("SİL yenilendi.\n");
	cli_stop(d);
	return rc == 0 ? 0 : 1;
}

/* The signer issues a new OCSP responder certificate for the same key and
 * journals it; the running server's signer adopts it the next time it reads
 * the journal (within the hour at the latest). Audited as ocsp:<serial>. */
static int cmd_renew_ocsp(int argc, char **argv)
{
	char err[512] = "", serial[PKI_SERIAL_HEX_MAX + 1] = "", object[96], detail[600];
	db *d = NULL;
	struct cli_actor who;
	(void)argv;
	if (argc != 1) {
		usage();
		return 2;
	}
	if (cli_start(&d) != 0)
		return 1;
	int rc = pki_ca_renew_ocsp(config_get("ca.dir"), 1, err, sizeof err);
	if (rc != 0) {
		fprintf(stderr, "OCSP sertifikası yenilenemedi: %s\n", err);
		cli_stop(d);
		return 1;
	}
	X509 *x = pki_ocsp_cert();
	long long until = (long long)pki_time(X509_get0_notAfter(x));
	pki_serial_hex(X509_get0_serialNumber(x), serial);
	snprintf(object, sizeof object, "ocsp:%s", serial);
	cli_actor_get(&who);
	/* The certificate is journaled already: a lost audit record is reported,
	 * it does not undo the renewal. */
	if (db_begin(d) != DB_OK ||
	    audit_append(d, &(struct audit_entry){.actor = who.actor,
						  .object = object,
						  .action = "ocsp_renew",
						  .detail = cli_actor_detail(
							  &who, "OCSP sertifikası", detail,
							  sizeof detail)}) != 0 ||
	    db_commit(d) != DB_OK) {
		db_rollback(d);
		fprintf(stderr, "Denetim kaydı yazılamadı.\n");
	}
	printf("OCSP sertifikası yenilendi: seri %s, geçerlilik sonu %lld\n", serial, until);
	cli_stop(d);
	return 0;
}

static void print_summary(const struct pki_cert_summary *c, void *arg)
{
	(void)arg;
	printf("%s %lld %lld %s %d\n", c->serial_hex, (long long)c->not_before,
	       (long long)c->not_after, pki_cert_status_names[c->status], c->reason);
}

static int cmd_list(int argc, char **argv)
{
	if (argc != 2) {
		usage();
		return 2;
	}
	db *d = cli_db();
	if (d == NULL)
		return 1;
	int n = pki_cert_list_for_tckn(d, argv[1], print_summary, NULL);
	db_close(d);
	return n < 0 ? 1 : 0;
}

/* `ca reconcile`: reads the journal in ca.dir directly (no signer). */
static int cmd_reconcile(int argc, char **argv)
{
	char err[512] = "";
	(void)argv;
	if (argc != 1) {
		usage();
		return 2;
	}
	db *d = cli_db();
	if (d == NULL)
		return 1;
	long bad = pki_reconcile(d, config_get("ca.dir"), stdout, err, sizeof err);
	db_close(d);
	if (bad < 0) {
		fprintf(stderr, "Karşılaştırılamadı: %s\n", err);
		return 1;
	}
	return bad == 0 ? 0 : 1;
}

int pki_cli_main(int argc, char **argv)
{
	/* argv[0] is "ca" */
	if (argc < 2) {
		usage();
		return 2;
	}
	const char *c = argv[1];
	argc--;
	argv++;
	if (strcmp(c, "--help") == 0 || strcmp(c, "-h") == 0 || strcmp(c, "help") == 0) {
		usage();
		return 0;
	}
	if (strcmp(c, "create") == 0)
		return cmd_create(argc, argv);
	if (strcmp(c, "import") == 0)
		return cmd_import(argc, argv);
	if (strcmp(c, "issue") == 0)
		return cmd_issue(argc, argv);
	if (strcmp(c, "revoke") == 0 || strcmp(c, "hold") == 0 || strcmp(c, "release") == 0)
		return cmd_revoke(argc, argv);
	if (strcmp(c, "crl") == 0)
		return cmd_crl(argc, argv);
	if (strcmp(c, "list") == 0)
		return cmd_list(argc, argv);
	if (strcmp(c, "reconcile") == 0)
		return cmd_reconcile(argc, argv);
	if (strcmp(c, "ceremony") == 0)
		return pki_ceremony_main(argc, argv);
	if (strcmp(c, "renew-ocsp") == 0)
		return cmd_renew_ocsp(argc, argv);
	usage();
	return 2;
}
