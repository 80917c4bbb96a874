/* The CAPTCHA read out in Turkish: a short script of character names,
 * spoken by espeak-ng into a WAV. espeak-ng is started without a shell,
 * with no inherited descriptors but its output pipe, and killed if it runs
 * too long or writes too much. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "doc/captcha_audio.h"
#include "util/log.h"

extern char **environ;

/* Turkish names of the characters of captcha_alphabet (doc/captcha.c). */
static const struct {
	char c;
	const char *name;
} names[] = {
	{'A', "a"},  {'C', "ce"}, {'D', "de"},	 {'E', "e"},	{'F', "fe"},	  {'H', "he"},
	{'J', "je"}, {'K', "ke"}, {'L', "le"},	 {'M', "me"},	{'N', "ne"},	  {'P', "pe"},
	{'R', "re"}, {'T', "te"}, {'U', "u"},	 {'V', "ve"},	{'W', "çift ve"}, {'X', "iks"},
	{'Y', "ye"}, {'3', "üç"}, {'4', "dört"}, {'6', "altı"}, {'7', "yedi"},	  {'9', "dokuz"},
};

static const char *char_name(char c)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].c == c)
			return names[i].name;
	return NULL;
}

/* Appends s at *pos; -1 if it does not fit. */
static int put(char *out, size_t outlen, size_t *pos, const char *s)
{
	size_t n = strlen(s);
	if (*pos + n + 1 > outlen)
		return -1;
	memcpy(out + *pos, s, n + 1);
	*pos += n;
	return 0;
}

int captcha_audio_script(const char *text, char *out, size_t outlen)
{
	static const char *const parts[] = {"Resimdeki yazı: ", ". Tekrar ediyorum: "};
	size_t pos = 0;
	if (text == NULL || text[0] == '\0' || outlen == 0)
		return -1;
	out[0] = '\0';
	for (int round = 0; round < 2; round++) {
		if (put(out, outlen, &pos, parts[round]) != 0)
			return -1;
		for (const char *p = text; *p != '\0'; p++) {
			const char *name = char_name(*p);
			if (name == NULL)
				return -1;
			if ((p != text && put(out, outlen, &pos, ", ") != 0) ||
			    put(out, outlen, &pos, name) != 0)
				return -1;
		}
	}
	return put(out, outlen, &pos, ".");
}

static void le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int captcha_wav_fix_sizes(unsigned char *wav, size_t len)
{
	if (len < 12 || len > UINT32_MAX || memcmp(wav, "RIFF", 4) != 0 ||
	    memcmp(wav + 8, "WAVE", 4) != 0)
		return -1;
	le32(wav + 4, (uint32_t)(len - 8));
	size_t at = 12;
	while (at + 8 <= len) {
		if (memcmp(wav + at, "data", 4) == 0) {
			le32(wav + at + 4, (uint32_t)(len - at - 8));
			return 0;
		}
		uint32_t n = get_le32(wav + at + 4);
		if (n > len - at - 8)
			return -1;
		at += 8 + n + (n & 1);
	}
	return -1;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads the child's output into out until EOF, the size bound or the
 * deadline; 0 at EOF within the bounds, else -1. */
static int read_bounded(int fd, buf *out)
{
	char chunk[16384];
	int64_t deadline = now_ms() + CAPTCHA_AUDIO_SECONDS * 1000;
	for (;;) {
		int64_t left = deadline - now_ms();
		if (left <= 0) {
			log_error("captcha audio: espeak-ng took longer than %d s",
				  CAPTCHA_AUDIO_SECONDS);
			return -1;
		}
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int pr = poll(&p, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue; /* the deadline check above ends it */
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_error("captcha audio: read: %s", strerror(errno));
			return -1;
		}
		if (n == 0)
			return 0;
		if (buf_append(out, chunk, (size_t)n) != 0) {
			log_error("captcha audio: output over %u bytes", CAPTCHA_AUDIO_MAX);
			return -1;
		}
	}
}

/* Starts espeak-ng writing to wfd; its pid, or -1. */
static pid_t spawn_espeak(const char *script, int wfd)
{
	char *argv[] = {"espeak-ng", "-v", "tr",	   "-s", "120",
			"--stdout",  "--", (char *)script, NULL};
	posix_spawn_file_actions_t fa;
	pid_t pid = -1;
	if (posix_spawn_file_actions_init(&fa) != 0)
		return -1;
	int rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (rc == 0)
		rc = posix_spawn_file_actions_adddup2(&fa, wfd, 1);
	if (rc == 0)
		rc = posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (rc == 0) /* nothing of the server (database, sockets) reaches it */
		rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	if (rc == 0)
		rc = posix_spawnp(&pid, "espeak-ng", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		log_error("captcha audio: cannot start espeak-ng: %s", strerror(rc));
		return -1;
	}
	return pid;
}

static atomic_int running;

int captcha_audio_wav(const char *text, buf *out)
{
	char script[512];
	int fds[2] = {-1, -1}, status = 0, rc = -1;
	pid_t pid = -1;
	if (captcha_audio_script(text, script, sizeof script) != 0)
		return -1;
	if (atomic_fetch_add(&running, 1) >= CAPTCHA_AUDIO_PARALLEL) {
		atomic_fetch_sub(&running, 1);
		return 1;
	}
	if (pipe2(fds, O_CLOEXEC) != 0) {
		log_error("captcha audio: pipe: %s", strerror(errno));
		goto out;
	}
	pid = spawn_espeak(script, fds[1]);
	close(fds[1]);
	fds[1] = -1;
	if (pid < 0)
		goto out;
	int read_rc = read_bounded(fds[0], out);
	if (read_rc != 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (read_rc != 0)
		goto out;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		log_error("captcha audio: espeak-ng failed (status %d)", status);
		goto out;
	}
	if (captcha_wav_fix_sizes((unsigned char *)out->data, out->len) != 0) {
		log_error("captcha audio: espeak-ng wrote no WAV (%zu bytes)", out->len);
		goto out;
	}
	rc = 0;
out:
	if (fds[0] >= 0)
		close(fds[0]);
	explicit_bzero(script, sizeof script);
	atomic_fetch_sub(&running, 1);
	return rc;
}
