/* `eimza ca ceremony`: the only code that reads the root key (issue 9).
 *
 * The root key is offline: `eimza init` writes it encrypted (root.key +
 * root.pass) into the offline directory and nothing online ever loads it.
 * A ceremony brings it back for one action, in this short-lived process,
 * and writes what it made for the online side:
 *   root-crl                   the next root CRL -> <ca.dir>/root.crl
 *   renew-issuing              a new issuing CA certificate for the same
 *                              (token) key -> <ca.dir>/issuing.pem
 *   issue-subca --csr F --out O  a subordinate CA certificate for the key
 *                              of a PKCS#10 request -> O (for `ca import`)
 * The OCSP responder certificate is signed by the issuing CA, not by the
 * root, so it needs no ceremony. Each action writes an audit record (actor
 * cli:<os user>, object ca:root) in the same transaction as its outcome. */
#include "pki/pki.h"
#include "pki/internal.h"
#include "pki/keystore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "store/audit.h"
#include "util/cliactor.h"
#include "util/config.h"
#include "util/log.h"

static void ceremony_usage(void)
{
	fputs("Kullanım:\n"
	      "  eimza ca ceremony --root-key ANAHTAR --passphrase-file PAROLA root-crl\n"
	      "  eimza ca ceremony --root-key ANAHTAR --passphrase-file PAROLA renew-issuing\n"
	      "  eimza ca ceremony --root-key ANAHTAR --passphrase-file PAROLA issue-subca\n"
	      "                    --csr CSR_DOSYASI --out SERTIFIKA.pem\n"
	      "Kök anahtar çevrim dışıdır (eimza init onu şifreli olarak <ca.dir>/offline\n"
	      "içine yazar); bu komut onu yalnızca bu işlem için okur ve işlemi denetim\n"
	      "kaydına yazar.\n",
	      stderr);
}

struct ceremony {
	const char *key_path, *pass_path, *action, *csr_path, *out_path;
	char what[480]; /* audit detail, also printed */
};

static int parse_args(int argc, char **argv, struct ceremony *c)
{
	memset(c, 0, sizeof *c);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--root-key") == 0 && v)
			c->key_path = argv[++i];
		else if (strcmp(a, "--passphrase-file") == 0 && v)
			c->pass_path = argv[++i];
		else if (strcmp(a, "--csr") == 0 && v)
			c->csr_path = argv[++i];
		else if (strcmp(a, "--out") == 0 && v)
			c->out_path = argv[++i];
		else if (a[0] != '-' && c->action == NULL)
			c->action = a;
		else
			return -1;
	}
	if (c->key_path == NULL || c->pass_path == NULL || c->action == NULL)
		return -1;
	if (strcmp(c->action, "issue-subca") == 0)
		return c->csr_path && c->out_path ? 0 : -1;
	if (c->csr_path || c->out_path)
		return -1;
	return strcmp(c->action, "root-crl") == 0 || strcmp(c->action, "renew-issuing") == 0 ? 0
											     : -1;
}

static EVP_PKEY *load_root_key(const struct ceremony *c, char *err, size_t n)
{
	char pass[KEYS_PASS_MAX];
	EVP_PKEY *k = NULL;
	if (pki_secret_read(c->pass_path, pass, sizeof pass, err, n) == 0)
		k = pki_key_read_encrypted(c->key_path, pass, 0, err, n);
	OPENSSL_cleanse(pass, sizeof pass);
	return k;
}

/* The public key of a PKCS#10 request whose signature verifies. */
static EVP_PKEY *csr_key(const char *path, char *err, size_t n)
{
	FILE *f = fopen(path, "r");
	X509_REQ *req = f ? PEM_read_X509_REQ(f, NULL, NULL, NULL) : NULL;
	EVP_PKEY *k = req ? X509_REQ_get_pubkey(req) : NULL;
	if (f)
		fclose(f);
	if (k == NULL || X509_REQ_verify(req, k) != 1) {
		ERR_clear_error();
		snprintf(err, n, "CSR okunamadı ya da imzası doğrulanmadı: %s", path);
		EVP_PKEY_free(k);
		k = NULL;
	}
	X509_REQ_free(req);
	return k;
}

/* Runs the action with the root key; fills c->what. 0 or -1 (err). */
static int run_action(struct ceremony *c, EVP_PKEY *rk, char *err, size_t n)
{
	const char *dir = config_get("ca.dir");
	char serial[PKI_SERIAL_HEX_MAX + 1];
	if (strcmp(c->action, "root-crl") == 0) {
		long number = 0;
		if (pki_ca_root_crl(dir, rk, &number, err, n) != 0)
			return -1;
		snprintf(c->what, sizeof c->what, "kök SİL %ld -> %s/root.crl", number, dir);
		return 0;
	}
	if (strcmp(c->action, "renew-issuing") == 0) {
		if (pki_ca_renew_issuing(dir, rk, NULL, NULL, serial, err, n) != 0)
			return -1;
		snprintf(c->what, sizeof c->what, "veren SM sertifikası %s -> %s/issuing.pem",
			 serial, dir);
		return 0;
	}
	EVP_PKEY *sub = csr_key(c->csr_path, err, n);
	if (sub == NULL)
		return -1;
	int rc = pki_ca_renew_issuing(dir, rk, sub, c->out_path, serial, err, n);
	EVP_PKEY_free(sub);
	if (rc == 0)
		snprintf(c->what, sizeof c->what, "alt SM sertifikası %s -> %s", serial,
			 c->out_path);
	return rc;
}

/* The action and its audit record in one transaction. */
static int audited(db *d, struct ceremony *c, EVP_PKEY *rk, char *err, size_t n)
{
	struct cli_actor who;
	char action[64], detail[700];
	cli_actor_get(&who);
	snprintf(action, sizeof action, "ceremony_%s", c->action);
	for (char *p = action; *p; p++)
		if (*p == '-')
			*p = '_';
	if (db_begin(d) != DB_OK) {
		snprintf(err, n, "Veritabanı meşgul.");
		return -1;
	}
	if (run_action(c, rk, err, n) != 0) {
		db_rollback(d);
		return -1;
	}
	if (audit_append(d, &(struct audit_entry){.actor = who.actor,
						  .object = "ca:root",
						  .action = action,
						  .detail = cli_actor_detail(&who, c->what, detail,
									     sizeof detail)}) !=
		    0 ||
	    db_commit(d) != DB_OK) {
		db_rollback(d);
		snprintf(err, n, "%s yazıldı ama denetim kaydı yazılamadı.", c->what);
		return -1;
	}
	log_info("ceremony: %s by %s: %s", c->action, who.actor, c->what);
	return 0;
}

int pki_ceremony_main(int argc, char **argv)
{
	struct ceremony c;
	char err[1024] = "";
	int rc = 1;
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		ceremony_usage();
		return 0;
	}
	if (parse_args(argc, argv, &c) != 0) {
		ceremony_usage();
		return 2;
	}
	EVP_PKEY *rk = load_root_key(&c, err, sizeof err);
	db *d = rk ? db_open(config_get("database.url"), err, sizeof err) : NULL;
	if (rk != NULL && d == NULL)
		snprintf(err + strlen(err), sizeof err - strlen(err), " (veritabanı açılamadı)");
	if (d != NULL && audited(d, &c, rk, err, sizeof err) == 0) {
		printf("Tören tamam: %s\n", c.what);
		rc = 0;
	}
	if (rc != 0)
		fprintf(stderr, "%s\n", err);
	db_close(d);
	EVP_PKEY_free(rk);
	return rc;
}
