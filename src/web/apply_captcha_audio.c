/* GET /basvuru/captcha.wav: the CAPTCHA bound to this session (by the last
 * /captcha.png), read out in Turkish (doc/captcha_audio.h). The same answer
 * as the image, never a new one; a few plays per image, never cached. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/captcha_audio.h"
#include "util/clock.h"
#include "web/apply.h"

/* Plays of one CAPTCHA; a new image starts the count again. */
#define AUDIO_PLAYS_MAX 5

/* The session's CAPTCHA text if it has one that has not expired. */
static const char *current_captcha(req *r)
{
	const char *text = session_get(r, "captcha");
	const char *exp = session_get(r, "captcha_exp");
	long long until = 0;
	if (text == NULL || exp == NULL || sscanf(exp, "%lld", &until) != 1 || clock_now() > until)
		return NULL;
	return text;
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
	const char *text = current_captcha(r);
	if (text == NULL) {
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
