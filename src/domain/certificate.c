/* A certificate's status and the holder's actions (see certificate.h). */
#include "domain/certificate.h"

#include <string.h>

const char *const cert_status_names[CERT_STATUS__MAX] = {
	[CERT_GOOD] = "good", [CERT_REVOKED] = "revoked", [CERT_HOLD] = "hold"};

const char *cert_status_name(enum cert_status s)
{
	return (unsigned)s < CERT_STATUS__MAX ? cert_status_names[s] : "?";
}

int cert_status_parse(const char *name)
{
	for (int i = 0; name != NULL && i < CERT_STATUS__MAX; i++)
		if (strcmp(name, cert_status_names[i]) == 0)
			return i;
	return -1;
}

/* ---- what the holder sees ---- */

static const struct {
	const char *code, *label;
} views[HCV__MAX] = {
	[HCV_GOOD] = {"gecerli", "Geçerli"},
	[HCV_HOLD] = {"askida", "Askıda"},
	[HCV_REVOKED] = {"iptal", "İptal edildi"},
	[HCV_EXPIRED] = {"suresi_doldu", "Süresi doldu"},
};

const char *holder_cert_view_code(enum holder_cert_view v)
{
	return (unsigned)v < HCV__MAX ? views[v].code : "?";
}

const char *holder_cert_view_label(enum holder_cert_view v)
{
	return (unsigned)v < HCV__MAX ? views[v].label : "?";
}

enum holder_cert_view holder_cert_view_of(enum cert_status st, int64_t not_after, int64_t now)
{
	if (st == CERT_REVOKED || (unsigned)st >= CERT_STATUS__MAX)
		return HCV_REVOKED;
	if (not_after <= now)
		return HCV_EXPIRED;
	return st == CERT_HOLD ? HCV_HOLD : HCV_GOOD;
}

/* ---- what the holder may do ---- */

static const struct {
	const char *name; /* audit action */
	unsigned from;	  /* views it may start from (1u << HCV_...) */
	enum cert_status after;
} actions[HCA__MAX] = {
	[HCA_HOLD] = {"hold", 1u << HCV_GOOD, CERT_HOLD},
	[HCA_RELEASE] = {"release", 1u << HCV_HOLD, CERT_GOOD},
	[HCA_REVOKE] = {"revoke", (1u << HCV_GOOD) | (1u << HCV_HOLD), CERT_REVOKED},
};

const char *holder_cert_action_name(enum holder_cert_action a)
{
	return (unsigned)a < HCA__MAX ? actions[a].name : "?";
}

bool holder_cert_view_allows(enum holder_cert_view v, enum holder_cert_action a)
{
	if ((unsigned)v >= HCV__MAX || (unsigned)a >= HCA__MAX)
		return false;
	return (actions[a].from & (1u << v)) != 0;
}

bool holder_cert_action_allowed(enum cert_status st, enum holder_cert_action a, int64_t not_after,
				int64_t now)
{
	return holder_cert_view_allows(holder_cert_view_of(st, not_after, now), a);
}

enum cert_status holder_cert_action_result(enum holder_cert_action a)
{
	return (unsigned)a < HCA__MAX ? actions[a].after : CERT_STATUS__MAX;
}

/* ---- revocation reasons ---- */

static const struct {
	const char *code, *label;
	int crl_reason; /* RFC 5280 CRLReason */
} reasons[HRR__MAX] = {
	[HRR_ANAHTAR] = {"ANAHTAR", "Anahtar ele geçirildi", 1},
	[HRR_KAYIP_CALINTI] = {"KAYIP_CALINTI", "Kayıp/Çalıntı", 1},
	[HRR_BILGI_DEGISTI] = {"BILGI_DEGISTI", "Bilgiler değişti", 3},
	[HRR_KULLANIM_SONA_ERDI] = {"KULLANIM_SONA_ERDI", "Kullanım sona erdi", 5},
};

const char *holder_revoke_reason_code(enum holder_revoke_reason r)
{
	return (unsigned)r < HRR__MAX ? reasons[r].code : "?";
}

const char *holder_revoke_reason_label(enum holder_revoke_reason r)
{
	return (unsigned)r < HRR__MAX ? reasons[r].label : "?";
}

int holder_revoke_reason_parse(const char *code)
{
	for (int i = 0; code != NULL && i < HRR__MAX; i++)
		if (strcmp(code, reasons[i].code) == 0)
			return i;
	return -1;
}

int holder_revoke_reason_crl(enum holder_revoke_reason r)
{
	return (unsigned)r < HRR__MAX ? reasons[r].crl_reason : -1;
}

const char *cert_reason_label_tr(int reason)
{
	switch (reason) {
	case 1: return "Anahtar ele geçirildi / Kayıp-Çalıntı";
	case 2: return "Sertifika Hizmet Sağlayıcının anahtarı ele geçirildi";
	case 3: return "Bilgiler değişti";
	case 4: return "Yerine yenisi verildi";
	case 5: return "Kullanım sona erdi";
	case 6: return "Askıya alındı";
	case 9: return "Yetki geri alındı";
	default: return "Belirtilmedi";
	}
}
