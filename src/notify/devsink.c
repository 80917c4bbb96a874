/* Dev sink: delivery without network for `serve --dev`. The message stays in
 * the outbox table, which /dev/outbox shows; nothing else happens. The body
 * is not logged (it may carry an SMS code). */
#include "notify/notify.h"

#include "util/log.h"

static enum notify_result devsink_send(const struct notify_msg *m, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	log_info("dev sink: %s message %lld to %s delivered to /dev/outbox",
		 notify_channel_name(m->channel), (long long)m->id, m->to);
	return NOTIFY_SENT;
}

const struct notify_driver notify_devsink_driver = {
	.name = "devsink",
	.send = devsink_send,
};
