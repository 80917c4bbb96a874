/* The CAPTCHA's audio alternative: the same characters as the image, read
 * out in Turkish by espeak-ng (Debian package espeak-ng, voice "tr") as a
 * WAV file, for applicants who cannot read the image. */
#ifndef EIMZA_DOC_CAPTCHA_AUDIO_H
#define EIMZA_DOC_CAPTCHA_AUDIO_H

#include <stddef.h>

#include "util/buf.h"

/* Upper bound of one WAV (a few seconds of 22 kHz mono speech is ~300 KB). */
#define CAPTCHA_AUDIO_MAX (2u << 20)

/* Writes what is spoken for `text` (characters of captcha_alphabet) into
 * out: an introduction, each character by its Turkish name separated by
 * commas, then the same once more. Returns 0, or -1 if a character is not
 * in the alphabet or out (outlen bytes) is too small. Pure. */
int captcha_audio_script(const char *text, char *out, size_t outlen);

/* espeak-ng --stdout writes a streaming WAV whose RIFF and data sizes are
 * placeholders; sets both from the real length. Returns 0, or -1 if wav is
 * not a RIFF/WAVE with a data chunk. Pure. */
int captcha_wav_fix_sizes(unsigned char *wav, size_t len);

/* Runs espeak-ng (no shell; the text is one argument) and appends the WAV
 * of `text` to out (caller frees out either way). At most
 * CAPTCHA_AUDIO_PARALLEL runs at once, each bounded to CAPTCHA_AUDIO_MAX
 * bytes and CAPTCHA_AUDIO_SECONDS of time. Returns 0, 1 when too many run
 * already (try later), or -1 on failure (logged). */
#define CAPTCHA_AUDIO_PARALLEL 2
#define CAPTCHA_AUDIO_SECONDS 10
int captcha_audio_wav(const char *text, buf *out);

#endif
