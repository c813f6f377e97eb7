// SPDX-License-Identifier: GPL-2.0
/* The metadata that makes a result reproducible and comparable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "meta.h"

#ifndef GUPBENCH_VERSION
#define GUPBENCH_VERSION "unknown"
#endif

static void read_first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	snprintf(buf, len, "unavailable");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = 0;
	fclose(f);
}

static void cpu_model(char *buf, size_t len)
{
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) || !colon)
			continue;
		colon += 2;
		colon[strcspn(colon, "\n")] = 0;
		snprintf(buf, len, "%s", colon);
		break;
	}
	fclose(f);
}

static void hugetlb_pools(char *buf, size_t len)
{
	static const unsigned long sizes[] = { 2048, 1048576 };
	size_t off = 0;

	buf[0] = 0;
	for (size_t i = 0; i < 2; i++) {
		char path[128], nr[32], fr[32];

		snprintf(path, sizeof(path),
			 "/sys/kernel/mm/hugepages/hugepages-%lukB/nr_hugepages",
			 sizes[i]);
		read_first_line(path, nr, sizeof(nr));
		snprintf(path, sizeof(path),
			 "/sys/kernel/mm/hugepages/hugepages-%lukB/free_hugepages",
			 sizes[i]);
		read_first_line(path, fr, sizeof(fr));
		off += snprintf(buf + off, len - off, "%s%lukB:%s/%s",
				off ? " " : "", sizes[i], fr, nr);
		if (off >= len)
			break;
	}
}

int gb_meta_clock(char *err, size_t errlen)
{
	const char *s = getenv("GUPBENCH_CLOCK");

	if (!s || !*s || !strcmp(s, "time"))
		return 0;
	if (!strcmp(s, "instructions"))
		return 1;
	snprintf(err, errlen,
		 "GUPBENCH_CLOCK='%s': use time or instructions (vm/run --clock sets it)",
		 s);
	return -1;
}

void gb_meta_collect(struct gb_meta *m, const struct gb_dev *dev,
		     const struct gb_numa *numa, int argc, char **argv)
{
	struct utsname u;
	time_t now = time(NULL);
	size_t off = 0;

	memset(m, 0, sizeof(*m));
	if (!uname(&u)) {
		snprintf(m->kernel_release, sizeof(m->kernel_release), "%s",
			 u.release);
		snprintf(m->kernel_version, sizeof(m->kernel_version), "%s",
			 u.version);
		snprintf(m->hostname, sizeof(m->hostname), "%s", u.nodename);
	}
	snprintf(m->tool_version, sizeof(m->tool_version), "%s",
		 GUPBENCH_VERSION);
	if (dev && dev->fd >= 0) {
		m->module_abi = dev->caps.abi_version;
		snprintf(m->module_version, sizeof(m->module_version), "%s",
			 dev->caps.module_version);
		snprintf(m->module_built_for, sizeof(m->module_built_for), "%s",
			 dev->caps.kernel_release);
	}
	cpu_model(m->cpu_model, sizeof(m->cpu_model));
	m->nr_cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	m->numa_nodes = numa ? numa->nr_nodes : 1;
	if (numa)
		gb_numa_describe(numa, m->topology, sizeof(m->topology));
	read_first_line("/sys/kernel/mm/transparent_hugepage/enabled",
			m->thp_enabled, sizeof(m->thp_enabled));
	read_first_line("/sys/kernel/mm/transparent_hugepage/defrag",
			m->thp_defrag, sizeof(m->thp_defrag));
	hugetlb_pools(m->hugetlb_pools, sizeof(m->hugetlb_pools));
	read_first_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
			m->clocksource, sizeof(m->clocksource));
	if (gb_meta_clock(NULL, 0) == 1) {
		snprintf(m->clock, sizeof(m->clock), "instructions");
		snprintf(m->units, sizeof(m->units), "instructions");
		snprintf(m->clock_detail, sizeof(m->clock_detail),
			 "QEMU -icount shift=0: 1 ns of guest time per instruction");
	} else {
		snprintf(m->clock, sizeof(m->clock), "time");
		snprintf(m->units, sizeof(m->units), "ns");
		snprintf(m->clock_detail, sizeof(m->clock_detail),
			 "ktime_get_ns() on clocksource %s", m->clocksource);
	}
	for (int i = 0; i < argc && off < sizeof(m->command_line); i++)
		off += snprintf(m->command_line + off,
				sizeof(m->command_line) - off, "%s%s",
				i ? " " : "", argv[i]);
	strftime(m->date_utc, sizeof(m->date_utc), "%Y-%m-%dT%H:%M:%SZ",
		 gmtime(&now));
}

void gb_meta_json(struct gbj_writer *w, const struct gb_meta *m)
{
	gbj_obj_open(w, "meta");
	gbj_str(w, "kernel_release", m->kernel_release);
	gbj_str(w, "kernel_version", m->kernel_version);
	gbj_str(w, "tool_version", m->tool_version);
	gbj_u64(w, "module_abi", m->module_abi);
	gbj_str(w, "module_version", m->module_version);
	gbj_str(w, "module_built_for", m->module_built_for);
	gbj_str(w, "cpu_model", m->cpu_model);
	gbj_i64(w, "nr_cpus", m->nr_cpus);
	gbj_i64(w, "numa_nodes", m->numa_nodes);
	gbj_str(w, "topology", m->topology);
	gbj_str(w, "thp_enabled", m->thp_enabled);
	gbj_str(w, "thp_defrag", m->thp_defrag);
	gbj_str(w, "hugetlb_pools", m->hugetlb_pools);
	gbj_str(w, "clocksource", m->clocksource);
	gbj_str(w, "command_line", m->command_line);
	gbj_str(w, "date_utc", m->date_utc);
	gbj_str(w, "hostname", m->hostname);
	gbj_str(w, "clock", m->clock);
	gbj_str(w, "clock_detail", m->clock_detail);
	gbj_str(w, "units", m->units);
	gbj_obj_close(w);
}

void gb_meta_print(FILE *f, const struct gb_meta *m)
{
	fprintf(f, "kernel:         %s (%s)\n", m->kernel_release,
		m->kernel_version);
	fprintf(f, "gupbench:       %s, module %s (ABI %u, built for %s)\n",
		m->tool_version, m->module_version[0] ? m->module_version : "not loaded",
		m->module_abi, m->module_built_for[0] ? m->module_built_for : "-");
	fprintf(f, "cpu:            %s, %d online\n", m->cpu_model, m->nr_cpus);
	fprintf(f, "numa:           %s\n", m->topology);
	fprintf(f, "thp:            enabled %s, defrag %s\n", m->thp_enabled,
		m->thp_defrag);
	fprintf(f, "hugetlb free/total: %s\n", m->hugetlb_pools);
	fprintf(f, "clocksource:    %s\n", m->clocksource);
	fprintf(f, "clock:          %s (%s)\n", m->clock, m->clock_detail);
	fprintf(f, "date (UTC):     %s\n", m->date_utc);
}
