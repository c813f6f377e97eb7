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
#ifndef GUPBENCH_CFLAGS
#define GUPBENCH_CFLAGS "flags unknown"
#endif
#if defined(__clang__)
#define GB_COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#define GB_COMPILER "gcc " __VERSION__
#else
#define GB_COMPILER "unknown compiler"
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

/* buf += "sep" "text", bounded. */
static void append_text(char *buf, size_t len, const char *sep,
			const char *text)
{
	size_t o = strlen(buf);

	if (o + 1 < len)
		snprintf(buf + o, len - o, "%s%s", o ? sep : "", text);
}

/* A field of /proc/cpuinfo's first CPU, or "" */
static void cpuinfo_field(const char *key, char *buf, size_t len)
{
	char line[4096];
	FILE *f = fopen("/proc/cpuinfo", "r");
	size_t k = strlen(key);

	buf[0] = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		/* the key, then only blanks up to the colon ("model" is
		 * not "model name") */
		if (strncmp(line, key, k) || !colon ||
		    strspn(line + k, " \t") != (size_t)(colon - line) - k)
			continue;
		colon += colon[1] == ' ' ? 2 : 1;
		colon[strcspn(colon, "\n")] = 0;
		snprintf(buf, len, "%s", colon);
		break;
	}
	fclose(f);
}

/*
 * Which of @syms /proc/kallsyms names (readable as root), in one pass:
 * bit i set for syms[i].
 */
static unsigned int kernel_symbols(const char *const *syms, int n)
{
	unsigned int found = 0, all = (1u << n) - 1;
	char line[512];
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return 0;
	while (found != all && fgets(line, sizeof(line), f)) {
		char *name = strrchr(line, ' ');

		if (!name++)
			continue;
		name[strcspn(name, "\t\n")] = 0;
		for (int i = 0; i < n; i++)
			if (!strcmp(name, syms[i]))
				found |= 1u << i;
	}
	fclose(f);
	return found;
}

/*
 * The configuration items that change what GUP costs, read from what the
 * running kernel shows (a guest has no /boot/config): the preemption model
 * from uname -v and the scheduler's debugfs, KASAN and DEBUG_VM from their
 * symbols, lockdep from /proc/lockdep.
 */
static void kernel_config(const char *version, char *buf, size_t len)
{
	char dyn[128];
	const char *model = strstr(version, "PREEMPT_RT") ? "rt" :
			    strstr(version, "PREEMPT_DYNAMIC") ? "dynamic" :
			    strstr(version, "PREEMPT") ? "full" : "none";

	static const char *const syms[] = { "kasan_report", "dump_mm" };
	unsigned int has = kernel_symbols(syms, 2);

	read_first_line("/sys/kernel/debug/sched/preempt", dyn, sizeof(dyn));
	snprintf(buf, len, "preempt=%s%s%s kasan=%s lockdep=%s debug_vm=%s",
		 model, strcmp(dyn, "unavailable") ? ":" : "",
		 strcmp(dyn, "unavailable") ? dyn : "",
		 has & 1 ? "y" : "n",
		 access("/proc/lockdep", F_OK) ? "n" : "y",
		 has & 2 ? "y" : "n");
}

/* "name=state;..." over /sys/devices/system/cpu/vulnerabilities. */
static void mitigations(char *buf, size_t len)
{
	static const char *const names[] = {
		"meltdown", "spectre_v1", "spectre_v2", "spec_store_bypass",
		"l1tf", "mds", "tsx_async_abort", "mmio_stale_data", "retbleed",
		"spec_rstack_overflow", "gather_data_sampling", "reg_file_data_sampling",
		NULL,
	};

	buf[0] = 0;
	for (int i = 0; names[i]; i++) {
		char path[128], state[256], item[320];

		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/vulnerabilities/%s", names[i]);
		read_first_line(path, state, sizeof(state));
		if (!strcmp(state, "unavailable"))
			continue;
		snprintf(item, sizeof(item), "%s=%s", names[i], state);
		append_text(buf, len, ";", item);
	}
	if (!buf[0])
		snprintf(buf, len, "unavailable");
}

/* Every mTHP size's "enabled" (or shmem_enabled), as "64kB=never ...". */
static void thp_per_size(const char *file, char *buf, size_t len)
{
	static const unsigned int kb[] = {
		16, 32, 64, 128, 256, 512, 1024, 2048, 0,
	};

	for (int i = 0; kb[i]; i++) {
		char path[160], v[128], item[160], *sel, *end;

		snprintf(path, sizeof(path),
			 "/sys/kernel/mm/transparent_hugepage/hugepages-%ukB/%s",
			 kb[i], file);
		read_first_line(path, v, sizeof(v));
		if (!strcmp(v, "unavailable"))
			continue;
		/* "always inherit [madvise] never": the selected word */
		sel = strchr(v, '[');
		end = sel ? strchr(sel, ']') : NULL;
		if (sel && end) {
			*end = 0;
			sel++;
		} else {
			sel = v;
		}
		snprintf(item, sizeof(item), "%ukB=%s", kb[i], sel);
		append_text(buf, len, " ", item);
	}
	if (!buf[0])
		snprintf(buf, len, "none (no per-size THP controls)");
}

static void hypervisor(char *buf, size_t len)
{
	char flags[4096], vendor[128], product[128];

	cpuinfo_field("flags", flags, sizeof(flags));
	read_first_line("/sys/class/dmi/id/sys_vendor", vendor, sizeof(vendor));
	read_first_line("/sys/class/dmi/id/product_name", product,
			sizeof(product));
	if (!strstr(flags, " hypervisor"))
		snprintf(buf, len, "none (bare metal)");
	else if (strcmp(vendor, "unavailable") || strcmp(product, "unavailable"))
		snprintf(buf, len, "%s %s", vendor, product);
	else
		snprintf(buf, len, "yes (the CPU says so; no DMI to name it)");
}

void gb_meta_anonymize(struct gb_meta *m)
{
	snprintf(m->hostname, sizeof(m->hostname), "anonymized");
	snprintf(m->proc_cmdline, sizeof(m->proc_cmdline), "anonymized");
	snprintf(m->hypervisor, sizeof(m->hypervisor), "anonymized");
	m->anonymized = true;
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
	m->schema = GB_SCHEMA_VERSION;
	read_first_line("/proc/cmdline", m->proc_cmdline, sizeof(m->proc_cmdline));
	kernel_config(m->kernel_version, m->kconfig, sizeof(m->kconfig));
	{
		char fam[32], model[32], step[32], ucode[32];

		cpuinfo_field("cpu family", fam, sizeof(fam));
		cpuinfo_field("model", model, sizeof(model));
		cpuinfo_field("stepping", step, sizeof(step));
		cpuinfo_field("microcode", ucode, sizeof(ucode));
		snprintf(m->cpu_id, sizeof(m->cpu_id),
			 "family %s model %s stepping %s microcode %s",
			 fam[0] ? fam : "?", model[0] ? model : "?",
			 step[0] ? step : "?", ucode[0] ? ucode : "?");
	}
	{
		char gov[64], boost[32], smt[32];

		read_first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor",
				gov, sizeof(gov));
		read_first_line("/sys/devices/system/cpu/cpufreq/boost", boost,
				sizeof(boost));
		read_first_line("/sys/devices/system/cpu/smt/control", smt,
				sizeof(smt));
		snprintf(m->cpufreq, sizeof(m->cpufreq),
			 "governor %s, boost %s, smt %s", gov, boost, smt);
	}
	mitigations(m->mitigations, sizeof(m->mitigations));
	hypervisor(m->hypervisor, sizeof(m->hypervisor));
	thp_per_size("enabled", m->thp_sizes, sizeof(m->thp_sizes));
	read_first_line("/sys/kernel/mm/transparent_hugepage/shmem_enabled",
			m->shmem_thp, sizeof(m->shmem_thp));
	{
		char per[256] = "";

		thp_per_size("shmem_enabled", per, sizeof(per));
		append_text(m->shmem_thp, sizeof(m->shmem_thp), "; ", per);
	}
	snprintf(m->tool_compiler, sizeof(m->tool_compiler), "%s, %s",
		 GB_COMPILER, GUPBENCH_CFLAGS);
	read_first_line("/sys/module/gupbench/parameters/build",
			m->module_compiler, sizeof(m->module_compiler));
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
	gbj_u64(w, "schema_version", m->schema);
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
	gbj_bool(w, "anonymized", m->anonymized);
	gbj_str(w, "proc_cmdline", m->proc_cmdline);
	gbj_str(w, "kernel_config", m->kconfig);
	gbj_str(w, "cpu_id", m->cpu_id);
	gbj_str(w, "cpufreq", m->cpufreq);
	gbj_str(w, "mitigations", m->mitigations);
	gbj_str(w, "hypervisor", m->hypervisor);
	gbj_str(w, "thp_sizes", m->thp_sizes);
	gbj_str(w, "shmem_thp", m->shmem_thp);
	gbj_str(w, "tool_compiler", m->tool_compiler);
	gbj_str(w, "module_compiler", m->module_compiler);
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
	fprintf(f, "kernel config:  %s\n", m->kconfig);
	fprintf(f, "cpu id:         %s; %s\n", m->cpu_id, m->cpufreq);
	fprintf(f, "hypervisor:     %s\n", m->hypervisor);
	fprintf(f, "mTHP sizes:     %s\n", m->thp_sizes);
	fprintf(f, "shmem THP:      %s\n", m->shmem_thp);
	fprintf(f, "compilers:      tool %s; module %s\n", m->tool_compiler,
		m->module_compiler);
	fprintf(f, "date (UTC):     %s\n", m->date_utc);
}
