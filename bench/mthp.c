// SPDX-License-Identifier: GPL-2.0
/* The per-size THP controls: one size for a case, then back. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mthp.h"

#define THP_DIR "/sys/kernel/mm/transparent_hugepage"

static const char *control(bool shmem)
{
	return shmem ? "shmem_enabled" : "enabled";
}

static void control_path(char *buf, size_t len, unsigned long kb, bool shmem)
{
	snprintf(buf, len, THP_DIR "/hugepages-%lukB/%s", kb, control(shmem));
}

/* The bracketed word of "always inherit [madvise] never". */
static int read_mode(unsigned long kb, bool shmem, char *mode, size_t len)
{
	char path[128], line[128], *open, *close;
	FILE *f;

	control_path(path, sizeof(path), kb, shmem);
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

static int write_mode(unsigned long kb, bool shmem, const char *mode)
{
	char path[128];
	FILE *f;

	control_path(path, sizeof(path), kb, shmem);
	f = fopen(path, "w");
	if (!f)
		return -1;
	if (fprintf(f, "%s\n", mode) < 0) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

static unsigned long kb_of(enum gb_mem_kind kind)
{
	return (unsigned long)(gb_mem_align(kind) >> 10);
}

int gb_mthp_available(enum gb_mem_kind kind, char *err, size_t errlen)
{
	bool shmem = gb_mem_is_shmem_sized(kind);
	unsigned long kb = kb_of(kind);
	char mode[16];

	if (!read_mode(kb, shmem, mode, sizeof(mode)))
		return 0;
	if (read_mode(2048, shmem, mode, sizeof(mode)))
		snprintf(err, errlen,
			 "--mem %s: this kernel has no per-size THP control %s (" THP_DIR "/hugepages-<size>kB/%s: Linux %s); use --mem %s",
			 gb_mem_name(kind), control(shmem), control(shmem),
			 shmem ? "6.11+" : "6.8+", shmem ? "shmem" : "thp for 2 MiB THP");
	else
		snprintf(err, errlen,
			 "--mem %s: this kernel offers no %lu kB folios for %s (no " THP_DIR "/hugepages-%lukB/%s); see the sizes there",
			 gb_mem_name(kind), kb, shmem ? "shmem" : "anonymous memory",
			 kb, control(shmem));
	return -1;
}

/* The sizes this kernel offers, with their modes now. */
static int read_all(struct gb_mthp_saved *s, bool shmem)
{
	struct dirent *d;
	DIR *dir;

	memset(s, 0, sizeof(*s));
	s->shmem = shmem;
	dir = opendir(THP_DIR);
	if (!dir)
		return -1;
	while ((d = readdir(dir)) && s->n < GB_MTHP_MAX) {
		unsigned long kb;
		char tail[4];

		if (sscanf(d->d_name, "hugepages-%lu%3s", &kb, tail) != 2 ||
		    strcmp(tail, "kB"))
			continue;
		if (read_mode(kb, shmem, s->mode[s->n], sizeof(s->mode[0])))
			continue;
		control_path(s->path[s->n], sizeof(s->path[0]), kb, shmem);
		s->kb[s->n++] = kb;
	}
	closedir(dir);
	return 0;
}

/*
 * A signal that ends the run while a size is selected: put the controls
 * back (open/write/close only: async-signal-safe), then die of it.
 */
static const struct gb_mthp_saved *active;
static struct sigaction old_int, old_term, old_hup;

static void on_signal(int sig)
{
	const struct gb_mthp_saved *s = active;

	for (unsigned int i = 0; s && i < s->n; i++) {
		int fd = open(s->path[i], O_WRONLY);

		if (fd >= 0) {
			/* a failure here has nothing left to try */
			ssize_t n = write(fd, s->mode[i], strlen(s->mode[i]));

			(void)n;
			close(fd);
		}
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void guard(const struct gb_mthp_saved *s)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	active = s;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
}

static void unguard(void)
{
	if (!active)
		return;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	active = NULL;
}

int gb_mthp_select(enum gb_mem_kind kind, struct gb_mthp_saved *saved,
		   char *err, size_t errlen)
{
	bool shmem = gb_mem_is_shmem_sized(kind);
	const char *on = shmem ? "advise" : "madvise";
	unsigned long kb = kb_of(kind);

	if (gb_mthp_available(kind, err, errlen))
		return -1;
	if (read_all(saved, shmem)) {
		snprintf(err, errlen, "--mem %s: cannot read " THP_DIR ": %s",
			 gb_mem_name(kind), strerror(errno));
		return -1;
	}
	guard(saved);
	for (unsigned int i = 0; i < saved->n; i++) {
		const char *want = saved->kb[i] == kb ? on : "never";
		char path[128];

		if (!strcmp(saved->mode[i], want) ||
		    (saved->kb[i] == kb && !strcmp(saved->mode[i], "always")))
			continue;
		if (write_mode(saved->kb[i], shmem, want)) {
			int e = errno;

			gb_mthp_restore(saved);
			control_path(path, sizeof(path), saved->kb[i], shmem);
			snprintf(err, errlen,
				 "--mem %s: cannot write '%s' to %s (%s): run as root, or set %s for hugepages-%lukB/%s and never for every other size yourself",
				 gb_mem_name(kind), want, path, strerror(e), on, kb,
				 control(shmem));
			return -1;
		}
	}
	return 0;
}

void gb_mthp_restore(const struct gb_mthp_saved *saved)
{
	for (unsigned int i = 0; i < saved->n; i++) {
		char now[16];

		if (read_mode(saved->kb[i], saved->shmem, now, sizeof(now)) ||
		    strcmp(now, saved->mode[i]))
			write_mode(saved->kb[i], saved->shmem, saved->mode[i]);
	}
	unguard();
}
