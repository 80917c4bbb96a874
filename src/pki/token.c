/* The issuing CA key on a PKCS#11 token (libp11), or in issuing.key.
 * Only the signer process (and the OCSP renewal it runs at start) calls
 * this: the module is loaded after the fork, in the child. */
#include "pki/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/config.h"
#include "util/log.h"

#if defined(__has_include)
#if __has_include(<libp11.h>)
#define EIMZA_HAVE_P11 1
#include <libp11.h>
#endif
#endif

#ifdef EIMZA_HAVE_P11
/* Value of `attr` in a "pkcs11:a=b;c=d" URI (percent-decoded) into out. */
static int uri_attr(const char *uri, const char *attr, char *out, size_t n)
{
	size_t al = strlen(attr), o = 0;
	const char *p = strncmp(uri, "pkcs11:", 7) == 0 ? uri + 7 : uri;
	while (*p) {
		const char *end = strpbrk(p, ";?");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > al && strncmp(p, attr, al) == 0 && p[al] == '=') {
			for (size_t i = al + 1; i < len && o + 1 < n; i++) {
				if (p[i] == '%' && i + 2 < len + 1) {
					char hx[3] = {p[i + 1], p[i + 2], 0};
					out[o++] = (char)strtol(hx, NULL, 16);
					i += 2;
				} else {
					out[o++] = p[i];
				}
			}
			out[o] = '\0';
			return 0;
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	return -1;
}

/* The context stays loaded while the key is in use: the signer keeps it for
 * its whole life. */
static PKCS11_CTX *p11_ctx;
static PKCS11_SLOT *p11_slots;
static unsigned int p11_nslots;

static EVP_PKEY *token_key(const char *module, const char *uri, const char *pin, char *err,
			   size_t n)
{
	char token[128] = "", object[128] = "";
	PKCS11_KEY *keys = NULL;
	unsigned int nkeys = 0;
	uri_attr(uri, "token", token, sizeof token);
	uri_attr(uri, "object", object, sizeof object);
	p11_ctx = PKCS11_CTX_new();
	if (p11_ctx == NULL || PKCS11_CTX_load(p11_ctx, module) != 0) {
		snprintf(err, n, "PKCS#11 modülü yüklenemedi: %s", module);
		return NULL;
	}
	if (PKCS11_enumerate_slots(p11_ctx, &p11_slots, &p11_nslots) != 0) {
		snprintf(err, n, "PKCS#11 yuvaları okunamadı.");
		return NULL;
	}
	for (unsigned int i = 0; i < p11_nslots; i++) {
		PKCS11_SLOT *s = &p11_slots[i];
		if (s->token == NULL || !s->token->initialized ||
		    (token[0] && strcmp(s->token->label, token) != 0))
			continue;
		if (PKCS11_open_session(s, 0) != 0 || PKCS11_login(s, 0, pin) != 0) {
			snprintf(err, n, "PKCS#11 oturumu açılamadı (PIN?).");
			return NULL;
		}
		if (PKCS11_enumerate_keys(s->token, &keys, &nkeys) != 0)
			continue;
		for (unsigned int k = 0; k < nkeys; k++) {
			if (object[0] && (keys[k].label == NULL || strcmp(keys[k].label, object)))
				continue;
			EVP_PKEY *pk = PKCS11_get_private_key(&keys[k]);
			if (pk != NULL)
				return pk;
		}
	}
	snprintf(err, n, "PKCS#11 anahtarı bulunamadı: %s", uri);
	return NULL;
}
#endif

EVP_PKEY *pki_load_issuing_key(const char *dir, char *err, size_t n)
{
	const char *module = config_get("ca.pkcs11_module");
	if (module[0] != '\0') {
#ifdef EIMZA_HAVE_P11
		return token_key(module, config_get("ca.pkcs11_uri"), config_get("ca.pkcs11_pin"),
				 err, n);
#else
		snprintf(err, n, "Bu derleme PKCS#11 (libp11) desteklemiyor.");
		return NULL;
#endif
	}
	char p[4096];
	EVP_PKEY *k = NULL;
	if (pki_path(p, sizeof p, dir, "issuing.key") == 0)
		k = pki_load_key(p);
	if (k == NULL)
		snprintf(err, n, "%s/issuing.key okunamadı.", dir);
	return k;
}
