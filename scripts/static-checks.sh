#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The static and sanitizer checks of make check, one per invocation:
#   scripts/static-checks.sh sparse LABEL   kmod/ through sparse (make C=2)
#                                           against a Debian headers tree;
#                                           any sparse finding fails
#   scripts/static-checks.sh clang          the userspace, unit tests and
#                                           selftests built by clang with
#                                           -Wall -Wextra -Werror
#   scripts/static-checks.sh asan           the host unit tests built with
#                                           ASan+UBSan and run (TAP)
# clang and asan build a copy of the sources in build/clang/, build/asan/,
# so the gcc build in build/ and bin/ is left alone.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
. vm/common.sh
gb_prog=static-checks

# copy_tree DIR: what the userspace build needs, fresh.
copy_tree() {
	local d
	rm -rf "$1"
	mkdir -p "$1/selftests"
	cp Makefile "$1/"
	# tests find their data and scripts relative to the sources
	for d in bench include plots; do
		[[ -d $d ]] && cp -r "$d" "$1/"
	done
	cp selftests/*.c selftests/*.h "$1/selftests/"
}

# The unit test binaries the copy's Makefile knows (without deps-build).
unit_targets() {
	local t
	for t in bench/tests/test_*.c; do
		t=${t##*/}
		printf 'build/tests/%s\n' "${t%.c}"
	done
}

ksft_dir=${KSFT_DIR:-$HOME/.cache/gupbench/kselftest}

do_sparse() {
	local label=${1:?usage: static-checks.sh sparse LABEL}
	local ver hdr dir log
	. vm/kernels.sh
	need_pkgs sparse
	ver=$(resolve_kernel "$label")
	hdr=$(kernel_headers_dir "$ver")
	dir=$(mktemp -d "${TMPDIR:-/tmp}/gupbench-sparse.XXXXXX")
	trap 'rm -rf "$dir"' RETURN
	mkdir -p "$dir/kmod" "$dir/include/uapi/linux"
	cp kmod/Kbuild kmod/*.c kmod/*.h "$dir/kmod/"
	cp include/uapi/linux/*.h "$dir/include/uapi/linux/"
	log=$dir/sparse.log
	# C=2: check every file, built or not; W=1 adds the extra warnings.
	make -C "$hdr" M="$dir/kmod" C=2 CHECK=sparse W=1 modules >"$log" 2>&1 || {
		cat "$log"
		echo "sparse: the module does not build for $ver"
		return 1
	}
	grep -E '^  CHECK' "$log" | sed "s|$dir/||"
	if grep -E 'warning:|error:' "$log" | sed "s|$dir/||"; then
		echo "sparse: fix the findings above for $ver"
		return 1
	fi
	grep -q '^  CHECK' "$log" || { echo "sparse: it never ran (no CHECK lines)"; return 1; }
	echo "sparse: kmod/ is clean against $ver"
}

do_clang() {
	local dir=build/clang/src f harness="-Wno-unused-parameter -Wno-empty-body"
	need_pkgs clang
	copy_tree "$dir"
	# -B: every object by this compiler, nothing left from an older run
	make -s -C "$dir" -B CC=clang CFLAGS="-O2 -g -Werror" KSFT_DIR="$ksft_dir" \
		bin/gupbench
	# The kselftest harness's TEST() declares a `variant` parameter that
	# simple tests never use, and its EXPECT_*() end in an empty for loop
	# (the optional TH_LOG handler); clang reports both where the macros
	# expand, in our files.  Those two are off for harness programs only.
	mkdir -p "$dir/build/tests"
	for f in "$dir"/bench/tests/test_*.c; do
		clang -O2 -g -std=gnu11 -Wall -Wextra -Werror $harness -D_GNU_SOURCE \
			-I include/uapi -isystem "$ksft_dir" \
			-o "$dir/build/tests/$(basename "$f" .c)" "$f" \
			"$dir/build/libgupbench.a" -lnuma -lhwloc -lpthread -lm
	done
	# The selftests build in place: their compile is checked, not linked.
	for f in "$dir"/selftests/*.c; do
		clang -std=gnu11 -Wall -Wextra -Werror $harness \
			-fsyntax-only -I include/uapi -isystem "$ksft_dir" \
			-I "$dir/selftests" "$f"
	done
	echo "clang: the userspace, unit tests and selftests are -Wall -Wextra -Werror clean"
}

do_asan() {
	local dir=build/asan/src t rc=0
	local san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
	copy_tree "$dir"
	make -s -C "$dir" -B CFLAGS="-O1 -g -Werror $san" KSFT_DIR="$ksft_dir" \
		$(unit_targets)
	for t in $(unit_targets); do
		echo "# ----- $t (ASan+UBSan)"
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
			"$dir/$t" || rc=1
	done
	return $rc
}

case ${1:-} in
sparse) shift; do_sparse "$@" ;;
clang) do_clang ;;
asan) do_asan ;;
*) echo "usage: scripts/static-checks.sh sparse LABEL | clang | asan" >&2; exit 2 ;;
esac
