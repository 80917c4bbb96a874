/* Card production on a PKCS#11 token (see card_token.h). */
#include "pki/card_token.h"
#include "pki/cryptoki.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <sodium.h>

#ifdef EIMZA_HAVE_CRYPTOKI

#define PIN_MAX 32

struct card_token {
	struct cryptoki c;
	CK_SLOT_ID slot;
	int has_slot;
	char so_pin[PIN_MAX + 1]; /* the SO PIN in effect once we set one, else "" */
	char key_type[16];
};

/* A blank-padded field of width w into a trimmed C string. */
static void trimmed(char *out, const CK_UTF8CHAR *in, size_t w)
{
	while (w > 0 && (in[w - 1] == ' ' || in[w - 1] == '\0'))
		w--;
	memcpy(out, in, w);
	out[w] = '\0';
}

static int read_info(struct card_token *t, CK_SLOT_ID slot, struct card_token_info *info)
{
	CK_TOKEN_INFO ti;
	if (t->c.f->C_GetTokenInfo(slot, &ti) != CKR_OK)
		return -1;
	trimmed(info->serial, ti.serialNumber, sizeof ti.serialNumber);
	trimmed(info->label, ti.label, sizeof ti.label);
	info->initialized = (ti.flags & CKF_TOKEN_INITIALIZED) != 0;
	return 0;
}

int card_token_open(const char *module, long slot, struct card_token **out,
		    struct card_token_info *info, char *err, size_t n)
{
	CK_SLOT_ID ids[64];
	CK_ULONG count = sizeof ids / sizeof ids[0];
	struct card_token *t = calloc(1, sizeof *t);
	*out = NULL;
	memset(info, 0, sizeof *info);
	if (t == NULL || ck_load(&t->c, module, err, n) != 0)
		goto fail;
	if (t->c.f->C_GetSlotList(CK_TRUE, ids, &count) != CKR_OK) {
		snprintf(err, n, "PKCS#11 yuvaları okunamadı.");
		goto fail;
	}
	for (CK_ULONG i = 0; i < count && !t->has_slot; i++)
		if (slot < 0 || ids[i] == (CK_SLOT_ID)slot) {
			t->slot = ids[i];
			t->has_slot = 1;
		}
	if (!t->has_slot || read_info(t, t->slot, info) != 0) {
		if (slot < 0)
			snprintf(err, n, "Kart bulunamadı: takılı bir kart (jeton) yok.");
		else
			snprintf(err, n, "Kart bulunamadı: %ld numaralı yuvada kart yok.", slot);
		goto fail;
	}
	*out = t;
	return 0;
fail:
	card_token_close(t);
	return -1;
}

/* After C_InitToken the token may sit in another slot (SoftHSM2 moves a
 * fresh token); it is the one with label (or serial, when given). */
static int refind(struct card_token *t, const char *label, const char *serial,
		  struct card_token_info *info)
{
	CK_SLOT_ID ids[64];
	CK_ULONG count = sizeof ids / sizeof ids[0];
	if (read_info(t, t->slot, info) == 0 && info->initialized &&
	    (serial ? strcmp(info->serial, serial) == 0 : strcmp(info->label, label) == 0))
		return 0;
	if (t->c.f->C_GetSlotList(CK_TRUE, ids, &count) != CKR_OK)
		return -1;
	for (CK_ULONG i = 0; i < count; i++)
		if (read_info(t, ids[i], info) == 0 && info->initialized &&
		    (serial ? strcmp(info->serial, serial) == 0
			    : strcmp(info->label, label) == 0)) {
			t->slot = ids[i];
			return 0;
		}
	return -1;
}

static void session_close(struct card_token *t)
{
	if (t->c.open) {
		t->c.f->C_Logout(t->c.s);
		t->c.f->C_CloseSession(t->c.s);
		t->c.open = 0;
	}
}

static int session_open(struct card_token *t, char *err, size_t n)
{
	CK_RV rv = t->c.f->C_OpenSession(t->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL,
					 &t->c.s);
	if (rv != CKR_OK)
		return ck_fail(err, n, "C_OpenSession", rv);
	t->c.open = 1;
	return 0;
}

static CK_RV login(struct card_token *t, CK_USER_TYPE who, const char *pin)
{
	return t->c.f->C_Login(t->c.s, who, (CK_UTF8CHAR_PTR)pin, strlen(pin));
}

int card_token_init(struct card_token *t, const char *old_so_pin, const char *so_pin,
		    const char *user_pin, const char *label, struct card_token_info *info,
		    char *err, size_t n)
{
	CK_UTF8CHAR lab[32];
	const char *init_pin = old_so_pin ? old_so_pin : so_pin;
	CK_RV rv;
	if (strlen(so_pin) > PIN_MAX)
		return -1;
	pad_label(lab, label);
	rv = t->c.f->C_InitToken(t->slot, (CK_UTF8CHAR_PTR)init_pin, strlen(init_pin), lab);
	if (rv != CKR_OK)
		return ck_fail(err, n, "C_InitToken", rv);
	snprintf(t->so_pin, sizeof t->so_pin, "%s", init_pin);
	if (refind(t, label, NULL, info) != 0) {
		snprintf(err, n, "PKCS#11: başlatılan kart bulunamadı.");
		return -1;
	}
	if (session_open(t, err, n) != 0)
		return -1;
	if ((rv = login(t, CKU_SO, init_pin)) != CKR_OK)
		return ck_fail(err, n, "C_Login (SO)", rv);
	if (old_so_pin != NULL) {
		rv = t->c.f->C_SetPIN(t->c.s, (CK_UTF8CHAR_PTR)old_so_pin, strlen(old_so_pin),
				      (CK_UTF8CHAR_PTR)so_pin, strlen(so_pin));
		if (rv != CKR_OK)
			return ck_fail(err, n, "C_SetPIN (SO)", rv);
		snprintf(t->so_pin, sizeof t->so_pin, "%s", so_pin);
	}
	rv = t->c.f->C_InitPIN(t->c.s, (CK_UTF8CHAR_PTR)user_pin, strlen(user_pin));
	if (rv == CKR_OK)
		rv = t->c.f->C_Logout(t->c.s);
	if (rv != CKR_OK)
		return ck_fail(err, n, "C_InitPIN", rv);
	if ((rv = login(t, CKU_USER, user_pin)) != CKR_OK)
		return ck_fail(err, n, "C_Login", rv);
	return 0;
}

EVP_PKEY *card_token_generate(struct card_token *t, const char *key_type, char *err, size_t n)
{
	if (strcmp(key_type, "p256") != 0 && strcmp(key_type, "rsa2048") != 0) {
		snprintf(err, n, "Kart anahtar türü geçersiz: %s (p256, rsa2048).", key_type);
		return NULL;
	}
	snprintf(t->key_type, sizeof t->key_type, "%s", key_type);
	return generate_pair(&t->c, key_type, "E-IMZA", CARD_KEY_ID, err, n);
}

/* The generated private key's handle. */
static int private_key(struct card_token *t, CK_OBJECT_HANDLE *out)
{
	CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
	CK_BYTE id = CARD_KEY_ID;
	CK_ATTRIBUTE tpl[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_ID, &id, 1}};
	CK_ULONG found = 0;
	if (t->c.f->C_FindObjectsInit(t->c.s, tpl, 2) != CKR_OK)
		return -1;
	CK_RV rv = t->c.f->C_FindObjects(t->c.s, out, 1, &found);
	t->c.f->C_FindObjectsFinal(t->c.s);
	return rv == CKR_OK && found == 1 ? 0 : -1;
}

/* The signature of tbs by the token's key, in X.509's encoding (RSA
 * PKCS#1 v1.5 or a DER ECDSA-Sig-Value), SHA-256. Caller frees. */
static unsigned char *token_sign(struct card_token *t, const unsigned char *tbs, size_t len,
				 size_t *sig_len, char *err, size_t n)
{
	CK_OBJECT_HANDLE key;
	int ec = strcmp(t->key_type, "p256") == 0;
	CK_MECHANISM mech = {ec ? CKM_ECDSA : CKM_SHA256_RSA_PKCS, NULL, 0};
	unsigned char digest[SHA256_DIGEST_LENGTH], raw[512], *der = NULL;
	const unsigned char *msg = tbs;
	CK_ULONG msg_len = len, raw_len = sizeof raw;
	CK_RV rv;
	if (private_key(t, &key) != 0) {
		snprintf(err, n, "PKCS#11: karttaki anahtar bulunamadı.");
		return NULL;
	}
	if (ec) {
		SHA256(tbs, len, digest);
		msg = digest;
		msg_len = sizeof digest;
	}
	rv = t->c.f->C_SignInit(t->c.s, &mech, key);
	if (rv == CKR_OK)
		rv = t->c.f->C_Sign(t->c.s, (CK_BYTE_PTR)msg, msg_len, raw, &raw_len);
	if (rv != CKR_OK) {
		ck_fail(err, n, "C_Sign", rv);
		return NULL;
	}
	if (!ec) {
		der = malloc(raw_len);
		if (der != NULL)
			memcpy(der, raw, raw_len);
		*sig_len = raw_len;
		return der;
	}
	/* PKCS#11 gives r || s; X.509 wants SEQUENCE { r, s }. */
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(raw, (int)(raw_len / 2), NULL);
	BIGNUM *s = BN_bin2bn(raw + raw_len / 2, (int)(raw_len / 2), NULL);
	int l = -1;
	if (es != NULL && r != NULL && s != NULL && raw_len == 64 && ECDSA_SIG_set0(es, r, s)) {
		r = s = NULL;
		l = i2d_ECDSA_SIG(es, &der);
	}
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(es);
	if (l <= 0) {
		snprintf(err, n, "PKCS#11: ECDSA imzası çözülemedi.");
		return NULL;
	}
	*sig_len = (size_t)l;
	return der;
}

int card_token_csr(struct card_token *t, EVP_PKEY *pub, const char *cn, unsigned char **der,
		   size_t *der_len, char *err, size_t n)
{
	X509_REQ *req = X509_REQ_new();
	X509_NAME *name = X509_NAME_new();
	X509_ALGOR *alg = X509_ALGOR_new();
	ASN1_BIT_STRING *bits = ASN1_BIT_STRING_new();
	unsigned char *tbs = NULL, *sig = NULL, *out = NULL;
	size_t sig_len = 0;
	int ec = strcmp(t->key_type, "p256") == 0, tl, rc = -1;
	*der = NULL;
	if (req == NULL || name == NULL || alg == NULL || bits == NULL ||
	    !X509_REQ_set_version(req, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8, (const unsigned char *)"TR", -1,
					-1, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1,
					-1, 0) ||
	    !X509_REQ_set_subject_name(req, name) || !X509_REQ_set_pubkey(req, pub) ||
	    !X509_ALGOR_set0(alg,
			     OBJ_nid2obj(ec ? NID_ecdsa_with_SHA256 : NID_sha256WithRSAEncryption),
			     ec ? V_ASN1_UNDEF : V_ASN1_NULL, NULL) ||
	    !X509_REQ_set1_signature_algo(req, alg))
		goto out;
	if ((tl = i2d_re_X509_REQ_tbs(req, &tbs)) <= 0 ||
	    (sig = token_sign(t, tbs, (size_t)tl, &sig_len, err, n)) == NULL)
		goto out;
	if (!ASN1_BIT_STRING_set(bits, sig, (int)sig_len))
		goto out;
	bits->flags &= ~(ASN1_STRING_FLAG_BITS_LEFT | 0x07);
	bits->flags |= ASN1_STRING_FLAG_BITS_LEFT;
	X509_REQ_set0_signature(req, bits);
	bits = NULL;
	int l = i2d_X509_REQ(req, &out);
	if (l <= 0 || X509_REQ_verify(req, pub) != 1) {
		snprintf(err, n, "Karttaki anahtarla imzalanan sertifika isteği doğrulanamadı.");
		goto out;
	}
	*der = malloc((size_t)l);
	if (*der == NULL)
		goto out;
	memcpy(*der, out, (size_t)l);
	*der_len = (size_t)l;
	rc = 0;
out:
	if (rc != 0 && err[0] == '\0')
		snprintf(err, n, "Sertifika isteği oluşturulamadı.");
	ERR_clear_error();
	OPENSSL_free(tbs);
	OPENSSL_free(out);
	free(sig);
	ASN1_BIT_STRING_free(bits);
	X509_ALGOR_free(alg);
	X509_NAME_free(name);
	X509_REQ_free(req);
	return rc;
}

/* The DER of part of a certificate (caller frees with OPENSSL_free). */
static int name_der(const X509_NAME *nm, unsigned char **out)
{
	*out = NULL;
	return i2d_X509_NAME(nm, out);
}

int card_token_store_cert(struct card_token *t, const unsigned char *der, size_t len,
			  const char *label, char *err, size_t n)
{
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	unsigned char *subj = NULL, *iss = NULL, *ser = NULL;
	int sl, il, nl, rc = -1;
	if (x == NULL || (sl = name_der(X509_get_subject_name(x), &subj)) <= 0 ||
	    (il = name_der(X509_get_issuer_name(x), &iss)) <= 0 ||
	    (nl = i2d_ASN1_INTEGER(X509_get0_serialNumber(x), &ser)) <= 0) {
		snprintf(err, n, "Sertifika karta yazılmak için okunamadı.");
		goto out;
	}
	CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
	CK_CERTIFICATE_TYPE ct = CKC_X_509;
	CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
	CK_BYTE id = CARD_KEY_ID;
	CK_ATTRIBUTE tpl[] = {
		{CKA_CLASS, &cls, sizeof cls},
		{CKA_CERTIFICATE_TYPE, &ct, sizeof ct},
		{CKA_TOKEN, &yes, sizeof yes},
		{CKA_PRIVATE, &no, sizeof no},
		{CKA_LABEL, (void *)label, strlen(label)},
		{CKA_ID, &id, 1},
		{CKA_SUBJECT, subj, (CK_ULONG)sl},
		{CKA_ISSUER, iss, (CK_ULONG)il},
		{CKA_SERIAL_NUMBER, ser, (CK_ULONG)nl},
		{CKA_VALUE, (void *)der, len},
	};
	CK_OBJECT_HANDLE h;
	CK_RV rv = t->c.f->C_CreateObject(t->c.s, tpl, sizeof tpl / sizeof tpl[0], &h);
	if (rv != CKR_OK) {
		ck_fail(err, n, "C_CreateObject (sertifika)", rv);
		goto out;
	}
	rc = 0;
out:
	ERR_clear_error();
	OPENSSL_free(subj);
	OPENSSL_free(iss);
	OPENSSL_free(ser);
	X509_free(x);
	return rc;
}

int card_token_blank(struct card_token *t, char *so_pin, size_t so_n, char *err, size_t n)
{
	CK_UTF8CHAR lab[32];
	struct card_token_info info;
	if (t->so_pin[0] == '\0') {
		snprintf(err, n, "Kart başlatılmamıştı.");
		return -1;
	}
	session_close(t);
	pad_label(lab, CARD_BLANK_LABEL);
	CK_RV rv = t->c.f->C_InitToken(t->slot, (CK_UTF8CHAR_PTR)t->so_pin, strlen(t->so_pin), lab);
	if (rv != CKR_OK)
		return ck_fail(err, n, "C_InitToken (boşaltma)", rv);
	refind(t, CARD_BLANK_LABEL, NULL, &info);
	snprintf(so_pin, so_n, "%s", t->so_pin);
	return 0;
}

void card_token_close(struct card_token *t)
{
	if (t == NULL)
		return;
	session_close(t);
	ck_unload(&t->c);
	sodium_memzero(t->so_pin, sizeof t->so_pin);
	free(t);
}

#else

struct card_token {
	int unused;
};

int card_token_open(const char *module, long slot, struct card_token **out,
		    struct card_token_info *info, char *err, size_t n)
{
	(void)module, (void)slot, (void)info;
	*out = NULL;
	snprintf(err, n, "Bu derleme PKCS#11 desteklemiyor.");
	return -1;
}

int card_token_init(struct card_token *t, const char *old_so_pin, const char *so_pin,
		    const char *user_pin, const char *label, struct card_token_info *info,
		    char *err, size_t n)
{
	(void)t, (void)old_so_pin, (void)so_pin, (void)user_pin, (void)label, (void)info;
	snprintf(err, n, "Bu derleme PKCS#11 desteklemiyor.");
	return -1;
}

EVP_PKEY *card_token_generate(struct card_token *t, const char *key_type, char *err, size_t n)
{
	(void)t, (void)key_type;
	snprintf(err, n, "Bu derleme PKCS#11 desteklemiyor.");
	return NULL;
}

int card_token_csr(struct card_token *t, EVP_PKEY *pub, const char *cn, unsigned char **der,
		   size_t *der_len, char *err, size_t n)
{
	(void)t, (void)pub, (void)cn, (void)der_len;
	*der = NULL;
	snprintf(err, n, "Bu derleme PKCS#11 desteklemiyor.");
	return -1;
}

int card_token_store_cert(struct card_token *t, const unsigned char *der, size_t len,
			  const char *label, char *err, size_t n)
{
	(void)t, (void)der, (void)len, (void)label;
	snprintf(err, n, "Bu derleme PKCS#11 desteklemiyor.");
	return -1;
}

int card_token_blank(struct card_token *t, char *so_pin, size_t so_n, char *err, size_t n)
{
	(void)t, (void)so_pin, (void)so_n;
	snprintf(err, n, "Bu derleme PKCS#11 desteklemiyor.");
	return -1;
}

void card_token_close(struct card_token *t)
{
	(void)t;
}

#endif
