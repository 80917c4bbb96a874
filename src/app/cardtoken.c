/* The holder's card through PKCS#11 (cardtoken.h). */
#include "app/cardtoken.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <p11-kit/pkcs11.h>

struct cardtoken {
	void *lib;
	CK_FUNCTION_LIST_PTR f;
	CK_SLOT_ID slot;
	int initialized;
	char serial[17];
};

static int ck_fail(char *err, size_t n, const char *call, CK_RV rv)
{
	if (rv == CKR_PIN_INCORRECT)
		snprintf(err, n, "PIN yanlış.");
	else if (rv == CKR_PIN_LOCKED)
		snprintf(err, n,
			 "Kart kilitli (PIN art arda 3 kez yanlış girildi). "
			 "Kilit Çözme için: eimza card unblock");
	else if (rv == CKR_TOKEN_NOT_PRESENT || rv == CKR_DEVICE_REMOVED)
		snprintf(err, n, "Kart takılı değil.");
	else
		snprintf(err, n, "PKCS#11 %s başarısız (CKR 0x%lx).", call, (unsigned long)rv);
	return -1;
}

void cardtoken_close(struct cardtoken *t)
{
	if (t == NULL)
		return;
	if (t->initialized)
		t->f->C_Finalize(NULL);
	if (t->lib != NULL)
		dlclose(t->lib);
	free(t);
}

/* The slot to use: the given id if it has a token, else the only one. */
static int pick_slot(struct cardtoken *t, long want, char *err, size_t n)
{
	CK_SLOT_ID ids[64];
	CK_ULONG count = sizeof ids / sizeof ids[0];
	CK_RV rv = t->f->C_GetSlotList(CK_TRUE, ids, &count);
	if (rv != CKR_OK)
		return ck_fail(err, n, "C_GetSlotList", rv);
	if (want >= 0) {
		for (CK_ULONG i = 0; i < count; i++)
			if (ids[i] == (CK_SLOT_ID)want) {
				t->slot = ids[i];
				return 0;
			}
		snprintf(err, n, "%ld numaralı yuvada kart yok.", want);
		return -1;
	}
	/* SoftHSM2 also lists an empty, uninitialised token: skip those. */
	int found = 0;
	for (CK_ULONG i = 0; i < count; i++) {
		CK_TOKEN_INFO ti;
		if (t->f->C_GetTokenInfo(ids[i], &ti) != CKR_OK ||
		    !(ti.flags & CKF_TOKEN_INITIALIZED))
			continue;
		t->slot = ids[i];
		found++;
	}
	if (found == 1)
		return 0;
	snprintf(err, n,
		 found == 0 ? "Takılı kart bulunamadı."
			    : "Birden çok kart takılı; --slot ile birini seçin.");
	return -1;
}

struct cardtoken *cardtoken_open(const char *module, long slot, char *err, size_t n)
{
	CK_C_GetFunctionList get;
	CK_C_INITIALIZE_ARGS args = {.flags = CKF_OS_LOCKING_OK};
	CK_TOKEN_INFO ti;
	struct cardtoken *t = calloc(1, sizeof *t);
	if (t == NULL) {
		snprintf(err, n, "Bellek yetersiz.");
		return NULL;
	}
	t->lib = dlopen(module, RTLD_NOW | RTLD_LOCAL);
	if (t->lib == NULL) {
		snprintf(err, n, "PKCS#11 modülü yüklenemedi: %s", module);
		goto fail;
	}
	*(void **)&get = dlsym(t->lib, "C_GetFunctionList");
	if (get == NULL || get(&t->f) != CKR_OK || t->f == NULL) {
		snprintf(err, n, "PKCS#11 modülü geçersiz: %s", module);
		goto fail;
	}
	CK_RV rv = t->f->C_Initialize(&args);
	if (rv != CKR_OK) {
		ck_fail(err, n, "C_Initialize", rv);
		goto fail;
	}
	t->initialized = 1;
	if (pick_slot(t, slot, err, n) != 0)
		goto fail;
	rv = t->f->C_GetTokenInfo(t->slot, &ti);
	if (rv != CKR_OK) {
		ck_fail(err, n, "C_GetTokenInfo", rv);
		goto fail;
	}
	size_t l = sizeof ti.serialNumber;
	while (l > 0 && (ti.serialNumber[l - 1] == ' ' || ti.serialNumber[l - 1] == '\0'))
		l--;
	memcpy(t->serial, ti.serialNumber, l);
	t->serial[l] = '\0';
	return t;
fail:
	cardtoken_close(t);
	return NULL;
}

const char *cardtoken_serial(const struct cardtoken *t)
{
	return t->serial;
}

/* A read-write session logged in as user (CKU_USER or CKU_SO). */
static int login(struct cardtoken *t, CK_USER_TYPE user, const char *pin, CK_SESSION_HANDLE *s,
		 char *err, size_t n)
{
	CK_RV rv = t->f->C_OpenSession(t->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, s);
	if (rv != CKR_OK)
		return ck_fail(err, n, "C_OpenSession", rv);
	rv = t->f->C_Login(*s, user, (CK_UTF8CHAR_PTR)pin, (CK_ULONG)strlen(pin));
	if (rv != CKR_OK) {
		t->f->C_CloseSession(*s);
		return ck_fail(err, n, "C_Login", rv);
	}
	return 0;
}

int cardtoken_set_pin(struct cardtoken *t, const char *old_pin, const char *new_pin, char *err,
		      size_t n)
{
	CK_SESSION_HANDLE s;
	if (login(t, CKU_USER, old_pin, &s, err, n) != 0)
		return -1;
	CK_RV rv = t->f->C_SetPIN(s, (CK_UTF8CHAR_PTR)old_pin, (CK_ULONG)strlen(old_pin),
				  (CK_UTF8CHAR_PTR)new_pin, (CK_ULONG)strlen(new_pin));
	t->f->C_Logout(s);
	t->f->C_CloseSession(s);
	return rv == CKR_OK ? 0 : ck_fail(err, n, "C_SetPIN", rv);
}

int cardtoken_unblock(struct cardtoken *t, const char *so_pin, const char *new_pin, char *err,
		      size_t n)
{
	CK_SESSION_HANDLE s;
	if (login(t, CKU_SO, so_pin, &s, err, n) != 0)
		return -1;
	CK_RV rv = t->f->C_InitPIN(s, (CK_UTF8CHAR_PTR)new_pin, (CK_ULONG)strlen(new_pin));
	t->f->C_Logout(s);
	t->f->C_CloseSession(s);
	return rv == CKR_OK ? 0 : ck_fail(err, n, "C_InitPIN", rv);
}
