#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make kernel: build "the patched kernel" from Debian's linux-source, a
# quilt-style series in kernel-patches/ and a config fragment, into the
# cache.  Prints the directory of the result on stdout (bzImage, config,
# gup_test, info, vm-run-args); progress goes to stderr.
#
#   scripts/build-kernel.sh [--series FILE] [--base 6.12|6.1]
#                           [--flavour bench|debug]
#   (make kernel SERIES=... BASE=... FLAVOUR=...)
#
# One working tree per base and flavour is kept and patched incrementally:
# switching series reverts only the patches that differ and make rebuilds
# only what they touch.  A result is cached under a key over everything
# that goes into it, so a second build of the same inputs is a cache hit.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$top/vm/common.sh"
gb_prog=make-kernel

series=${SERIES:-$top/kernel-patches/series}
base=${BASE:-6.12}
flavour=${FLAVOUR:-bench}
while (($#)); do
	case $1 in
	--series) series=${2:?--series needs a file}; shift ;;
	--base) base=${2:?--base needs 6.12 or 6.1}; shift ;;
	--flavour) flavour=${2:?--flavour needs bench or debug}; shift ;;
	-h | --help) sed -n '3,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done

case $base in 6.12 | 6.1) ;; *) die "BASE=$base: use 6.12 or 6.1 (Debian's linux-source packages)" ;; esac
case $flavour in bench | debug) ;; *) die "FLAVOUR=$flavour: use bench or debug" ;; esac
[[ -f $series ]] || die "SERIES=$series: no such file (a list of patches, one a line, relative to it)"
series=$(cd "$(dirname "$series")" && pwd)/${series##*/}
fragdir=$top/kernel-patches/config
frags=("$fragdir/bench.config")
[[ $flavour == debug ]] && frags+=("$fragdir/debug.config")

need_host_tools
need_pkgs bc bison flex libssl-dev "linux-source-$base"
tarball=/usr/src/linux-source-$base.tar.xz
[[ -r $tarball ]] || die "$tarball missing after installing linux-source-$base"

# The patches, in order, as absolute paths.
patches=()
while read -r line; do
	line=${line%%#*}
	line=${line//[[:space:]]/}
	[[ -n $line ]] || continue
	p=$(dirname "$series")/$line
	[[ -f $p ]] || die "$series names $line, which does not exist"
	patches+=("$(cd "$(dirname "$p")" && pwd)/${p##*/}")
done <"$series"

# The driver sources copied into drivers/misc/gupbench/ by the in-tree patch.
driver_files=("$top"/kmod/Kbuild "$top"/kmod/*.c "$top"/kmod/*.h "$top"/include/uapi/gupbench.h)

key=$({
	echo "base $base $(stat -c '%s %Y' "$tarball") flavour $flavour"
	hash_files "${frags[@]}" "${driver_files[@]}" "$0"
	for p in "${patches[@]}"; do sha256sum <"$p"; done
} | sha256sum | cut -c1-16)

root=$(cache_dir)/kernel
tree=$root/$base-$flavour/tree
out=$root/out/$base-$flavour-$key
if [[ -s $out/bzImage ]]; then
	msg "cache hit: $out"
	printf '%s\n' "$out"
	exit 0
fi

# --- the tree: pristine source, then the series ------------------------------

unpack() {
	[[ -f $tree/Makefile ]] && return 0
	msg "unpacking $tarball (about 10 s)"
	local tmp
	tmp=$(mktemp -d "$root/.unpack.XXXXXX")
	tar -xJf "$tarball" -C "$tmp"
	mkdir -p "$(dirname "$tree")"
	rm -rf "$tree"
	mv "$tmp"/linux-source-* "$tree"
	rm -rf "$tmp"
	mkdir -p "$tree/.gupbench/applied"
}

# The reject of a patch that does not apply, produced in a scratch copy of
# the files it touches, so that the tree stays as it was.
show_reject() {
	local p=$1 tmp f
	tmp=$(mktemp -d)
	for f in $(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$p"); do
		mkdir -p "$tmp/$(dirname "$f")"
		[[ -f $tree/$f ]] && cp "$tree/$f" "$tmp/$f"
	done
	(cd "$tmp" && patch -p1 -f -F0 --no-backup-if-mismatch <"$p" >/dev/null 2>&1) || true
	find "$tmp" -name '*.rej' -exec sh -c 'echo "--- reject: ${1#'"$tmp"'/}"; cat "$1"' _ {} \; >&2
	rm -rf "$tmp"
}

applied_list() { find "$tree/.gupbench/applied" -name '*.patch' | sort; }

# Bring the tree to exactly the wanted series: keep the longest common
# prefix, revert what follows it (newest first), apply the rest.  No fuzz:
# a patch whose context does not match exactly is a patch for another
# kernel (with fuzz, even a hunk of pure nonsense lands at line 1).
patch_tree() {
	local applied=() keep=0 i p n
	mapfile -t applied < <(applied_list)
	while ((keep < ${#applied[@]} && keep < ${#patches[@]})) &&
		cmp -s "${applied[keep]}" "${patches[keep]}"; do
		keep=$((keep + 1))
	done
	for ((i = ${#applied[@]} - 1; i >= keep; i--)); do
		msg "reverting ${applied[i]##*/}"
		patch -R -p1 -s -d "$tree" <"${applied[i]}" ||
			die "cannot revert ${applied[i]##*/}: the cached tree is damaged; delete $tree"
		rm -f "${applied[i]}"
	done
	for ((i = keep; i < ${#patches[@]}; i++)); do
		p=${patches[i]}
		if ! patch -p1 -s -f -F0 --dry-run -d "$tree" <"$p" >/dev/null 2>&1; then
			msg "patch ${p##*/} (from $series) does not apply to linux-source-$base:"
			show_reject "$p"
			# Leave the cache clean: back to the common prefix.
			for ((n = i - 1; n >= keep; n--)); do
				patch -R -p1 -s -d "$tree" <"${patches[n]}"
				rm -f "$tree/.gupbench/applied/$(printf '%03d' "$n")-${patches[n]##*/}"
			done
			die "${p##*/} does not apply: rebase it on linux-source-$base or pick another BASE"
		fi
		msg "applying ${p##*/}"
		patch -p1 -s -F0 -d "$tree" <"$p"
		cp "$p" "$tree/.gupbench/applied/$(printf '%03d' "$i")-${p##*/}"
	done
}

# The in-tree driver's sources, copied only when they changed, so that an
# unchanged driver is not rebuilt.
copy_driver() {
	local dir=$tree/drivers/misc/gupbench f
	[[ -d $dir ]] || return 0
	for f in "${driver_files[@]}"; do
		cmp -s "$f" "$dir/${f##*/}" || cp "$f" "$dir/"
	done
}

configure() {
	local stamp=$tree/.gupbench/config-hash want
	want=$(hash_files "${frags[@]}" | sha256sum | cut -c1-16)
	if [[ -f $tree/.config && $(cat "$stamp" 2>/dev/null) == "$want" ]]; then
		make -C "$tree" -s olddefconfig >&2
		return 0
	fi
	msg "configuring: tinyconfig + ${frags[*]##*/}"
	make -C "$tree" -s tinyconfig >&2
	(cd "$tree" && scripts/kconfig/merge_config.sh -m .config "${frags[@]}" >/dev/null)
	make -C "$tree" -s olddefconfig >&2
	# Every line of the fragments must have taken effect: a silently
	# dropped option (a missing dependency) would skew what is measured.
	local line opt val bad=0
	while read -r line; do
		case $line in
		CONFIG_*=*) opt=${line%%=*} val=${line#*=}
			grep -qx "$opt=$val" "$tree/.config" || { msg "config: $line did not take effect"; bad=1; } ;;
		"# CONFIG_"*" is not set") opt=${line#\# }; opt=${opt%% *}
			! grep -q "^$opt=" "$tree/.config" || { msg "config: $opt is still set"; bad=1; } ;;
		esac
	done < <(cat "${frags[@]}" | tac | awk -F'[= ]' '{k=$1=="#"?$2:$1} !seen[k]++' | tac)
	((bad == 0)) || die "the config fragment did not apply cleanly (see above); fix kernel-patches/config/"
	echo "$want" >"$stamp"
}

build() {
	unpack
	patch_tree
	copy_driver
	configure
	local jobs start
	jobs=$(nproc)
	start=$(date +%s)
	msg "building linux-source-$base ($flavour, ${#patches[@]} patches) with -j$jobs"
	run_logged "$root/$base-$flavour/build.log" \
		make -C "$tree" -j"$jobs" bzImage modules headers ||
		die "kernel build failed; log: $root/$base-$flavour/build.log"
	msg "kernel built in $(($(date +%s) - start)) s"

	# The kernel's own gup_test, from the same source, for make crosscheck.
	local st=$tree/tools/testing/selftests
	gcc -O2 -Wall -isystem "$tree/usr/include" -I "$tree" -I "$st" -I "$st/mm" \
		-o "$tree/.gupbench/gup_test" "$st/mm/gup_test.c" "$st/mm/vm_util.c" \
		-lpthread >"$root/$base-$flavour/gup_test.log" 2>&1 ||
		die "gup_test does not build; log: $root/$base-$flavour/gup_test.log"

	# The out-of-tree module against this tree: kmod/ must keep building
	# against whatever the series does to the kernel's API.
	"$top/vm/build-kmod" --quiet "$tree" >/dev/null ||
		die "kmod/ does not build against the patched tree"

	local tmp=$out.tmp
	rm -rf "$tmp" && mkdir -p "$tmp"
	cp "$tree/arch/x86/boot/bzImage" "$tmp/bzImage"
	cp "$tree/.config" "$tmp/config"
	cp "$tree/.gupbench/gup_test" "$tmp/gup_test"
	{
		echo "base: linux-source-$base ($(stat -c %y "$tarball"))"
		echo "release: $(cat "$tree/include/config/kernel.release")"
		echo "flavour: $flavour"
		echo "series: $series"
		printf 'patch: %s\n' "${patches[@]##*/}"
		echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(($(date +%s) - start)) s"
	} >"$tmp/info"
	# How vm/run boots it: a built-in driver needs no module.
	if grep -q '^CONFIG_GUPBENCH=y' "$tmp/config"; then
		echo "--kernel $out/bzImage --no-kmod --add $out/gup_test" >"$tmp/vm-run-args"
	else
		echo "--kernel $out/bzImage --kdir $tree --add $out/gup_test" >"$tmp/vm-run-args"
	fi
	rm -rf "$out" && mv "$tmp" "$out"
}

mkdir -p "$root"
with_lock "kernel-$base-$flavour" build
msg "done: vm/run $(cat "$out/vm-run-args") -- CMD"
printf '%s\n' "$out"
