/* The guide: "Ön başvuru onayınız sonrasında ... resmi kurum e-posta
 * adreslerine işleme alınıp alınmadığıyla ilgili bilgilendirme e-postası
 * gönderilecektir." After each authority decision the institution's
 * official address (institutions.resmi_eposta) is told which staff member's
 * application was decided, how, and by whom. */
#ifndef EIMZA_APP_INSTITUTION_NOTICE_H
#define EIMZA_APP_INSTITUTION_NOTICE_H

#include "app/app.h"

enum institution_decision { INSTITUTION_APPROVED, INSTITUTION_REJECTED };

/* Inside the decision's transaction: queues "institution_decision" to the
 * official address of app's institution, naming the staff member (name,
 * title, T.C. Kimlik No masked to its last 4 digits), the application
 * number, the decision, the reason of a rejection (else NULL) and the
 * deciding staff member (c->actor_label). UC_OK also when the institution
 * has no address (logged); UC_ERROR on a failure. */
enum uc_rc institution_notify_decision(struct uc_ctx *c, const struct application *app,
				       enum institution_decision d, const char *reason);

#endif
