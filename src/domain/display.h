/* How the staff console shows stored values (issue 11): dates as
 * GG.AA.YYYY, phone numbers grouped as people write them, and the audit's
 * actor names without their internal prefixes. Pure, no allocation. */
#ifndef EIMZA_DOMAIN_DISPLAY_H
#define EIMZA_DOMAIN_DISPLAY_H

#include <stddef.h>

/* "5321112233", "05321112233", "+90 532 111 22 33" ... -> "0532 111 22 33".
 * Anything that is not a 10-digit Turkish number (after an optional +90 /
 * 90 / 0) is copied unchanged, cut to fit. out: at least 16 bytes. */
void display_phone(const char *in, char *out, size_t outlen);

/* "1985-04-12" -> "12.04.1985"; anything else is copied unchanged, cut to
 * fit. out: at least 11 bytes. */
void display_date(const char *in, char *out, size_t outlen);

/* The actor of a history or audit record as a person reads it:
 *   "yetkili:ali"       -> "ali (Kurum Yetkilisi)"
 *   "operator:ali"      -> "ali (SM Operatörü)"
 *   "admin:ali"         -> "ali (Yönetici)"
 *   "basvuru:1234..."   -> "Başvuru sahibi (1234...)"
 *   "bireysel:1234..."  -> "Sertifika sahibi (1234...)"
 *   "cli:root"          -> "Komut satırı (root)"
 *   "kurye:api"         -> "Kurye servisi"
 *   "sistem:ca-cli"     -> "Sistem"
 * "basvuru:giris", "bireysel:giris", "konsol:giris" (sign-in attempts) are
 * "Başvuru girişi", "NES Bireysel girişi", "Konsol girişi". An unknown
 * prefix or no prefix is copied unchanged. Cut to fit outlen. */
void display_actor(const char *actor, char *out, size_t outlen);

#endif
