# SPDX-License-Identifier: GPL-2.0
# gupbench: see README.md.  Targets:
#   make            module (for KDIR, or the running kernel if it has headers)
#                   and the userspace tools into bin/
#   make check      the whole test suite; ends with "N passed, N failed"
#   make check-debug  selftests + 1M fuzzer steps on the KASAN/lockdep kernel
#   make bench      the standard matrix, on the host or in a QEMU guest
#   make plots DIR=results/...   the plots of a results directory
#   make compare KERNELS="6.1 6.12"   one preset on each kernel, compared
#   make kernel     the patched kernel (SERIES=, BASE=, FLAVOUR=, KSRC=, REV=)
#   make crosscheck gupbench against the kernel's gup_test, one boot
#   make ab         A/B of two kernels or series (BASE=, PATCHED=, KSRC=)
#   make install    tools, man pages, module (PREFIX=/usr/local DESTDIR=)
#   make module | tools | selftests | clean
TOP := $(CURDIR)
KDIR ?= $(wildcard /lib/modules/$(shell uname -r)/build)

CC ?= cc
CFLAGS ?= -O2 -g
# override: a CFLAGS= on the command line (make check adds -Werror) adds to
# these instead of dropping them
override CFLAGS += -std=c11 -Wall -Wextra -D_GNU_SOURCE -I$(TOP)/include/uapi
BENCH_LIBS := -lnuma -lhwloc -lpthread -lm

VERSION := $(shell git -C $(TOP) describe --always --dirty 2>/dev/null || echo unknown)

BENCH_SRCS := $(filter-out bench/main.c bench/tests/%,$(wildcard bench/*.c bench/*/*.c))
BENCH_OBJS := $(patsubst bench/%.c,build/bench/%.o,$(BENCH_SRCS))

all: tools module selftests

deps-build:
	@scripts/deps.sh build

tools: deps-build bin/gupbench

bin/gupbench: build/bench/main.o build/libgupbench.a
	@mkdir -p bin
	$(CC) $(CFLAGS) -o $@ $^ $(BENCH_LIBS)

build/libgupbench.a: $(BENCH_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

build/bench/%.o: bench/%.c bench/*.h bench/*/*.h include/uapi/linux/gupbench.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# only meta.o carries the version, so a new commit rebuilds one file
# results record the tool's compiler flags (meta.tool_compiler)
TOOL_CFLAGS := $(CFLAGS)
build/bench/meta.o: override CFLAGS += -DGUPBENCH_VERSION='"$(VERSION)"' \
	-DGUPBENCH_CFLAGS='"$(TOOL_CFLAGS)"'
build/bench/meta.o: .FORCE
.FORCE:

# Host unit tests of bench/ (kselftest harness from Debian's linux-source,
# unpacked by selftests/Makefile into KSFT_DIR).
KSFT_DIR ?= $(HOME)/.cache/gupbench/kselftest
UNIT_TESTS := $(patsubst bench/tests/%.c,build/tests/%,$(wildcard bench/tests/test_*.c))

$(KSFT_DIR)/kselftest_harness.h:
	$(MAKE) -C selftests KSFT_DIR=$(KSFT_DIR) $@

build/tests/%: bench/tests/%.c build/libgupbench.a $(KSFT_DIR)/kselftest_harness.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=gnu11 -isystem $(KSFT_DIR) -o $@ $< \
		build/libgupbench.a $(BENCH_LIBS)

# test_plot draws with gnuplot: make check installs it like the build deps
unit-tests: deps-build deps-plot $(UNIT_TESTS)

deps-plot:
	@scripts/deps.sh gnuplot-nox

module:
ifneq ($(KDIR),)
	$(MAKE) -C kmod KDIR=$(KDIR)
else
	@echo "module: no kernel headers for $$(uname -r); set KDIR=, or use" \
	      "vm/build-kmod LABEL (vm/run builds it for its guests)"
endif

selftests: deps-build
	$(MAKE) -C selftests

check:
	@scripts/check.sh

# The selftests and 1,000,000 fuzzer steps on the debug kernel (KASAN,
# lockdep, DEBUG_VM), built with make kernel FLAVOUR=debug when not cached.
check-debug:
	@scripts/check-debug.sh

# The patched kernel: SERIES= (default kernel-patches/series),
# BASE=7.3 (default)|7.2|6.12|6.1 (Debian's linux-source), or KSRC=<your
# tree> [REV=],
# FLAVOUR=bench|debug; prints the cache directory of the result.
kernel:
	@scripts/build-kernel.sh

# kernel-patches/0001 (the driver as a kernel patch, git am ready) made
# again from kmod/ and include/uapi/; SIGNOFF=1 adds your Signed-off-by,
# OUT=FILE writes it elsewhere.
driver-patch:
	@scripts/driver-patch.sh $(if $(SIGNOFF),--signoff) $(if $(OUT),-o $(OUT))

# gupbench against the kernel's gup_test in one boot of the patched kernel
crosscheck:
	@scripts/crosscheck.sh

# A/B between two kernels or series: BASE= (default the stock series),
# PATCHED= (required); with KSRC=<git tree>, BASE= and PATCHED= are two
# revisions of it; see scripts/ab.sh
ab:
	@scripts/ab.sh

bench:
	@scripts/bench.sh

# The pictures of one results (or make compare) directory, into DIR/plots/.
plots: tools deps-plot
	@test -n "$(DIR)" || { echo "make plots: give DIR=results/<run>" >&2; exit 2; }
	bin/gupbench plot $(DIR)

# The same preset on each kernel (first = A), RUNS boots each, interleaved;
# the comparison and its plots in results/<stamp>-compare/.
# KERNELS="6.1 6.12" PRESET=quick RUNS=3 THRESHOLD=5
compare:
	@scripts/compare.sh

# Tools, selftests, man pages and the module (KDIR= or KO=, MODULE=0 to
# leave it out, DKMS=1 for the DKMS sources) under $(DESTDIR)$(PREFIX);
# see scripts/install.sh.
PREFIX ?= /usr/local
install: tools selftests
	@PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" KDIR="$(KDIR)" scripts/install.sh

.PHONY: install

clean:
	rm -rf bin build
	-$(MAKE) -C selftests clean
	rm -f kmod/*.o kmod/*.ko kmod/*.mod kmod/*.mod.c kmod/.*.cmd \
	      kmod/modules.order kmod/Module.symvers


.PHONY: kernel crosscheck ab check-debug driver-patch
.PHONY: .FORCE all deps-build unit-tests tools module selftests check bench clean
.PHONY: plots compare deps-plot
