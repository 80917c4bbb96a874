#include "util/secret.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/config.h"
#include "util/log.h"

static pthread_mutex_t secret_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char master[crypto_kdf_KEYBYTES];
static int loaded;

static int read_full(int fd, unsigned char *p, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

static int create_secret(const char *path)
{
	unsigned char key[crypto_kdf_KEYBYTES];
	crypto_kdf_keygen(key);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	ssize_t w = write(fd, key, sizeof key);
	int rc = (w == (ssize_t)sizeof key && fsync(fd) == 0) ? 0 : -1;
	close(fd);
	sodium_memzero(key, sizeof key);
	return rc;
}

static int load_locked(const char *path)
{
	if (loaded)
		return 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		if (create_secret(path) != 0 && errno != EEXIST) {
			log_error("secret: cannot create %s: %s", path, strerror(errno));
			return -1;
		}
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0) {
		log_error("secret: cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	int rc = read_full(fd, master, sizeof master);
	close(fd);
	if (rc != 0) {
		log_error("secret: %s is shorter than %zu bytes", path, sizeof master);
		return -1;
	}
	loaded = 1;
	return 0;
}

int secret_init(const char *path)
{
	pthread_mutex_lock(&secret_lock);
	int rc = load_locked(path);
	pthread_mutex_unlock(&secret_lock);
	return rc;
}

int secret_subkey(enum secret_purpose purpose, unsigned char out[32])
{
	if (!loaded && secret_init(config_get("server.secret_file")) != 0)
		return -1;
	return crypto_kdf_derive_from_key(out, 32, (uint64_t)purpose, "eimza___", master);
}

int secret_keyed_hash_hex(enum secret_purpose purpose, const void *data, size_t len, char out[65])
{
	unsigned char key[32], h[32];
	if (secret_subkey(purpose, key) != 0)
		return -1;
	crypto_generichash(h, sizeof h, data, len, key, sizeof key);
	sodium_bin2hex(out, 65, h, sizeof h);
	sodium_memzero(key, sizeof key);
	return 0;
}
