/* Custody of the online CA keys: keys.conf, passphrases and PINs, encrypted
 * PKCS#8 key files, and the choice between token and files (keystore.h). */
#include "pki/keystore.h"
#include "pki/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <sodium.h>

#include "util/config.h"
#include "util/log.h"

struct keyconf {
	char storage[16];
	char module[1024];
	char softhsm2_conf[1024];
	char issuing[512];
	char ocsp[512];
	char pin_file[1024];
	int from_file; /* keys.conf was found */
};

/* ---- secrets ---- */

int pki_secret_read(const char *path, char *out, size_t outlen, char *err, size_t n)
{
	size_t len = 0;
	unsigned char *data = pki_read_file(path, KEYS_PASS_MAX, &len);
	if (data == NULL) {
		snprintf(err, n, "Gizli dosya okunamadı: %s", path);
		return -1;
	}
	size_t l = strcspn((char *)data, "\r\n");
	if (l > len)
		l = len;
	int rc = -1;
	if (l == 0 || l >= outlen || memchr(data, '\0', l) != NULL) {
		snprintf(err, n, "Gizli dosya boş ya da geçersiz: %s", path);
	} else {
		memcpy(out, data, l);
		out[l] = '\0';
		rc = 0;
	}
	sodium_memzero(data, len);
	free(data);
	return rc;
}

int pki_secret_create(const char *path, char *out, size_t outlen)
{
	unsigned char raw[32];
	char hex[2 * sizeof raw + 2];
	int rc = -1;
	if (outlen < 2 * sizeof raw + 1)
		return -1;
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		log_error("keys: cannot create %s: %s", path, strerror(errno));
		goto out;
	}
	size_t l = strlen(hex);
	hex[l] = '\n';
	if (write(fd, hex, l + 1) != (ssize_t)(l + 1) || fsync(fd) != 0) {
		close(fd);
		unlink(path);
		goto out;
	}
	close(fd);
	hex[l] = '\0';
	memcpy(out, hex, l + 1);
	rc = 0;
out:
	sodium_memzero(raw, sizeof raw);
	sodium_memzero(hex, sizeof hex);
	return rc;
}

/* $CREDENTIALS_DIRECTORY/name when systemd passed that credential. */
static int credential_path(const char *name, char *out, size_t n)
{
	const char *d = getenv("CREDENTIALS_DIRECTORY");
	if (d == NULL || d[0] == '\0' || pki_path(out, n, d, name) != 0)
		return -1;
	return access(out, R_OK) == 0 ? 0 : -1;
}

int pki_keys_passphrase(const char *dir, int create, char *out, size_t outlen, char *err, size_t n)
{
	char p[4096];
	if (credential_path(KEYS_CRED_PASSPHRASE, p, sizeof p) == 0)
		return pki_secret_read(p, out, outlen, err, n);
	const char *conf = config_get("ca.key_passphrase_file");
	if (conf[0] != '\0')
		snprintf(p, sizeof p, "%s", conf);
	else if (pki_path(p, sizeof p, dir, KEYS_PASSPHRASE_FILE) != 0)
		return -1;
	if (access(p, F_OK) != 0 && create) {
		if (pki_secret_create(p, out, outlen) != 0) {
			snprintf(err, n, "Anahtar parola dosyası oluşturulamadı: %s", p);
			return -1;
		}
		log_info("keys: new key passphrase file %s (0600)", p);
		return 0;
	}
	return pki_secret_read(p, out, outlen, err, n);
}

/* ---- encrypted PKCS#8 ---- */

int pki_key_write_encrypted(const char *path, EVP_PKEY *k, const char *pass)
{
	int rc = -1;
	BIO *mem = BIO_new(BIO_s_mem());
	char *data;
	if (mem == NULL || access(path, F_OK) == 0 ||
	    !PEM_write_bio_PKCS8PrivateKey(mem, k, EVP_aes_256_cbc(), pass, (int)strlen(pass), NULL,
					   NULL))
		goto out;
	long len = BIO_get_mem_data(mem, &data);
	rc = pki_write_file(path, data, (size_t)len, 0600);
out:
	BIO_free_all(mem);
	return rc;
}

/* OpenSSL's passphrase callback: the passphrase we were given, never a
 * prompt on the terminal. */
static int pass_cb(char *out, int size, int rwflag, void *u)
{
	(void)rwflag;
	const char *pass = u;
	if (pass == NULL)
		return -1;
	size_t l = strlen(pass);
	if (l >= (size_t)size)
		return -1;
	memcpy(out, pass, l);
	return (int)l;
}

EVP_PKEY *pki_key_read_encrypted(const char *path, const char *pass, int allow_plain, char *err,
				 size_t n)
{
	size_t len = 0;
	EVP_PKEY *k = NULL;
	BIO *mem = NULL;
	unsigned char *data = pki_read_file(path, 64u << 10, &len);
	if (data == NULL) {
		snprintf(err, n, "Anahtar dosyası okunamadı: %s", path);
		return NULL;
	}
	int encrypted = strstr((char *)data, "-----BEGIN ENCRYPTED PRIVATE KEY-----") != NULL;
	if (!encrypted && !allow_plain) {
		snprintf(err, n, "Anahtar dosyası şifreli değil: %s", path);
		goto out;
	}
	if (!encrypted)
		log_warn("keys: %s is not encrypted (a key file of an older eimza)", path);
	mem = BIO_new_mem_buf(data, (int)len);
	if (mem != NULL)
		k = PEM_read_bio_PrivateKey(mem, NULL, pass_cb, (void *)pass);
	if (k == NULL) {
		ERR_clear_error();
		snprintf(err, n, "Anahtar çözülemedi (parola yanlış mı?): %s", path);
	}
out:
	BIO_free(mem);
	OPENSSL_cleanse(data, len);
	free(data);
	return k;
}

/* ---- keys.conf ---- */

static void trim(char *s)
{
	size_t l = strlen(s);
	while (l > 0 &&
	       (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\n' || s[l - 1] == '\r'))
		s[--l] = '\0';
	size_t i = strspn(s, " \t");
	memmove(s, s + i, strlen(s + i) + 1);
}

static int keyconf_read(const char *dir, struct keyconf *kc, char *err, size_t n)
{
	char p[4096], line[2048];
	memset(kc, 0, sizeof *kc);
	if (pki_path(p, sizeof p, dir, KEYS_CONF) != 0)
		return -1;
	FILE *f = fopen(p, "r");
	if (f == NULL)
		return errno == ENOENT ? 0 : -1;
	kc->from_file = 1;
	while (fgets(line, sizeof line, f) != NULL) {
		char *eq = strchr(line, '=');
		if (line[0] == '#' || eq == NULL)
			continue;
		*eq = '\0';
		char *key = line, *val = eq + 1;
		trim(key);
		trim(val);
		struct {
			const char *name;
			char *dst;
			size_t size;
		} fields[] = {
			{"storage", kc->storage, sizeof kc->storage},
			{"module", kc->module, sizeof kc->module},
			{"softhsm2_conf", kc->softhsm2_conf, sizeof kc->softhsm2_conf},
			{"issuing", kc->issuing, sizeof kc->issuing},
			{"ocsp", kc->ocsp, sizeof kc->ocsp},
			{"pin_file", kc->pin_file, sizeof kc->pin_file},
		};
		for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
			if (strcmp(key, fields[i].name) == 0 &&
			    snprintf(fields[i].dst, fields[i].size, "%s", val) >=
				    (int)fields[i].size) {
				fclose(f);
				snprintf(err, n, "%s: %s değeri çok uzun.", p, key);
				return -1;
			}
	}
	fclose(f);
	if (strcmp(kc->storage, "pkcs11") != 0 && strcmp(kc->storage, "file") != 0) {
		snprintf(err, n, "%s: storage pkcs11 ya da file olmalı.", p);
		return -1;
	}
	return 0;
}

static int keyconf_write(const char *dir, const struct keyconf *kc)
{
	char p[4096], text[8192];
	int l = snprintf(text, sizeof text,
			 "# Where the online CA keys are (written by eimza init; see "
			 "docs/SECURITY.md).\n"
			 "storage = %s\n",
			 kc->storage);
	if (strcmp(kc->storage, "pkcs11") == 0)
		l += snprintf(text + l, sizeof text - (size_t)l,
			      "%s%s%s%s%s%s"
			      "issuing = %s\nocsp = %s\n%s%s%s",
			      kc->module[0] ? "module = " : "", kc->module,
			      kc->module[0] ? "\n" : "",
			      kc->softhsm2_conf[0] ? "softhsm2_conf = " : "", kc->softhsm2_conf,
			      kc->softhsm2_conf[0] ? "\n" : "", kc->issuing, kc->ocsp,
			      kc->pin_file[0] ? "pin_file = " : "", kc->pin_file,
			      kc->pin_file[0] ? "\n" : "");
	if (l < 0 || (size_t)l >= sizeof text || pki_path(p, sizeof p, dir, KEYS_CONF) != 0)
		return -1;
	return pki_write_file(p, text, (size_t)l, 0644);
}

/* Config keys override keys.conf (a real HSM is a config change). */
static void keyconf_apply_config(struct keyconf *kc)
{
	const char *module = config_get("ca.pkcs11_module");
	if (module[0] != '\0') {
		if (!kc->from_file || strcmp(kc->storage, "pkcs11") != 0) {
			/* A token configured by hand (no keys.conf from init). */
			snprintf(kc->storage, sizeof kc->storage, "pkcs11");
			kc->ocsp[0] = '\0';
		}
		snprintf(kc->module, sizeof kc->module, "%s", module);
		kc->softhsm2_conf[0] = '\0';
	}
	if (config_get("ca.pkcs11_uri")[0] != '\0')
		snprintf(kc->issuing, sizeof kc->issuing, "%s", config_get("ca.pkcs11_uri"));
	if (config_get("ca.pkcs11_ocsp_uri")[0] != '\0')
		snprintf(kc->ocsp, sizeof kc->ocsp, "%s", config_get("ca.pkcs11_ocsp_uri"));
	if (kc->storage[0] == '\0')
		snprintf(kc->storage, sizeof kc->storage, "file");
}

/* dir/rel unless rel is absolute. */
static int resolve(char *out, size_t n, const char *dir, const char *rel)
{
	if (rel[0] == '/')
		return snprintf(out, n, "%s", rel) >= (int)n ? -1 : 0;
	return pki_path(out, n, dir, rel);
}

/* The user PIN: the systemd credential, ca.pkcs11_pin, ca.pkcs11_pin_file,
 * keys.conf's pin_file, in that order. */
static int token_pin(const char *dir, const struct keyconf *kc, char *out, size_t outlen, char *err,
		     size_t n)
{
	char p[4096];
	if (credential_path(KEYS_CRED_PIN, p, sizeof p) == 0)
		return pki_secret_read(p, out, outlen, err, n);
	if (config_get("ca.pkcs11_pin")[0] != '\0') {
		snprintf(out, outlen, "%s", config_get("ca.pkcs11_pin"));
		return 0;
	}
	const char *file = config_get("ca.pkcs11_pin_file");
	if (file[0] == '\0')
		file = kc->pin_file;
	if (file[0] == '\0' || resolve(p, sizeof p, dir, file) != 0) {
		snprintf(err, n, "PKCS#11 PIN'i yok (ca.pkcs11_pin_file).");
		return -1;
	}
	return pki_secret_read(p, out, outlen, err, n);
}

/* SoftHSM2 finds its token directory through SOFTHSM2_CONF. */
static int softhsm_env(const char *dir, const struct keyconf *kc)
{
	char p[4096];
	if (kc->softhsm2_conf[0] == '\0')
		return 0;
	if (resolve(p, sizeof p, dir, kc->softhsm2_conf) != 0)
		return -1;
	return setenv("SOFTHSM2_CONF", p, 1);
}

/* ---- loading ---- */

static int load_token(const char *dir, const struct keyconf *kc, EVP_PKEY **issuing,
		      EVP_PKEY **ocsp, char *err, size_t n)
{
	char pin[KEYS_PASS_MAX], label[128], object[128];
	int rc = -1;
	if (softhsm_env(dir, kc) != 0 || token_pin(dir, kc, pin, sizeof pin, err, n) != 0)
		goto out;
	pki_p11_uri_attr(kc->issuing, "token", label, sizeof label);
	if (pki_token_open(kc->module, label, pin, err, n) != 0)
		goto out;
	if (issuing != NULL) {
		pki_p11_uri_attr(kc->issuing, "object", object, sizeof object);
		if ((*issuing = pki_token_key(object, err, n)) == NULL)
			goto out;
	}
	if (ocsp != NULL && kc->ocsp[0] != '\0') {
		pki_p11_uri_attr(kc->ocsp, "object", object, sizeof object);
		if ((*ocsp = pki_token_key(object, err, n)) == NULL)
			goto out;
	}
	rc = 0;
out:
	sodium_memzero(pin, sizeof pin);
	return rc;
}

/* dir/name as an encrypted key file (a plain one only for a CA directory
 * without keys.conf, made by an older eimza). */
static EVP_PKEY *load_file_key(const char *dir, const char *name, int allow_plain, char *err,
			       size_t n)
{
	char p[4096], pass[KEYS_PASS_MAX] = "", perr[256] = "";
	EVP_PKEY *k = NULL;
	if (pki_path(p, sizeof p, dir, name) != 0)
		return NULL;
	int have = pki_keys_passphrase(dir, 0, pass, sizeof pass, perr, sizeof perr) == 0;
	if (!have && !allow_plain) {
		snprintf(err, n, "%s", perr);
		return NULL;
	}
	k = pki_key_read_encrypted(p, have ? pass : NULL, allow_plain, err, n);
	sodium_memzero(pass, sizeof pass);
	return k;
}

int pki_keys_load(const char *dir, EVP_PKEY **issuing, EVP_PKEY **ocsp, char *err, size_t n)
{
	struct keyconf kc;
	if (issuing)
		*issuing = NULL;
	if (ocsp)
		*ocsp = NULL;
	if (keyconf_read(dir, &kc, err, n) != 0) {
		if (err[0] == '\0')
			snprintf(err, n, "%s/%s okunamadı.", dir, KEYS_CONF);
		return -1;
	}
	keyconf_apply_config(&kc);
	int plain_ok = !kc.from_file;
	if (strcmp(kc.storage, "pkcs11") == 0) {
		if (load_token(dir, &kc, issuing, ocsp, err, n) != 0)
			goto fail;
		if (ocsp != NULL && *ocsp == NULL &&
		    (*ocsp = load_file_key(dir, "ocsp.key", plain_ok, err, n)) == NULL)
			goto fail;
		return 0;
	}
	if (issuing != NULL &&
	    (*issuing = load_file_key(dir, "issuing.key", plain_ok, err, n)) == NULL)
		goto fail;
	if (ocsp != NULL && (*ocsp = load_file_key(dir, "ocsp.key", plain_ok, err, n)) == NULL)
		goto fail;
	return 0;
fail:
	if (issuing) {
		EVP_PKEY_free(*issuing);
		*issuing = NULL;
	}
	if (ocsp) {
		EVP_PKEY_free(*ocsp);
		*ocsp = NULL;
	}
	pki_token_close();
	return -1;
}

void pki_keys_close(void)
{
	pki_token_close();
}

/* ---- generation (init) ---- */

static int mkdir_private(const char *path, char *err, size_t n)
{
	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		snprintf(err, n, "%s oluşturulamadı: %s", path, strerror(errno));
		return -1;
	}
	return chmod(path, 0700);
}

/* dir/token/{softhsm2.conf,tokens/,pin,so-pin} for a new SoftHSM2 token. */
static int softhsm_prepare(const char *dir, struct keyconf *kc, char *pin, char *so_pin,
			   size_t pinlen, char *err, size_t n)
{
	char tok[4096], tokens[4096], abs[PATH_MAX], p[4096], text[PATH_MAX + 128];
	if (pki_path(tok, sizeof tok, dir, "token") ||
	    pki_path(tokens, sizeof tokens, tok, "tokens"))
		return -1;
	if (mkdir_private(tok, err, n) != 0 || mkdir_private(tokens, err, n) != 0)
		return -1;
	if (realpath(tokens, abs) == NULL) {
		snprintf(err, n, "%s çözümlenemedi.", tokens);
		return -1;
	}
	int l = snprintf(text, sizeof text,
			 "# SoftHSM2 token of the eimza CA (made by eimza init)\n"
			 "directories.tokendir = %s\nobjectstore.backend = file\n"
			 "log.level = ERROR\nslots.removable = false\n",
			 abs);
	if (l < 0 || (size_t)l >= sizeof text || pki_path(p, sizeof p, tok, "softhsm2.conf") ||
	    pki_write_file(p, text, (size_t)l, 0600) || setenv("SOFTHSM2_CONF", p, 1)) {
		snprintf(err, n, "SoftHSM2 ayar dosyası yazılamadı.");
		return -1;
	}
	if (pki_path(p, sizeof p, tok, "pin") || pki_secret_create(p, pin, pinlen) ||
	    pki_path(p, sizeof p, tok, "so-pin") || pki_secret_create(p, so_pin, pinlen)) {
		snprintf(err, n, "PKCS#11 PIN dosyaları yazılamadı (%s).", tok);
		return -1;
	}
	snprintf(kc->softhsm2_conf, sizeof kc->softhsm2_conf, "token/softhsm2.conf");
	snprintf(kc->pin_file, sizeof kc->pin_file, "token/pin");
	snprintf(kc->issuing, sizeof kc->issuing, "pkcs11:token=%s;object=issuing",
		 KEYS_TOKEN_LABEL);
	snprintf(kc->ocsp, sizeof kc->ocsp, "pkcs11:token=%s;object=ocsp", KEYS_TOKEN_LABEL);
	return 0;
}

static int generate_on_token(const char *dir, struct keyconf *kc, const char *key_type,
			     EVP_PKEY *pubs[2], char *err, size_t n)
{
	char pin[KEYS_PASS_MAX] = "", so_pin[KEYS_PASS_MAX] = "", label[128] = "";
	char objects[2][128] = {"issuing", "ocsp"};
	const char *module = config_get("ca.pkcs11_module");
	int rc = -1, softhsm = module[0] == '\0';
	snprintf(kc->storage, sizeof kc->storage, "pkcs11");
	if (softhsm) {
		if ((module = pki_softhsm_module()) == NULL) {
			snprintf(err, n,
				 "SoftHSM2 kurulu değil (apt install softhsm2) ya da "
				 "--key-storage file kullanın.");
			return -1;
		}
		snprintf(kc->module, sizeof kc->module, "%s", module);
		if (softhsm_prepare(dir, kc, pin, so_pin, sizeof pin, err, n) != 0)
			goto out;
		snprintf(label, sizeof label, "%s", KEYS_TOKEN_LABEL);
	} else {
		/* A real HSM: its token exists; the keys go where the URIs say. */
		keyconf_apply_config(kc);
		if (kc->issuing[0] == '\0')
			snprintf(kc->issuing, sizeof kc->issuing, "pkcs11:object=issuing");
		if (kc->ocsp[0] == '\0')
			snprintf(kc->ocsp, sizeof kc->ocsp, "pkcs11:object=ocsp");
		if (token_pin(dir, kc, pin, sizeof pin, err, n) != 0)
			goto out;
		pki_p11_uri_attr(kc->issuing, "token", label, sizeof label);
		pki_p11_uri_attr(kc->issuing, "object", objects[0], sizeof objects[0]);
		pki_p11_uri_attr(kc->ocsp, "object", objects[1], sizeof objects[1]);
		kc->module[0] = '\0'; /* the config names it */
	}
	struct p11gen g = {.module = module,
			   .token_label = label,
			   .so_pin = softhsm ? so_pin : NULL,
			   .pin = pin,
			   .key_type = key_type};
	const char *const labels[2] = {objects[0], objects[1]};
	rc = pki_p11_generate(&g, labels, pubs, 2, err, n);
out:
	sodium_memzero(pin, sizeof pin);
	sodium_memzero(so_pin, sizeof so_pin);
	return rc;
}

/* issuing.key and ocsp.key, encrypted; pubs[0] may hold a key to write
 * (import) instead of a new one. */
static int generate_files(const char *dir, struct keyconf *kc, const char *key_type,
			  EVP_PKEY *pubs[2], char *err, size_t n)
{
	char pass[KEYS_PASS_MAX] = "", p[4096];
	static const char *const names[2] = {"issuing.key", "ocsp.key"};
	int rc = -1;
	snprintf(kc->storage, sizeof kc->storage, "file");
	if (pki_keys_passphrase(dir, 1, pass, sizeof pass, err, n) != 0)
		goto out;
	for (int i = 0; i < 2; i++) {
		if (pubs[i] == NULL && (pubs[i] = pki_keygen(key_type)) == NULL) {
			snprintf(err, n, "Anahtar türü geçersiz: %s (" PKI_KEY_TYPES ").",
				 key_type);
			goto out;
		}
		if (pki_path(p, sizeof p, dir, names[i]) ||
		    pki_key_write_encrypted(p, pubs[i], pass)) {
			snprintf(err, n, "%s yazılamadı.", p);
			goto out;
		}
	}
	rc = 0;
out:
	sodium_memzero(pass, sizeof pass);
	return rc;
}

int pki_keys_generate(const char *dir, const char *storage, const char *key_type,
		      EVP_PKEY **issuing_pub, EVP_PKEY **ocsp_pub, char *err, size_t n)
{
	struct keyconf kc;
	EVP_PKEY *pubs[2] = {NULL, NULL};
	int rc;
	memset(&kc, 0, sizeof kc);
	if (storage == NULL || storage[0] == '\0')
		storage = config_get("ca.key_storage");
	if (pki_keygen_type_ok(key_type) != 0) {
		snprintf(err, n, "Anahtar türü geçersiz: %s (" PKI_KEY_TYPES ").", key_type);
		return -1;
	}
	if (strcmp(storage, "pkcs11") == 0)
		rc = generate_on_token(dir, &kc, key_type, pubs, err, n);
	else if (strcmp(storage, "file") == 0)
		rc = generate_files(dir, &kc, key_type, pubs, err, n);
	else {
		snprintf(err, n, "Anahtar saklama biçimi geçersiz: %s (pkcs11, file).", storage);
		rc = -1;
	}
	if (rc == 0 && keyconf_write(dir, &kc) != 0) {
		snprintf(err, n, "%s/%s yazılamadı.", dir, KEYS_CONF);
		rc = -1;
	}
	if (rc != 0) {
		EVP_PKEY_free(pubs[0]);
		EVP_PKEY_free(pubs[1]);
		return -1;
	}
	*issuing_pub = pubs[0];
	*ocsp_pub = pubs[1];
	log_info("keys: issuing and OCSP keys (%s) generated, storage %s", key_type, kc.storage);
	return 0;
}

int pki_keys_import(const char *dir, EVP_PKEY *issuing, const char *key_type, EVP_PKEY **ocsp_pub,
		    char *err, size_t n)
{
	struct keyconf kc;
	EVP_PKEY *pubs[2] = {issuing, NULL};
	memset(&kc, 0, sizeof kc);
	if (generate_files(dir, &kc, key_type, pubs, err, n) != 0 || keyconf_write(dir, &kc) != 0) {
		if (err[0] == '\0')
			snprintf(err, n, "%s/%s yazılamadı.", dir, KEYS_CONF);
		EVP_PKEY_free(pubs[1]);
		return -1;
	}
	*ocsp_pub = pubs[1];
	return 0;
}

/* The PEM goes to a temporary file that is then hard-linked into place:
 * link fails when another process got there first, which is fine. */
int pki_key_create_encrypted(const char *path, const char *alg, const char *pass)
{
	char tmp[4200];
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, alg);
	BIO *mem = BIO_new(BIO_s_mem());
	char *data = NULL;
	long len = 0;
	int fd = -1, rc = -1;
	if (k == NULL || mem == NULL ||
	    !PEM_write_bio_PKCS8PrivateKey(mem, k, EVP_aes_256_cbc(), NULL, 0, NULL,
					   (void *)pass) ||
	    snprintf(tmp, sizeof tmp, "%s.%d.tmp", path, (int)getpid()) >= (int)sizeof tmp)
		goto out;
	len = BIO_get_mem_data(mem, &data);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || len <= 0 || write(fd, data, (size_t)len) != len || fsync(fd) != 0)
		goto out;
	if (link(tmp, path) != 0 && errno != EEXIST)
		goto out;
	rc = 0;
out:
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	if (data != NULL && len > 0)
		OPENSSL_cleanse(data, (size_t)len);
	BIO_free(mem);
	EVP_PKEY_free(k);
	return rc;
}
