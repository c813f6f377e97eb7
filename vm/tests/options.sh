#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm/run and vm/build-kmod refuse bad usage with 125/2 and a message, before
# any guest boots (host only).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# refuse DESC PATTERN ARGS...: vm/run ARGS exits 125 and says PATTERN.
refuse() {
	local desc=$1 pat=$2; shift 2
	rc=0
	timeout 60 "$VMRUN" "$@" >"$t_tmp/out" 2>"$t_tmp/err" || rc=$?
	if [[ $rc == 125 ]] && grep -q -- "$pat" "$t_tmp/err" && [[ ! -s $t_tmp/out ]]; then
		ok "$desc"
	else
		not_ok "$desc (exit $rc)"; show_err
	fi
}
refuse "no command" "no command given"
refuse "unknown option" "unknown option --bogus" --bogus -- true
refuse "bad --numa" "--numa wants a number" --numa x -- true
refuse "bad --mem" "--mem wants a size" --mem 12parsecs -- true
refuse "bad --timeout" "--timeout wants seconds" --timeout 0 -- true
refuse "bad --clock" "--clock wants time or instructions" --clock cycles -- true
refuse "--cpus not a multiple of --numa" "not a multiple" --numa 2 --cpus 3 -- true
refuse "missing bzImage file" "no such file" --kernel /nonexistent/bzImage -- true
refuse "bzImage without --kdir" "--kdir" --kernel "$VMRUN" -- true
refuse "missing --add file" "does not exist" "${kmod_args[@]}" --add /nonexistent/tool -- true

rc=0
"$VMRUN" --help >"$t_tmp/out" 2>&1 || rc=$?
check "--help exits 0 and documents the exit codes" \
	eval '[[ $rc == 0 ]] && grep -q "123" "$t_tmp/out" && grep -q "124" "$t_tmp/out" && grep -q "125" "$t_tmp/out"'

rc=0
"$vm_dir/build-kmod" >/dev/null 2>&1 || rc=$?
check_eq "build-kmod without a kernel is a usage error" "$rc" 2
done_testing
