/* What an operator typed into a form of the application page, kept across
 * the redirect after a refused step (web/console.h: console_drafts_keep),
 * so a long CSR or a DYS number is not typed again; the message stands
 * beside the field the rule named. Kept in the session, shown once. */
#include <string.h>

#include "web/console.h"

/* The fields of the operator's forms on the application page (the route
 * limits in web/console_routes.c bound them: the CSR to 16 KB). */
static const char *const draft_fields[] = {"dys_no", "dys_tarihi", "posta_no", "tutar", "makbuz_no",
					   "csr",    "kurye",	   "takip_no", "not"};
#define NDRAFTS (sizeof draft_fields / sizeof draft_fields[0])

static const char *draft_key(req *r, const char *name)
{
	return arena_printf(req_arena(r), "konsol_taslak_%s", name);
}

void console_drafts_keep(req *r, const char *field, const char *message)
{
	for (size_t i = 0; i < NDRAFTS; i++) {
		const char *v = req_field(r, draft_fields[i]);
		if (v != NULL)
			session_set(r, draft_key(r, draft_fields[i]), v);
	}
	if (field != NULL && message != NULL)
		session_set(r, "konsol_taslak_hata",
			    arena_printf(req_arena(r), "%s\n%s", field, message));
	console_flash_error(r, message);
}

void console_drafts_show(req *r, tpl *t)
{
	for (size_t i = 0; i < NDRAFTS; i++) {
		const char *key = draft_key(r, draft_fields[i]);
		const char *v = session_get(r, key);
		if (v == NULL)
			continue;
		tpl_set(t, arena_printf(req_arena(r), "taslak_%s", draft_fields[i]), v);
		session_set(r, key, NULL);
	}
	const char *err = session_get(r, "konsol_taslak_hata");
	if (err == NULL)
		return;
	const char *nl = strchr(err, '\n');
	for (size_t i = 0; nl != NULL && i < NDRAFTS; i++)
		if (strlen(draft_fields[i]) == (size_t)(nl - err) &&
		    strncmp(err, draft_fields[i], (size_t)(nl - err)) == 0)
			tpl_set(t, arena_printf(req_arena(r), "hata_%s", draft_fields[i]), nl + 1);
	session_set(r, "konsol_taslak_hata", NULL);
}
