// SPDX-License-Identifier: GPL-2.0
/* The per-size anonymous THP controls: one size for a case, then back. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mthp.h"

#define THP_DIR "/sys/kernel/mm/transparent_hugepage"

static void enabled_path(char *buf, size_t len, unsigned long kb)
{
	snprintf(buf, len, THP_DIR "/hugepages-%lukB/enabled", kb);
}

/* The bracketed word of "always inherit [madvise] never". */
static int read_mode(unsigned long kb, char *mode, size_t len)
{
	char path[128], line[128], *open, *close;
	FILE *f;

	enabled_path(path, sizeof(path), kb);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	open = strchr(line, '[');
	close = open ? strchr(open, ']') : NULL;
	if (!close || (size_t)(close - open - 1) >= len)
		return -1;
	memcpy(mode, open + 1, (size_t)(close - open - 1));
	mode[close - open - 1] = 0;
	return 0;
}

static int write_mode(unsigned long kb, const char *mode)
{
	char path[128];
	FILE *f;

	enabled_path(path, sizeof(path), kb);
	f = fopen(path, "w");
	if (!f)
		return -1;
	if (fprintf(f, "%s\n", mode) < 0) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

int gb_mthp_available(unsigned long kb, char *err, size_t errlen)
{
	char mode[16];

	if (!read_mode(kb, mode, sizeof(mode)))
		return 0;
	if (read_mode(2048, mode, sizeof(mode)))
		snprintf(err, errlen,
			 "--mem thp:%luK: this kernel has no per-size THP controls (" THP_DIR "/hugepages-<size>kB, Linux 6.8+); use --mem thp for 2 MiB THP",
			 kb);
	else
		snprintf(err, errlen,
			 "--mem thp:%luK: this kernel offers no %lu kB anonymous THP (no " THP_DIR "/hugepages-%lukB); see the sizes there",
			 kb, kb, kb);
	return -1;
}

/* The sizes this kernel offers, with their modes now. */
static int read_all(struct gb_mthp_saved *s)
{
	struct dirent *d;
	DIR *dir;

	memset(s, 0, sizeof(*s));
	dir = opendir(THP_DIR);
	if (!dir)
		return -1;
	while ((d = readdir(dir)) && s->n < GB_MTHP_MAX) {
		unsigned long kb;
		char tail[4];

		if (sscanf(d->d_name, "hugepages-%lu%3s", &kb, tail) != 2 ||
		    strcmp(tail, "kB"))
			continue;
		if (read_mode(kb, s->mode[s->n], sizeof(s->mode[0])))
			continue;
		s->kb[s->n++] = kb;
	}
	closedir(dir);
	return 0;
}

int gb_mthp_select(unsigned long kb, struct gb_mthp_saved *saved,
		   char *err, size_t errlen)
{
	if (gb_mthp_available(kb, err, errlen))
		return -1;
	if (read_all(saved)) {
		snprintf(err, errlen, "--mem thp:%luK: cannot read " THP_DIR ": %s",
			 kb, strerror(errno));
		return -1;
	}
	for (unsigned int i = 0; i < saved->n; i++) {
		const char *want = saved->kb[i] == kb ? "madvise" : "never";
		char path[128];

		if (!strcmp(saved->mode[i], want) ||
		    (saved->kb[i] == kb && !strcmp(saved->mode[i], "always")))
			continue;
		if (write_mode(saved->kb[i], want)) {
			int e = errno;

			gb_mthp_restore(saved);
			enabled_path(path, sizeof(path), saved->kb[i]);
			snprintf(err, errlen,
				 "--mem thp:%luK: cannot write '%s' to %s (%s): run as root, or set madvise for hugepages-%lukB and never for every other size yourself",
				 kb, want, path, strerror(e), kb);
			return -1;
		}
	}
	return 0;
}

void gb_mthp_restore(const struct gb_mthp_saved *saved)
{
	for (unsigned int i = 0; i < saved->n; i++) {
		char now[16];

		if (read_mode(saved->kb[i], now, sizeof(now)) ||
		    strcmp(now, saved->mode[i]))
			write_mode(saved->kb[i], saved->mode[i]);
	}
}
