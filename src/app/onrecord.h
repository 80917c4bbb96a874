/* Security notices to the contacts on record of a T.C. Kimlik No: the
 * e-mail address and the mobile number of the holder record (the newest
 * application that became a certificate, store/holder.h; NES Bireysel's
 * "İletişim Bilgilerim" keeps them up to date).
 *
 * Every hold, release and revocation of a certificate and every new
 * application on the number goes to both, whatever Bilgi Kanalı says: the
 * notice is how the holder learns that someone else acts in their name, and
 * it says how to undo a hold (NES Bireysel, /bireysel). Call inside the
 * transaction of the change, like every outbox notice. */
#ifndef EIMZA_APP_ONRECORD_H
#define EIMZA_APP_ONRECORD_H

#include "app/app.h"

/* Queues templates/msg/<template_name>.txt to the e-mail address and the
 * mobile number of holder (a holder record), with "name" set in vars.
 * 0, or -1 on an enqueue failure (logged by the outbox). */
int onrecord_notify_holder(struct uc_ctx *c, const struct application *holder,
			   const char *template_name, struct notify_vars *vars);

/* The same to the holder record of tckn; 0 without one (nobody on record:
 * a person who never had a certificate here), -1 on an error. */
int onrecord_notify(struct uc_ctx *c, const char *tckn, const char *template_name,
		    struct notify_vars *vars);

#endif
