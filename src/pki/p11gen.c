/* Key pairs generated ON a PKCS#11 token, at `eimza init` (see keystore.h).
 *
 * Raw Cryptoki through the module's C_GetFunctionList: libp11 0.4 (Debian
 * 12) can neither set a new token's user PIN nor generate an EC key. The
 * module is loaded, used and finalised here; the signer later loads the
 * keys through libp11 (token.c). */
#include "pki/keystore.h"
#include "pki/cryptoki.h"
#include "pki/internal.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/param_build.h>

const char *pki_softhsm_module(void)
{
	static const char *const paths[] = {
		"/usr/lib/softhsm/libsofthsm2.so",
		"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
		"/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
		"/usr/lib64/softhsm/libsofthsm2.so",
		"/usr/lib64/pkcs11/libsofthsm2.so",
		"/usr/local/lib/softhsm/libsofthsm2.so",
	};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		if (access(paths[i], R_OK) == 0)
			return paths[i];
	return NULL;
}

#ifdef EIMZA_HAVE_CRYPTOKI

/* DER of the namedCurve OIDs: prime256v1 and secp384r1. */
static const unsigned char oid_p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48,
					 0xce, 0x3d, 0x03, 0x01, 0x07};
static const unsigned char oid_p384[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};

int ck_fail(char *err, size_t n, const char *call, CK_RV rv)
{
	snprintf(err, n, "PKCS#11 %s başarısız (CKR 0x%lx).", call, (unsigned long)rv);
	return -1;
}

int ck_load(struct cryptoki *c, const char *module, char *err, size_t n)
{
	CK_C_GetFunctionList get;
	CK_C_INITIALIZE_ARGS args = {.flags = CKF_OS_LOCKING_OK};
	CK_RV rv;
	c->lib = dlopen(module, RTLD_NOW | RTLD_LOCAL);
	if (c->lib == NULL) {
		snprintf(err, n, "PKCS#11 modülü yüklenemedi: %s", module);
		return -1;
	}
	*(void **)&get = dlsym(c->lib, "C_GetFunctionList");
	if (get == NULL || get(&c->f) != CKR_OK || c->f == NULL) {
		snprintf(err, n, "PKCS#11 modülü geçersiz: %s", module);
		return -1;
	}
	rv = c->f->C_Initialize(&args);
	if (rv != CKR_OK)
		return ck_fail(err, n, "C_Initialize", rv);
	c->initialized = 1;
	return 0;
}

void ck_unload(struct cryptoki *c)
{
	if (c->open) {
		c->f->C_Logout(c->s);
		c->f->C_CloseSession(c->s);
	}
	if (c->initialized)
		c->f->C_Finalize(NULL);
	if (c->lib != NULL)
		dlclose(c->lib);
	memset(c, 0, sizeof *c);
}

/* A blank-padded 32-byte token label. */
void pad_label(CK_UTF8CHAR out[32], const char *label)
{
	size_t l = strlen(label);
	memset(out, ' ', 32);
	memcpy(out, label, l < 32 ? l : 32);
}

/* The slot of the token labelled `label`, or (want_free) of the first
 * token not yet initialised. 0 or -1. */
static int find_slot(struct cryptoki *c, const char *label, int want_free, CK_SLOT_ID *out)
{
	CK_SLOT_ID ids[64];
	CK_ULONG count = sizeof ids / sizeof ids[0];
	CK_UTF8CHAR want[32];
	pad_label(want, label);
	if (c->f->C_GetSlotList(CK_TRUE, ids, &count) != CKR_OK)
		return -1;
	for (CK_ULONG i = 0; i < count; i++) {
		CK_TOKEN_INFO ti;
		if (c->f->C_GetTokenInfo(ids[i], &ti) != CKR_OK)
			continue;
		int inited = (ti.flags & CKF_TOKEN_INITIALIZED) != 0;
		if ((want_free && !inited) ||
		    (!want_free && inited && (label[0] == '\0' || !memcmp(ti.label, want, 32)))) {
			*out = ids[i];
			return 0;
		}
	}
	return -1;
}

/* Initialises a free token with the SO PIN and sets its user PIN; leaves a
 * read-write session logged in as the user. */
static int init_token(struct cryptoki *c, const struct p11gen *g, char *err, size_t n)
{
	CK_SLOT_ID slot;
	CK_UTF8CHAR label[32];
	CK_RV rv;
	if (find_slot(c, "", 1, &slot) != 0) {
		snprintf(err, n, "PKCS#11: boş jeton yuvası yok.");
		return -1;
	}
	pad_label(label, g->token_label);
	rv = c->f->C_InitToken(slot, (CK_UTF8CHAR_PTR)g->so_pin, strlen(g->so_pin), label);
	if (rv != CKR_OK)
		return ck_fail(err, n, "C_InitToken", rv);
	/* SoftHSM2 gives an initialised token a new slot id: look again. */
	if (find_slot(c, g->token_label, 0, &slot) != 0) {
		snprintf(err, n, "PKCS#11: yeni jeton bulunamadı.");
		return -1;
	}
	rv = c->f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &c->s);
	if (rv != CKR_OK)
		return ck_fail(err, n, "C_OpenSession", rv);
	c->open = 1;
	rv = c->f->C_Login(c->s, CKU_SO, (CK_UTF8CHAR_PTR)g->so_pin, strlen(g->so_pin));
	if (rv == CKR_OK)
		rv = c->f->C_InitPIN(c->s, (CK_UTF8CHAR_PTR)g->pin, strlen(g->pin));
	if (rv == CKR_OK)
		rv = c->f->C_Logout(c->s);
	if (rv != CKR_OK)
		return ck_fail(err, n, "C_InitPIN", rv);
	rv = c->f->C_Login(c->s, CKU_USER, (CK_UTF8CHAR_PTR)g->pin, strlen(g->pin));
	return rv == CKR_OK ? 0 : ck_fail(err, n, "C_Login", rv);
}

/* A read-write user session on an existing token (a real HSM). */
static int use_token(struct cryptoki *c, const struct p11gen *g, char *err, size_t n)
{
	CK_SLOT_ID slot;
	CK_RV rv;
	if (find_slot(c, g->token_label, 0, &slot) != 0) {
		snprintf(err, n, "PKCS#11 jetonu bulunamadı: %s", g->token_label);
		return -1;
	}
	rv = c->f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &c->s);
	if (rv != CKR_OK)
		return ck_fail(err, n, "C_OpenSession", rv);
	c->open = 1;
	rv = c->f->C_Login(c->s, CKU_USER, (CK_UTF8CHAR_PTR)g->pin, strlen(g->pin));
	if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) {
		snprintf(err, n, "PKCS#11 oturumu açılamadı (PIN?).");
		return -1;
	}
	return 0;
}

/* One attribute of an object into a new buffer (caller frees). */
unsigned char *get_attr(struct cryptoki *c, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type, size_t *len)
{
	CK_ATTRIBUTE a = {.type = type};
	unsigned char *v = NULL;
	if (c->f->C_GetAttributeValue(c->s, o, &a, 1) != CKR_OK || a.ulValueLen == (CK_ULONG)-1 ||
	    a.ulValueLen == 0 || a.ulValueLen > 4096)
		return NULL;
	v = malloc(a.ulValueLen);
	a.pValue = v;
	if (v == NULL || c->f->C_GetAttributeValue(c->s, o, &a, 1) != CKR_OK) {
		free(v);
		return NULL;
	}
	*len = a.ulValueLen;
	return v;
}

static EVP_PKEY *pkey_from_params(const char *type, OSSL_PARAM_BLD *b)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(b);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	EVP_PKEY *k = NULL;
	if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params) != 1)
		k = NULL;
	OSSL_PARAM_free(params);
	EVP_PKEY_CTX_free(ctx);
	return k;
}

/* The public key of a generated pair as an EVP_PKEY. */
EVP_PKEY *ck_public_key(struct cryptoki *c, CK_OBJECT_HANDLE pub, const char *key_type)
{
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	EVP_PKEY *k = NULL;
	unsigned char *v1 = NULL, *v2 = NULL;
	size_t l1 = 0, l2 = 0;
	BIGNUM *bn_n = NULL, *bn_e = NULL;
	ASN1_OCTET_STRING *os = NULL;
	if (b == NULL)
		goto out;
	if (key_type[0] == 'r') {
		v1 = get_attr(c, pub, CKA_MODULUS, &l1);
		v2 = get_attr(c, pub, CKA_PUBLIC_EXPONENT, &l2);
		if (v1 == NULL || v2 == NULL || !(bn_n = BN_bin2bn(v1, (int)l1, NULL)) ||
		    !(bn_e = BN_bin2bn(v2, (int)l2, NULL)) ||
		    !OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, bn_n) ||
		    !OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, bn_e))
			goto out;
		k = pkey_from_params("RSA", b);
		goto out;
	}
	/* CKA_EC_POINT is the DER OCTET STRING of the point (PKCS#11 2.40). */
	v1 = get_attr(c, pub, CKA_EC_POINT, &l1);
	const unsigned char *p = v1;
	if (v1 == NULL || (os = d2i_ASN1_OCTET_STRING(NULL, &p, (long)l1)) == NULL || p != v1 + l1)
		goto out;
	if (!OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME,
					     strcmp(key_type, "p256") == 0 ? "P-256" : "P-384",
					     0) ||
	    !OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, ASN1_STRING_get0_data(os),
					      (size_t)ASN1_STRING_length(os)))
		goto out;
	k = pkey_from_params("EC", b);
out:
	OSSL_PARAM_BLD_free(b);
	BN_free(bn_n);
	BN_free(bn_e);
	ASN1_OCTET_STRING_free(os);
	free(v1);
	free(v2);
	return k;
}

/* C_GenerateKeyPair for one key of key_type; returns its public key. */
EVP_PKEY *generate_pair(struct cryptoki *c, const char *key_type, const char *label,
			unsigned char id, char *err, size_t n)
{
	CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
	CK_ULONG bits = strcmp(key_type, "rsa4096") == 0   ? 4096
			: strcmp(key_type, "rsa2048") == 0 ? 2048
							   : 3072;
	CK_BYTE exponent[] = {0x01, 0x00, 0x01};
	CK_MECHANISM mech = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
	CK_OBJECT_HANDLE pub, priv;
	CK_ULONG lab = strlen(label);
	CK_ATTRIBUTE pubt[8] = {
		{CKA_TOKEN, &yes, sizeof yes},	 {CKA_VERIFY, &yes, sizeof yes},
		{CKA_ENCRYPT, &no, sizeof no},	 {CKA_WRAP, &no, sizeof no},
		{CKA_LABEL, (void *)label, lab}, {CKA_ID, &id, 1},
	};
	CK_ULONG npub = 6;
	CK_ATTRIBUTE privt[] = {
		{CKA_TOKEN, &yes, sizeof yes},
		{CKA_PRIVATE, &yes, sizeof yes},
		{CKA_SENSITIVE, &yes, sizeof yes},
		{CKA_EXTRACTABLE, &no, sizeof no},
		{CKA_SIGN, &yes, sizeof yes},
		{CKA_DECRYPT, &no, sizeof no},
		{CKA_UNWRAP, &no, sizeof no},
		{CKA_LABEL, (void *)label, lab},
		{CKA_ID, &id, 1},
	};
	if (strcmp(key_type, "p256") == 0) {
		pubt[npub++] = (CK_ATTRIBUTE){CKA_EC_PARAMS, (void *)oid_p256, sizeof oid_p256};
	} else if (strcmp(key_type, "p384") == 0) {
		pubt[npub++] = (CK_ATTRIBUTE){CKA_EC_PARAMS, (void *)oid_p384, sizeof oid_p384};
	} else if (strcmp(key_type, "rsa2048") == 0 || strcmp(key_type, "rsa3072") == 0 ||
		   strcmp(key_type, "rsa4096") == 0) {
		mech.mechanism = CKM_RSA_PKCS_KEY_PAIR_GEN;
		pubt[npub++] = (CK_ATTRIBUTE){CKA_MODULUS_BITS, &bits, sizeof bits};
		pubt[npub++] = (CK_ATTRIBUTE){CKA_PUBLIC_EXPONENT, exponent, sizeof exponent};
	} else {
		snprintf(err, n, "Anahtar türü geçersiz: %s (" PKI_KEY_TYPES ").", key_type);
		return NULL;
	}
	CK_RV rv = c->f->C_GenerateKeyPair(c->s, &mech, pubt, npub, privt,
					   sizeof privt / sizeof privt[0], &pub, &priv);
	if (rv != CKR_OK) {
		ck_fail(err, n, "C_GenerateKeyPair", rv);
		return NULL;
	}
	EVP_PKEY *k = ck_public_key(c, pub, key_type);
	if (k == NULL)
		snprintf(err, n, "PKCS#11: üretilen açık anahtar okunamadı (%s).", label);
	return k;
}

int pki_p11_generate(const struct p11gen *g, const char *const labels[], EVP_PKEY *pubs[],
		     size_t count, char *err, size_t n)
{
	struct cryptoki c = {0};
	int rc = -1;
	size_t i = 0;
	if (ck_load(&c, g->module, err, n) != 0)
		goto out;
	if ((g->so_pin ? init_token(&c, g, err, n) : use_token(&c, g, err, n)) != 0)
		goto out;
	for (i = 0; i < count; i++)
		if ((pubs[i] = generate_pair(&c, g->key_type, labels[i], (unsigned char)(i + 1),
					     err, n)) == NULL)
			goto out;
	rc = 0;
out:
	if (rc != 0)
		while (i-- > 0) {
			EVP_PKEY_free(pubs[i]);
			pubs[i] = NULL;
		}
	ck_unload(&c);
	return rc;
}

#else

int pki_p11_generate(const struct p11gen *g, const char *const labels[], EVP_PKEY *pubs[],
		     size_t count, char *err, size_t n)
{
	(void)g, (void)labels, (void)pubs, (void)count;
	snprintf(err, n,
		 "Bu derleme PKCS#11 anahtar üretimini desteklemiyor "
		 "(--key-storage file kullanın).");
	return -1;
}

#endif
