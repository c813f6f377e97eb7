// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the metadata a result records: the schema version,
 * the clock, what changes GUP cost (kernel config, CPU, frequency, SMT,
 * mitigations, hypervisor, THP per size), the compilers, and --anonymize.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../meta.h"

TEST(records_what_changes_gup_cost)
{
	struct gb_meta m;

	unsetenv("GUPBENCH_CLOCK");
	gb_meta_collect(&m, NULL, NULL, 0, NULL);
	EXPECT_EQ(GB_SCHEMA_VERSION, m.schema);
	EXPECT_EQ(2, GB_SCHEMA_VERSION);
	EXPECT_STREQ("time", m.clock);
	EXPECT_STREQ("ns", m.units);
	EXPECT_NE(NULL, strstr(m.kconfig, "preempt="));
	EXPECT_NE(NULL, strstr(m.kconfig, " kasan="));
	EXPECT_NE(NULL, strstr(m.kconfig, " lockdep="));
	EXPECT_NE(NULL, strstr(m.kconfig, " debug_vm="));
	EXPECT_EQ(0, strncmp(m.cpu_id, "family ", 7)) TH_LOG("%s", m.cpu_id);
	EXPECT_NE(NULL, strstr(m.cpufreq, "governor "));
	EXPECT_NE(NULL, strstr(m.cpufreq, ", smt "));
	EXPECT_NE(0, m.mitigations[0]);
	EXPECT_NE(0, m.hypervisor[0]);
	EXPECT_NE(0, m.thp_sizes[0]);
	EXPECT_NE(NULL, strstr(m.tool_compiler, "-std=c11")) TH_LOG("%s", m.tool_compiler);
	EXPECT_NE(0, m.proc_cmdline[0]);
	EXPECT_FALSE(m.anonymized);
}

TEST(the_instruction_clock_is_recorded)
{
	struct gb_meta m;
	char err[256];

	setenv("GUPBENCH_CLOCK", "instructions", 1);
	EXPECT_EQ(1, gb_meta_clock(err, sizeof(err)));
	gb_meta_collect(&m, NULL, NULL, 0, NULL);
	EXPECT_STREQ("instructions", m.clock);
	EXPECT_STREQ("instructions", m.units);
	setenv("GUPBENCH_CLOCK", "cycles", 1);
	EXPECT_EQ(-1, gb_meta_clock(err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "use time or instructions"));
	unsetenv("GUPBENCH_CLOCK");
	EXPECT_EQ(0, gb_meta_clock(err, sizeof(err)));
}

TEST(anonymize_drops_what_names_the_machine)
{
	struct gb_meta m;

	gb_meta_collect(&m, NULL, NULL, 0, NULL);
	gb_meta_anonymize(&m);
	EXPECT_TRUE(m.anonymized);
	EXPECT_STREQ("anonymized", m.hostname);
	EXPECT_STREQ("anonymized", m.proc_cmdline);
	EXPECT_STREQ("anonymized", m.hypervisor);
	/* what the figures depend on stays */
	EXPECT_NE(NULL, strstr(m.kconfig, "preempt="));
}

TEST_HARNESS_MAIN
