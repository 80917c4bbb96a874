/* One table from a use case's result to the HTTP status and the Turkish
 * page, so that no handler writes its own error page for these. */
#include "web/web.h"

#include "util/log.h"

static const struct {
	int status;
	const char *message;
} uc_replies[UC__MAX] = {
	[UC_OK] = {200, NULL},
	[UC_INVALID] = {400, "Girilen bilgiler geçerli değil."},
	[UC_NOT_FOUND] = {404, "Aradığınız kayıt bulunamadı."},
	[UC_FORBIDDEN] = {403, "Bu işlem için yetkiniz yok."},
	[UC_CONFLICT] = {409, "Kaydın durumu bu işleme uygun değil; sayfayı yenileyin."},
	[UC_LIMITED] = {429, "Çok fazla deneme yapıldı. Lütfen biraz sonra tekrar deneyin."},
	[UC_UNAVAILABLE] = {503, "Veritabanına şu anda ulaşılamıyor. Lütfen biraz sonra tekrar "
				 "deneyin."},
	[UC_ERROR] = {500, "İşlem tamamlanamadı. Lütfen tekrar deneyin."},
};

int web_uc_status(enum uc_rc rc)
{
	return (unsigned)rc < UC__MAX ? uc_replies[rc].status : 500;
}

void web_reply_uc(req *r, const struct uc_ctx *c, enum uc_rc rc)
{
	if (rc == UC_OK)
		return;
	if ((unsigned)rc >= UC__MAX)
		rc = UC_ERROR;
	const char *msg = c != NULL && c->message != NULL && rc != UC_ERROR && rc != UC_UNAVAILABLE
				  ? c->message
				  : uc_replies[rc].message;
	reply_error(r, uc_replies[rc].status, msg);
}

db *web_uc_ctx(req *r, struct uc_ctx *c, const char *actor, const char *actor_label)
{
	db *d = db_thread();
	uc_ctx_init(c, d, req_arena(r), actor, actor_label, req_client_ip(r));
	return d;
}

db *web_db_or_reply(req *r)
{
	db *d = db_thread();
	if (d == NULL)
		web_reply_uc(r, NULL, UC_UNAVAILABLE);
	return d;
}
