#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# CMD's stdout, stderr, exit status and arguments pass through vm/run intact
# (2 boots of the default kernel).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# Boot 1: stdout is exactly CMD's output, nothing of the console.
vmrun --results "$t_tmp/r1" -- echo hello
check_eq "echo hello: exit 0" "$rc" 0
check "echo hello: stdout is exactly 'hello\\n'" cmp -s "$t_tmp/out" <(printf 'hello\n')
check "echo hello: nothing of CMD or console on stderr" eval '! grep -q -e hello -e "\\[ *[0-9.]*\\]" "$t_tmp/err"'
((t_failed)) && show_err

# Boot 2: arguments with spaces, quotes, $, backslashes, globs and empty ones
# arrive as given; stderr is separate; the exit status comes back.
args=('a b' "it's" '$HOME' '"dq"' '' 'back\slash' '*' '$(id)' $'tab\there' "x'y'z")
vmrun --results "$t_tmp/r2" -- sh -c 'printf "<%s>\n" "$@"; echo to-stderr >&2; printf "raw\r\n\0end"; exit 7' sh "${args[@]}"
check_eq "sh -c 'exit 7': exit status 7" "$rc" 7
{ printf '<%s>\n' "${args[@]}"; printf 'raw\r\n\0end'; } >"$t_tmp/want"
check "arguments arrive intact, output bytes unmangled" cmp -s "$t_tmp/out" "$t_tmp/want"
check "stderr carries CMD's stderr" grep -qx 'to-stderr' "$t_tmp/err"
check "stdout has no stderr text" eval '! grep -q to-stderr "$t_tmp/out"'
((t_failed)) && { show_err; od -c "$t_tmp/out" | head -20 | sed 's/^/# /'; }
done_testing
