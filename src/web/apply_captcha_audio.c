/* GET /basvuru/captcha.wav: the CAPTCHA bound to this session (by the last
 * /captcha.png), read out in Turkish (doc/captcha_audio.h). The same answer
 * as the image, never a new one; a few plays per image, never cached. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/captcha.h"
#include "doc/captcha_audio.h"
#include "util/clock.h"
#include "util/seal.h"
#include "web/apply.h"

/* Plays of one CAPTCHA; a new image starts the count again. */
#define AUDIO_PLAYS_MAX 5

/* The session's CAPTCHA text, opened from its sealed copy, if it has one
 * that has not expired: 0, else -1. */
static int current_captcha(req *r, char *text, size_t len)
{
	const char *voice = session_get(r, "captcha_voice");
	const char *exp = session_get(r, "captcha_exp");
	long long until = 0;
	if (voice == NULL || exp == NULL || sscanf(exp, "%lld", &until) != 1 ||
	    clock_now() > until || !seal_is_sealed(voice))
		return -1;
	return seal_open(SECRET_CAPTCHA, voice, text, len) == 0 ? 0 : -1;
}

/* Counts this play; 0 if another is allowed for this image. */
static int count_play(req *r)
{
	const char *plays = session_get(r, "captcha_audio");
	long n = plays ? strtol(plays, NULL, 10) : 0;
	if (n >= AUDIO_PLAYS_MAX)
		return -1;
	session_set(r, "captcha_audio", arena_printf(req_arena(r), "%ld", n + 1));
	return 0;
}

void apply_captcha_wav(req *r)
{
	char text[CAPTCHA_LEN + 8];
	if (current_captcha(r, text, sizeof text) != 0) {
		reply_error(r, 404,
			    "Bu oturuma bağlı geçerli bir doğrulama resmi yok. Giriş sayfasını "
			    "yenileyin.");
		return;
	}
	if (count_play(r) != 0) {
		reply_error(r, 429,
			    "Bu doğrulama resmi için sesli okuma hakkınız doldu. \"Yeni resim\" "
			    "ile yeni bir resim isteyin.");
		return;
	}
	buf wav;
	buf_init(&wav, CAPTCHA_AUDIO_MAX);
	int rc = captcha_audio_wav(text, &wav);
	sodium_memzero(text, sizeof text);
	if (rc != 0) {
		buf_free(&wav);
		if (rc > 0)
			reply_header(r, "Retry-After", "5");
		reply_error(r, 503,
			    "Sesli doğrulama şu anda hazırlanamadı. Lütfen biraz sonra tekrar "
			    "deneyin.");
		return;
	}
	void *copy = arena_alloc(req_arena(r), wav.len);
	if (copy == NULL) {
		buf_free(&wav);
		reply_error(r, 500, "Sesli doğrulama hazırlanamadı.");
		return;
	}
	memcpy(copy, wav.data, wav.len);
	size_t len = wav.len;
	buf_free(&wav);
	reply_header(r, "Cache-Control", "no-store");
	reply_bytes(r, 200, "audio/wav", copy, len);
}
