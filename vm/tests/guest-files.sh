#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The default guest files of a repo (bin/*, run_vmtests.sh, the programs in
# selftests/) and --add files arrive with the libraries and interpreter they
# need (2 boots). Uses a copy of vm/ in a scratch repo with stand-in programs.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
command -v gcc >/dev/null || skip_all "gcc missing"

fake=$t_tmp/repo
mkdir -p "$fake/bin" "$fake/selftests/sub" "$fake/include/uapi/linux"
cp -r "$vm_dir" "$fake/vm"
cp -r "$repo/kmod" "$fake/kmod"
cp "$repo"/include/uapi/linux/*.h "$fake/include/uapi/linux/" 2>/dev/null

# A dynamically linked program that needs more than libc (libm).
cat >"$t_tmp/tool.c" <<'C'
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) { printf("%s %.0f\n", argv[0], sqrt(argc > 1 ? atof(argv[1]) : 4)); return 0; }
C
gcc -O1 -o "$fake/bin/gupbench-tool" "$t_tmp/tool.c" -lm
cp "$t_tmp/tool.c" "$fake/bin/"  # a source file: must not be copied
gcc -O1 -o "$fake/selftests/sub/gup_t" "$t_tmp/tool.c" -lm
cp "$t_tmp/tool.c" "$fake/selftests/sub/gup_t.c"
# A bash runner (busybox has no bash) that finds the selftests beside it.
cat >"$fake/run_vmtests.sh" <<'SH'
#!/bin/bash
here=$(dirname "$0"); a=(x y z)
echo "runner ${#a[@]}"; "$here/selftests/sub/gup_t" 9
SH
chmod +x "$fake/run_vmtests.sh"
echo 'extra data' >"$t_tmp/data.txt"

rc=0
"$fake/vm/run" "${kmod_args[@]}" --results "$t_tmp/r" --add "$t_tmp/data.txt:/opt/data.txt" -- \
	sh -c 'gupbench-tool 16; /gupbench/run_vmtests.sh; cat /opt/data.txt; ls /gupbench/bin /gupbench/selftests/sub' \
	>"$t_tmp/out" 2>"$t_tmp/err" || rc=$?
check_eq "exit 0" "$rc" 0
check "bin/ program on PATH runs with its libraries" grep -qx 'gupbench-tool 4' "$t_tmp/out"
check "run_vmtests.sh runs under bash" grep -qx 'runner 3' "$t_tmp/out"
check "it finds /gupbench/selftests/<bin>" grep -qx '/gupbench/selftests/sub/gup_t 3' "$t_tmp/out"
check "--add HOST:GUEST places a file" grep -qx 'extra data' "$t_tmp/out"
check "sources in bin/ and selftests/ stay out" eval '! grep -q "tool.c\|gup_t.c" "$t_tmp/out"'
((t_failed)) && show_err

# GUPBENCH_GUEST_FILES replaces the default list.
rc=0
GUPBENCH_GUEST_FILES="$t_tmp/data.txt:/opt/only.txt" "$fake/vm/run" "${kmod_args[@]}" --results "$t_tmp/r2" -- \
	sh -c 'cat /opt/only.txt; command -v gupbench-tool || echo no-tool' >"$t_tmp/out" 2>"$t_tmp/err" || rc=$?
check_eq "GUPBENCH_GUEST_FILES: exit 0" "$rc" 0
check_eq "GUPBENCH_GUEST_FILES replaces the defaults" "$(tr '\n' ' ' <"$t_tmp/out")" "extra data no-tool "
((t_failed)) && show_err
done_testing
