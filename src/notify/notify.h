/* Notifications: channels, template variables, and the delivery drivers
 * behind the outbox (outbox.h).
 *
 * A driver delivers one message and says whether it was sent, failed for now
 * (the outbox retries with backoff) or failed for good (marked 'failed' at
 * once). The driver for a channel is chosen per message by notify_driver_for():
 * the dev sink in dev mode, SMTP for e-mail, the HTTP SMS gateway for SMS. */
#ifndef EIMZA_NOTIFY_H
#define EIMZA_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

enum notify_channel { NOTIFY_EMAIL, NOTIFY_SMS, NOTIFY_CHANNEL__MAX };

/* "email", "sms": the values stored in outbox.channel. */
extern const char *const notify_channel_names[NOTIFY_CHANNEL__MAX];
/* The stored name of ch ("?" when out of range). */
const char *notify_channel_name(enum notify_channel ch);
/* Parses a stored name; 0 on success, -1 when unknown. */
int notify_channel_parse(const char *s, enum notify_channel *out);

/* Values for {{key}} placeholders of a message template. Neither keys nor
 * values are copied: they must outlive the enqueue call. */
#define NOTIFY_VARS_MAX 16
struct notify_var {
	const char *key;
	const char *value;
};
struct notify_vars {
	struct notify_var v[NOTIFY_VARS_MAX];
	size_t n;
};
/* Sets (or replaces) key; -1 when the table is full. */
int notify_vars_set(struct notify_vars *vars, const char *key, const char *value);
/* The value of key, or NULL. vars may be NULL. */
const char *notify_vars_get(const struct notify_vars *vars, const char *key);

/* Dev mode (`serve --dev`): every message goes to the dev sink, i.e. is
 * marked sent without any network; /dev/outbox shows it. */
void notify_set_dev(int on);
int notify_is_dev(void);

/* One message as a driver sees it. */
struct notify_msg {
	int64_t id;
	enum notify_channel channel;
	const char *to;	     /* e-mail address, or SMS number as +90XXXXXXXXXX */
	const char *subject; /* e-mail subject (UTF-8) */
	const char *body;    /* UTF-8 text, LF line endings */
	const char *ref;     /* e.g. the application number; may be NULL */
};

enum notify_result {
	NOTIFY_SENT,	 /* delivered to the server or gateway */
	NOTIFY_TEMPFAIL, /* try again later */
	NOTIFY_PERMFAIL, /* will never work (bad address, not configured) */
	NOTIFY_RESULT__MAX
};
extern const char *const notify_result_names[NOTIFY_RESULT__MAX];

struct notify_driver {
	const char *name;
	/* Delivers m. On failure writes a one-line reason into err (shown to
	 * staff as last_error). Called from the worker thread. */
	enum notify_result (*send)(const struct notify_msg *m, char *err, size_t errlen);
};

extern const struct notify_driver notify_smtp_driver;
extern const struct notify_driver notify_sms_driver;
extern const struct notify_driver notify_devsink_driver;

/* The driver for ch under the current mode and configuration, or NULL when
 * the channel is not configured outside dev mode (err says so, in Turkish). */
const struct notify_driver *notify_driver_for(enum notify_channel ch, char *err, size_t errlen);

/* Test hook: when set, every message goes to d (NULL restores normal
 * selection). Not for production code. */
void notify_set_test_driver(const struct notify_driver *d);

/* SMS numbers: accepts "5XXXXXXXXX" or "+905XXXXXXXXX" and writes the
 * +90 form into out (at least 14 bytes). -1 when s is neither. */
int notify_sms_number(const char *s, char out[14]);
/* 1 when s is a plausible single e-mail address that is safe in a header:
 * local@domain, printable ASCII, no spaces, CR, LF, <, >, comma, quotes. */
int notify_email_valid(const char *s);

#endif
