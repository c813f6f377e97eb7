#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make ab: "did this series make GUP slower?"  Builds what is needed, runs
# the same preset on both kernels (make compare: interleaved boots), and
# writes the comparison and its plots into results/<stamp>-compare/.
#   BASE=    the baseline: a series file (built with make kernel), a vm/run
#            label (6.12, 6.1, ...), a kernel image, or a make kernel result
#            directory; default kernel-patches/series (the stock patched
#            kernel)
#   PATCHED= the same kinds; required, e.g. kernel-patches/canary/series
#   KBASE=7.3|7.2|6.12|6.1  the linux-source a series is applied to
#            (default 7.3, as make kernel; the reverts under kernel-patches/
#            are for 6.12)
#   KSRC=    a git tree of your own: BASE= and PATCHED= are then revisions of
#            it (a commit, branch, tag, HEAD~3, ...), each built with the
#            stock series (make kernel KSRC= REV=; cached per revision), e.g.
#            make ab KSRC=~/linux BASE=$(git merge-base HEAD origin/master) PATCHED=HEAD
#   PRESET=quick CLOCKS="instructions time" RUNS=3 RUNS_INSTRUCTIONS=1
#   THRESHOLD= METHOD=bootstrap  (as make compare: both clocks by default)
# Exit status: 0 no regression, 1 a regression, 2 bad input or no results.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
a=${BASE:-kernel-patches/series}
b=${PATCHED:-}
kbase=${KBASE:-7.3}
ksrc=${KSRC:-}
[ -z "$ksrc" ] || [ -n "${BASE:-}" ] || {
	echo "make ab: KSRC=$ksrc: name the baseline revision too, e.g. BASE=\$(git -C $ksrc merge-base HEAD origin/master) PATCHED=HEAD" >&2
	exit 2
}
[ -n "$b" ] || {
	echo "make ab: PATCHED= is missing: name the series (or kernel) to test against BASE=$a, e.g. make ab PATCHED=kernel-patches/canary/series" >&2
	exit 2
}

# A series file becomes the directory of its built kernel; with KSRC, a
# revision becomes the kernel built from it.
resolve() {
	if [ -n "$ksrc" ]; then
		env -u BASE -u SERIES scripts/build-kernel.sh --ksrc "$ksrc" --rev "$1" ||
			{ echo "make ab: $ksrc at $1 does not build (see above)" >&2; exit 2; }
	elif [ -f "$1" ] && grep -qv '^[[:space:]]*\(#\|$\)' "$1" &&
		! grep -v '^[[:space:]]*\(#\|$\)' "$1" | grep -qv '\.patch[[:space:]]*$'; then
		# BASE means the baseline here; make kernel's own BASE is KBASE
		env -u BASE scripts/build-kernel.sh --series "$1" --base "$kbase" ||
			{ echo "make ab: $1 does not build (see above)" >&2; exit 2; }
	else
		echo "$1"
	fi
}

ka=$(resolve "$a")
kb=$(resolve "$b")
echo "make ab: A = $a ($ka), B = $b ($kb)" >&2
KERNELS="$ka $kb" PRESET=${PRESET:-quick} exec scripts/compare.sh
