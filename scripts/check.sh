#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: every gupbench test, host and guest.  Each step's output goes
# to build/check/<step>.log; TAP results inside a step count one by one.
# The last line is "N passed, N failed, N skipped".
#   CHECK_KERNELS="6.12 6.1 7.3" (guests that run the selftests; 7.3 is
#                       Debian experimental's, the newest 7.x)
#   CHECK_BUILD_KERNELS="6.12 6.1 6.1-rt 6.1-cloud 7.2 7.3" (module W=1
#                       builds; 7.x in a build root with its compiler)
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
logs=build/check
kernels=${CHECK_KERNELS:-6.12 6.1 7.3}
build_kernels=${CHECK_BUILD_KERNELS:-6.12 6.1 6.1-rt 6.1-cloud 7.2 7.3}
passed=0 failed=0 skipped=0
failures=()

mkdir -p "$logs"

pass() { passed=$((passed + 1)); printf 'PASS %s\n' "$1"; }
skip() { skipped=$((skipped + 1)); printf 'SKIP %s: %s\n' "$1" "$2"; }
fail() {
	failed=$((failed + 1))
	failures+=("$1")
	printf 'FAIL %s (log: %s/%s.log)\n' "$1" "$logs" "$2"
}

# step NAME CMD...: one test, passed when CMD exits 0.
step() {
	local name=$1 log
	shift
	log=$(echo "$name" | tr -c 'A-Za-z0-9._\n-' '_')
	if "$@" >"$logs/$log.log" 2>&1; then
		pass "$name"
	else
		fail "$name" "$log"
		tail -n 15 "$logs/$log.log" | sed 's/^/    /'
	fi
}

# tap_step NAME CMD...: CMD prints TAP (kselftest style); every "ok" and
# "not ok" line at any nesting level counts as one test, "# SKIP" as a
# skip.  A non-zero exit with no failing test line is one more failure.
tap_step() {
	local name=$1 log rc ok bad sk
	shift
	log=$(echo "$name" | tr -c 'A-Za-z0-9._\n-' '_')
	"$@" >"$logs/$log.log" 2>&1
	rc=$?
	# results of the test cases themselves: lines "[# ...]ok N name"
	ok=$(grep -aEc '^(# )*ok [0-9]+ ' "$logs/$log.log")
	sk=$(grep -aEc '^(# )*ok [0-9]+ .*# [Ss][Kk][Ii][Pp]' "$logs/$log.log")
	bad=$(grep -aEc '^(# )*not ok [0-9]+ ' "$logs/$log.log")
	passed=$((passed + ok - sk))
	skipped=$((skipped + sk))
	failed=$((failed + bad))
	printf '%s %s: %d passed, %d failed, %d skipped (log: %s/%s.log)\n' \
		"$([ "$bad" -eq 0 ] && [ "$rc" -eq 0 ] && echo PASS || echo FAIL)" \
		"$name" "$((ok - sk))" "$bad" "$sk" "$logs" "$log"
	grep -aE '^(# )*not ok [0-9]+ ' "$logs/$log.log" | sed 's/^/    /' | head -20
	if [ "$bad" -gt 0 ]; then
		failures+=("$name")
	elif [ "$rc" -ne 0 ]; then
		fail "$name exited with status $rc" "$log"
		tail -n 15 "$logs/$log.log" | sed 's/^/    /'
	fi
}

echo "== packages and build"
if ! scripts/deps.sh check >"$logs/deps.log" 2>&1; then
	cat "$logs/deps.log"
	echo "0 passed, 1 failed"
	exit 1
fi
step "userspace builds with -Wall -Wextra -Werror" \
	make -s tools CFLAGS="-O2 -g -Werror" -B
step "selftests build with -Wall -Wextra -Werror" \
	make -s selftests CFLAGS="-O2 -Werror" -B
step "userspace, unit tests and selftests build with clang -Wall -Wextra -Werror" \
	scripts/static-checks.sh clang
step "uapi header compiles alone as C11" \
	gcc -std=c11 -Wall -Wextra -Werror -pedantic -fsyntax-only -x c \
	-include include/uapi/linux/gupbench.h scripts/check-uapi.c
step "uapi header compiles alone as C++" \
	g++ -std=c++11 -Wall -Wextra -Werror -fsyntax-only -x c++ \
	-include include/uapi/linux/gupbench.h scripts/check-uapi.c
step "checkpatch --strict is clean on kmod/, the uapi header and the driver patch" \
	scripts/checkpatch.sh
tap_step "the driver patch: made from kmod/, git am takes it" scripts/driver-patch-test.sh
for k in 6.12 6.1; do
	step "sparse (make C=2) finds nothing in kmod/ on $k" \
		scripts/static-checks.sh sparse "$k"
done
for k in $build_kernels; do
	step "module builds with W=1 and no warnings on $k" \
		scripts/build-warnings.sh "$k"
done

# The host has no module (or a foreign one): the tool must say what to do.
no_module_message() {
	local out rc
	out=$(bin/gupbench run --api noop 2>&1)
	rc=$?
	echo "exit $rc: $out"
	[ "$rc" -eq 1 ] && grep -q 'insmod' <<<"$out" && grep -q 'vm/run' <<<"$out"
}
if [ -e /dev/gupbench ]; then
	skip "gupbench explains a missing module" "/dev/gupbench exists on this host"
else
	step "gupbench explains a missing module" no_module_message
fi

echo "== host unit tests"
make -s unit-tests >"$logs/unit-build.log" 2>&1 ||
	fail "unit tests build" unit-build
for t in build/tests/test_*; do
	[ -x "$t" ] && tap_step "unit: ${t##*/}" "$t"
done
tap_step "unit tests under ASan+UBSan (build/asan/)" scripts/static-checks.sh asan

echo "== install and DKMS (temporary roots)"
tap_step "make install and DKMS for 6.12 and 6.1" scripts/install-test.sh

echo "== vm/run harness"
tap_step "vm/run harness tests" vm/tests/run.sh

for k in $kernels; do
	echo "== selftests in a $k guest"
	# 6G: node 0 then spans 0-3G, so a 1 GiB page fits at 1-2G, clear of
	# the low BIOS area and of node 0's memmap at its top.
	tap_step "selftests on $k" \
		vm/run --kernel "$k" --numa 2 --mem 6G --timeout 1500 \
		--append 'hugepagesz=1G hugepages=1' \
		--results "$logs/guest-$k" -- /gupbench/run_vmtests.sh -a
done

echo "== the patched kernel (make kernel, make crosscheck)"
tap_step "patched kernel" scripts/check-kernel.sh

echo
if [ ${#failures[@]} -gt 0 ]; then
	echo "failed:"
	printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
