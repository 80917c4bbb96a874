/* Online CA keys on a PKCS#11 token through libp11 (see keystore.h). The
 * signer opens the token once at start, in its own process, and keeps the
 * module loaded and the session logged in for its whole life: the keys are
 * handles, their private parts never leave the token. */
#include "pki/keystore.h"
#include "pki/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#if defined(__has_include)
#if __has_include(<libp11.h>)
#define EIMZA_HAVE_P11 1
#include <libp11.h>
#endif
#endif

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int pki_p11_uri_attr(const char *uri, const char *attr, char *out, size_t n)
{
	size_t al = strlen(attr), o = 0;
	const char *p = strncmp(uri, "pkcs11:", 7) == 0 ? uri + 7 : uri;
	if (n == 0)
		return -1;
	while (*p) {
		const char *end = strpbrk(p, ";?");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > al && strncmp(p, attr, al) == 0 && p[al] == '=') {
			for (size_t i = al + 1; i < len && o + 1 < n; i++) {
				int hi, lo;
				if (p[i] == '%' && i + 2 < len && (hi = hexval(p[i + 1])) >= 0 &&
				    (lo = hexval(p[i + 2])) >= 0) {
					out[o++] = (char)(hi * 16 + lo);
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
	out[0] = '\0';
	return -1;
}

#ifdef EIMZA_HAVE_P11

static PKCS11_CTX *p11_ctx;
static PKCS11_SLOT *p11_slots, *p11_slot;
static unsigned int p11_nslots;

void pki_token_close(void)
{
	if (p11_ctx == NULL)
		return;
	if (p11_slots != NULL)
		PKCS11_release_all_slots(p11_ctx, p11_slots, p11_nslots);
	PKCS11_CTX_unload(p11_ctx);
	PKCS11_CTX_free(p11_ctx);
	p11_ctx = NULL;
	p11_slots = p11_slot = NULL;
	p11_nslots = 0;
}

int pki_token_open(const char *module, const char *label, const char *pin, char *err, size_t n)
{
	pki_token_close();
	p11_ctx = PKCS11_CTX_new();
	if (p11_ctx == NULL || PKCS11_CTX_load(p11_ctx, module) != 0) {
		snprintf(err, n, "PKCS#11 modülü yüklenemedi: %s", module);
		goto fail;
	}
	if (PKCS11_enumerate_slots(p11_ctx, &p11_slots, &p11_nslots) != 0) {
		snprintf(err, n, "PKCS#11 yuvaları okunamadı.");
		goto fail;
	}
	for (unsigned int i = 0; i < p11_nslots; i++) {
		PKCS11_SLOT *s = &p11_slots[i];
		if (s->token == NULL || !s->token->initialized ||
		    (label[0] != '\0' && strcmp(s->token->label, label) != 0))
			continue;
		if (PKCS11_open_session(s, 0) != 0 || PKCS11_login(s, 0, pin) != 0) {
			snprintf(err, n, "PKCS#11 oturumu açılamadı (PIN yanlış mı?): %s",
				 s->token->label);
			goto fail;
		}
		p11_slot = s;
		return 0;
	}
	snprintf(err, n, "PKCS#11 jetonu bulunamadı: %s", label[0] ? label : "(herhangi)");
fail:
	pki_token_close();
	return -1;
}

EVP_PKEY *pki_token_key(const char *object, char *err, size_t n)
{
	PKCS11_KEY *keys = NULL;
	unsigned int nkeys = 0;
	if (p11_slot == NULL || PKCS11_enumerate_keys(p11_slot->token, &keys, &nkeys) != 0) {
		snprintf(err, n, "PKCS#11 anahtarları okunamadı.");
		return NULL;
	}
	for (unsigned int k = 0; k < nkeys; k++) {
		if (!keys[k].isPrivate ||
		    (object[0] && (keys[k].label == NULL || strcmp(keys[k].label, object) != 0)))
			continue;
		EVP_PKEY *pk = PKCS11_get_private_key(&keys[k]);
		if (pk != NULL)
			return pk;
	}
	snprintf(err, n, "PKCS#11 anahtarı bulunamadı: %s", object[0] ? object : "(herhangi)");
	return NULL;
}

#else

void pki_token_close(void)
{
}

int pki_token_open(const char *module, const char *label, const char *pin, char *err, size_t n)
{
	(void)module, (void)label, (void)pin;
	snprintf(err, n, "Bu derleme PKCS#11 (libp11) desteklemiyor.");
	return -1;
}

EVP_PKEY *pki_token_key(const char *object, char *err, size_t n)
{
	(void)object;
	snprintf(err, n, "Bu derleme PKCS#11 (libp11) desteklemiyor.");
	return NULL;
}

#endif
