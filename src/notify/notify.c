#include "notify/notify.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "util/config.h"

const char *const notify_channel_names[NOTIFY_CHANNEL__MAX] = {
	[NOTIFY_EMAIL] = "email",
	[NOTIFY_SMS] = "sms",
};

const char *const notify_result_names[NOTIFY_RESULT__MAX] = {
	[NOTIFY_SENT] = "sent",
	[NOTIFY_TEMPFAIL] = "tempfail",
	[NOTIFY_PERMFAIL] = "permfail",
};

static atomic_int dev_mode;
static const struct notify_driver *_Atomic test_driver;

const char *notify_channel_name(enum notify_channel ch)
{
	if ((unsigned)ch >= NOTIFY_CHANNEL__MAX)
		return "?";
	return notify_channel_names[ch];
}

int notify_channel_parse(const char *s, enum notify_channel *out)
{
	for (int i = 0; s != NULL && i < NOTIFY_CHANNEL__MAX; i++) {
		if (strcmp(s, notify_channel_names[i]) == 0) {
			*out = (enum notify_channel)i;
			return 0;
		}
	}
	return -1;
}

int notify_vars_set(struct notify_vars *vars, const char *key, const char *value)
{
	for (size_t i = 0; i < vars->n; i++) {
		if (strcmp(vars->v[i].key, key) == 0) {
			vars->v[i].value = value;
			return 0;
		}
	}
	if (vars->n >= NOTIFY_VARS_MAX)
		return -1;
	vars->v[vars->n].key = key;
	vars->v[vars->n].value = value;
	vars->n++;
	return 0;
}

const char *notify_vars_get(const struct notify_vars *vars, const char *key)
{
	if (vars == NULL)
		return NULL;
	for (size_t i = 0; i < vars->n && i < NOTIFY_VARS_MAX; i++)
		if (strcmp(vars->v[i].key, key) == 0)
			return vars->v[i].value;
	return NULL;
}

void notify_set_dev(int on)
{
	atomic_store(&dev_mode, on != 0);
}

int notify_is_dev(void)
{
	return atomic_load(&dev_mode);
}

void notify_set_test_driver(const struct notify_driver *d)
{
	atomic_store(&test_driver, d);
}

const struct notify_driver *notify_driver_for(enum notify_channel ch, char *err, size_t errlen)
{
	const struct notify_driver *t = atomic_load(&test_driver);
	if (t != NULL)
		return t;
	if (notify_is_dev())
		return &notify_devsink_driver;
	switch (ch) {
	case NOTIFY_EMAIL:
		if (config_get("smtp.url")[0] != '\0')
			return &notify_smtp_driver;
		snprintf(err, errlen, "SMTP sunucusu yapılandırılmamış (smtp.url)");
		return NULL;
	case NOTIFY_SMS:
		if (config_get("sms.url")[0] != '\0')
			return &notify_sms_driver;
		snprintf(err, errlen, "SMS ağ geçidi yapılandırılmamış (sms.url)");
		return NULL;
	default: snprintf(err, errlen, "bilinmeyen kanal"); return NULL;
	}
}

int notify_sms_number(const char *s, char out[14])
{
	if (s == NULL)
		return -1;
	if (strncmp(s, "+90", 3) == 0)
		s += 3;
	if (strlen(s) != 10 || s[0] != '5')
		return -1;
	for (int i = 0; i < 10; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	memcpy(out, "+90", 3);
	memcpy(out + 3, s, 10);
	out[13] = '\0';
	return 0;
}

int notify_email_valid(const char *s)
{
	if (s == NULL)
		return 0;
	size_t n = strlen(s);
	if (n < 3 || n > 254)
		return 0;
	const char *at = strchr(s, '@');
	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f)
			return 0;
		if (strchr("<>,;:\"\\()[]", *p) != NULL)
			return 0;
	}
	return 1;
}
