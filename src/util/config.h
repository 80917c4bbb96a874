/* Configuration: an INI file (`--config FILE`) over documented defaults,
 * with command-line flags on top. Keys are "section.name". Every key that
 * eimza reads is listed, with its default and meaning, in config.c's table
 * (and docs/CONFIG.md); an unknown key in a file is an error naming its line,
 * so a typo never silently falls back to a default. */
#ifndef EIMZA_CONFIG_H
#define EIMZA_CONFIG_H

#include <stddef.h>
#include <stdint.h>

/* Loads FILE; on error writes "FILE:LINE: message" into err and returns -1. */
int config_load(const char *path, char *err, size_t errlen);
/* Sets a key (a command-line flag overriding the file). -1: unknown key. */
int config_set(const char *key, const char *value);
/* The current value (file, flag or default). Unknown keys abort in debug
 * builds and return "" otherwise. The string stays valid until the key is
 * set again. */
const char *config_get(const char *key);
int64_t config_get_int(const char *key);
/* Writes every key with its current value and description (for --help). */
void config_print(void *FILE_stream);

#endif
