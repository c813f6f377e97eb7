# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Helpers for the vm/ harness tests (sourced). Each test prints TAP-like
# "ok N - ..." / "not ok N - ..." lines and exits 0 (all ok), 1 (a failure)
# or 77 (skipped).
set -uo pipefail

tests_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
vm_dir=$(dirname "$tests_dir")
repo=$(dirname "$vm_dir")
VMRUN=$vm_dir/run

t_n=0 t_failed=0
ok() { t_n=$((t_n + 1)); echo "ok $t_n - $*"; }
not_ok() { t_n=$((t_n + 1)); t_failed=1; echo "not ok $t_n - $*"; }
# check DESC CMD...: ok if CMD succeeds.
check() {
	local desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
# check_eq DESC GOT WANT
check_eq() {
	if [[ $2 == "$3" ]]; then ok "$1"; else not_ok "$1 (got '$2', want '$3')"; fi
}
done_testing() { exit "$t_failed"; }
skip_all() { echo "# skip: $*"; exit 77; }

t_tmp=$(mktemp -d "${TMPDIR:-/tmp}/gupbench-vmtest.XXXXXX")
trap 'rm -rf "$t_tmp"' EXIT

# The module under test: the real one once kmod/ has its sources, until then
# a hello-world module that creates nothing. kmod_args goes to vm/run;
# has_real_kmod says which one it is.
has_real_kmod=
kmod_args=()
if [[ -f $repo/kmod/gupbench_main.c ]]; then
	has_real_kmod=1
else
	mkdir -p "$t_tmp/hello"
	echo 'obj-m := hello_gupbench.o' >"$t_tmp/hello/Kbuild"
	cat >"$t_tmp/hello/hello_gupbench.c" <<'C'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/init.h>
static int __init hello_init(void) { return 0; }
static void __exit hello_exit(void) { }
module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vm/tests stand-in for gupbench");
C
	kmod_args=(--kmod "$t_tmp/hello")
fi

# A guest shell snippet that fails unless the module under test is loaded.
# shellcheck disable=SC2034 # used by the tests that source this file
if [[ -n $has_real_kmod ]]; then
	module_check='test -c /dev/gupbench && test "$(stat -c %a /dev/gupbench)" = 600'
else
	module_check='grep -q "^hello_gupbench " /proc/modules'
fi

# vmrun ARGS...: vm/run with the test module; stdout/stderr in $t_tmp/out,
# $t_tmp/err, the status in $rc.
# shellcheck disable=SC2034 # rc is for the caller
vmrun() {
	rc=0
	"$VMRUN" "${kmod_args[@]}" "$@" >"$t_tmp/out" 2>"$t_tmp/err" || rc=$?
}
# show_err: the harness's stderr as TAP comments, for failures.
show_err() { sed 's/^/# /' "$t_tmp/err"; }
