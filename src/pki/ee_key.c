/* End-entity key rules from configuration (see ee_key.h). */
#include "pki/ee_key.h"
#include "pki/internal.h"

#include <stdio.h>
#include <string.h>

#include "util/config.h"

static const char *const kinds[] = {"rsa", "p256", "p384"};

const char *pki_ee_key_kind(EVP_PKEY *k)
{
	char g[64] = "";
	size_t gl = 0;
	if (EVP_PKEY_is_a(k, "RSA"))
		return "rsa";
	if (!EVP_PKEY_is_a(k, "EC") || !EVP_PKEY_get_group_name(k, g, sizeof g, &gl))
		return NULL;
	if (strcmp(g, "prime256v1") == 0)
		return "p256";
	if (strcmp(g, "secp384r1") == 0)
		return "p384";
	return NULL;
}

/* 1 when the comma-separated list names `kind` (blanks around items). */
static int listed(const char *list, const char *kind)
{
	size_t kl = strlen(kind);
	for (const char *p = list; *p != '\0';) {
		p += strspn(p, " ,");
		size_t l = strcspn(p, ", ");
		if (l == kl && strncmp(p, kind, kl) == 0)
			return 1;
		p += l;
	}
	return 0;
}

int pki_ee_key_check(EVP_PKEY *k, char *err, size_t n)
{
	const char *kind = pki_ee_key_kind(k);
	if (pki_key_policy(k, err, n) != 0)
		return -1;
	if (kind == NULL || !listed(config_get("ca.ee_key_types"), kind)) {
		snprintf(err, n, "Bu anahtar türü kabul edilmiyor (kabul edilenler: %s).",
			 config_get("ca.ee_key_types"));
		return -1;
	}
	return 0;
}

int pki_ee_key_types_check(char *err, size_t n)
{
	const char *list = config_get("ca.ee_key_types");
	int any = 0;
	for (const char *p = list; *p != '\0';) {
		p += strspn(p, " ,");
		size_t l = strcspn(p, ", "), i;
		if (l == 0)
			break;
		for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
			if (strlen(kinds[i]) == l && strncmp(p, kinds[i], l) == 0)
				break;
		if (i == sizeof kinds / sizeof kinds[0]) {
			snprintf(err, n,
				 "ca.ee_key_types yalnızca rsa, p256 ve p384 içerebilir: '%.*s' "
				 "bilinmiyor.",
				 (int)l, p);
			return -1;
		}
		any = 1;
		p += l;
	}
	if (!any) {
		snprintf(err, n, "ca.ee_key_types boş olamaz.");
		return -1;
	}
	return 0;
}
