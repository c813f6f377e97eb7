# SPDX-License-Identifier: GPL-2.0
# gupbench: see README.md.  Targets:
#   make            module (for KDIR, or the running kernel if it has headers)
#                   and the userspace tools into bin/
#   make check      the whole test suite; ends with "N passed, N failed"
#   make bench      the standard matrix, on the host or in a QEMU guest
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

BENCH_SRCS := $(filter-out bench/main.c,$(wildcard bench/*.c))
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

build/bench/%.o: bench/%.c bench/*.h include/uapi/gupbench.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# only meta.o carries the version, so a new commit rebuilds one file
build/bench/meta.o: override CFLAGS += -DGUPBENCH_VERSION='"$(VERSION)"'
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

unit-tests: deps-build $(UNIT_TESTS)

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

bench:
	@scripts/bench.sh

clean:
	rm -rf bin build
	-$(MAKE) -C selftests clean
	rm -f kmod/*.o kmod/*.ko kmod/*.mod kmod/*.mod.c kmod/.*.cmd \
	      kmod/modules.order kmod/Module.symvers

.PHONY: .FORCE all deps-build unit-tests tools module selftests check bench clean
