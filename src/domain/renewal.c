/* Reasons offered from the certificate history; renewal dates. */
#include "domain/renewal.h"

#define RENEWAL_DAY INT64_C(86400)

static int renewal_is_held(const struct cert_summary *c, int64_t now)
{
	return !c->revoked && now < c->not_after;
}

static int renewal_is_valid(const struct cert_summary *c, int64_t now)
{
	return !c->revoked && c->not_before <= now && now < c->not_after;
}

/* 1 when the certificate with the latest not_after was revoked for
 * keyCompromise while it was still running: its card was lost or stolen,
 * and a replacement is a Kayıp/Çalıntı application (with its fee), not a
 * free renewal. */
static int renewal_lost_before_end(const struct cert_summary *certs, size_t n, int64_t now)
{
	const struct cert_summary *latest = NULL;
	for (size_t i = 0; i < n; i++)
		if (latest == NULL || certs[i].not_after > latest->not_after)
			latest = &certs[i];
	return latest != NULL && latest->key_compromise && now < latest->not_after;
}

unsigned renewal_allowed_reasons(const struct cert_summary *certs, size_t n, int64_t now)
{
	int64_t latest = 0;
	int held = 0;
	size_t i;

	if (certs == NULL || n == 0)
		return 1u << REASON_ILK;
	for (i = 0; i < n; i++) {
		if (!renewal_is_held(&certs[i], now))
			continue;
		if (!held || certs[i].not_after > latest)
			latest = certs[i].not_after;
		held = 1;
	}
	if (!held)
		return renewal_lost_before_end(certs, n, now) ? 1u << REASON_KAYIP_CALINTI
							      : 1u << REASON_YENILEME;
	if (latest - now <= RENEWAL_WINDOW_DAYS * RENEWAL_DAY)
		return (1u << REASON_YENILEME) | (1u << REASON_KAYIP_CALINTI) |
		       (1u << REASON_DIGER);
	return (1u << REASON_KAYIP_CALINTI) | (1u << REASON_DIGER);
}

int renewal_requires_wet_signature(enum app_reason r, const struct cert_summary *certs, size_t n,
				   int64_t now)
{
	size_t i, valid = 0;

	for (i = 0; certs != NULL && i < n; i++)
		valid += (size_t)renewal_is_valid(&certs[i], now);
	switch (r) {
	case REASON_YENILEME:
	case REASON_DIGER: return valid == 0;
	case REASON_KAYIP_CALINTI: return valid < 2;
	default: return 1;
	}
}

int64_t renewal_new_not_before(const struct cert_summary *current, int64_t now)
{
	if (current != NULL && current->not_after > now)
		return current->not_after;
	return now;
}

int renewal_reminder_due(int64_t not_after, int64_t now, int days_before)
{
	if (days_before < 0 || now >= not_after)
		return 0;
	return not_after - now <= (int64_t)days_before * RENEWAL_DAY;
}
