#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make kernel: build "the patched kernel" from Debian's linux-source, a
# quilt-style series in kernel-patches/ and a config fragment, into the
# cache.  Prints the directory of the result on stdout (bzImage, config,
# gup_test, info, vm-run-args); progress goes to stderr.
#
#   scripts/build-kernel.sh [--series FILE] [--base 7.3|7.2|6.12|6.1]
#                           [--flavour bench|debug] [--ksrc DIR [--rev REV]]
#   (make kernel SERIES=... BASE=... FLAVOUR=... KSRC=... REV=...)
#
# --ksrc DIR: a kernel source tree of your own instead of Debian's (a git
# checkout of mainline, mm-unstable, linux-next or your branch, or any
# unpacked tree).  Your tree is never written to: with --rev, that git
# revision is checked out in a private clone under the cache (git clone
# --shared: it borrows your objects); without it, the files of your tree as
# they are now (uncommitted changes included) are copied there.  The series
# is applied to that copy, and the kernel is built out of tree (O=) into
# the cache, one object directory per tree, so that switching revisions
# rebuilds only what differs.
#
# One working tree per base and flavour is kept and patched incrementally:
# switching series reverts only the patches that differ and make rebuilds
# only what they touch.  A result is cached under a key over everything
# that goes into it, so a second build of the same inputs is a cache hit.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$top/vm/common.sh"
. "$top/vm/kernels.sh"
gb_prog=make-kernel

series=${SERIES:-$top/kernel-patches/series}
# the default base: the newest Debian linux-source that builds here
base=${BASE:-7.3}
flavour=${FLAVOUR:-bench}
ksrc=${KSRC:-} rev=${REV:-}
while (($#)); do
	case $1 in
	--series) series=${2:?--series needs a file}; shift ;;
	--base) base=${2:?--base needs 6.12, 6.1, 7.2 or 7.3}; shift ;;
	--flavour) flavour=${2:?--flavour needs bench or debug}; shift ;;
	--ksrc) ksrc=${2:?--ksrc needs a kernel source directory}; shift ;;
	--rev) rev=${2:?--rev needs a git revision}; shift ;;
	-h | --help) sed -n '3,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done

[[ -n $ksrc ]] || case $base in 6.12 | 6.1 | 7.2 | 7.3) ;; *) die "BASE=$base: use 6.12, 6.1 (bookworm), 7.2 (sid) or 7.3 (experimental): Debian's linux-source packages; or KSRC= for a tree of your own" ;; esac
case $flavour in bench | debug) ;; *) die "FLAVOUR=$flavour: use bench or debug" ;; esac
[[ -f $series ]] || die "SERIES=$series: no such file (a list of patches, one a line, relative to it)"
series=$(cd "$(dirname "$series")" && pwd)/${series##*/}
fragdir=$top/kernel-patches/config
frags=("$fragdir/bench.config")
[[ $flavour == debug ]] && frags+=("$fragdir/debug.config")

need_host_tools
need_pkgs bc bison flex libssl-dev

# The source: bookworm's linux-source packages are installed on the host;
# sid's and experimental's (7.x) are unpacked into the cache, as the guest
# kernels are.  Both build with the host's gcc.  Or the user's tree.
_unpack_source() {
	local dir=$1 deb
	[[ -e $dir/.complete ]] && return 0
	deb=$(fetch_deb "linux-source-$base")
	rm -rf "$dir" && mkdir -p "$dir"
	dpkg -x "$deb" "$dir" || die "dpkg -x $deb failed (corrupt download? delete it and retry)"
	touch "$dir/.complete"
}
commit=
if [[ -n $ksrc ]]; then
	ksrc=$(cd "$ksrc" 2>/dev/null && pwd) || die "KSRC=$ksrc: no such directory"
	[[ -f $ksrc/Makefile && -f $ksrc/mm/gup.c ]] || die "KSRC=$ksrc is not a kernel source tree (no Makefile and mm/gup.c)"
	if [[ -n $rev ]]; then
		need_pkgs git
		git -C "$ksrc" rev-parse --git-dir >/dev/null 2>&1 || die "REV=$rev needs a git tree, and KSRC=$ksrc is not one"
		commit=$(git -C "$ksrc" rev-parse --verify -q "$rev^{commit}") ||
			die "REV=$rev is not a commit of $ksrc (git rev-parse --verify '$rev^{commit}' failed)"
	else
		need_pkgs rsync
	fi
	base=ksrc-$(printf '%s' "$ksrc" | sha256sum | cut -c1-12)
elif [[ $(pkg_suite "linux-source-$base") == newer ]]; then
	srcdir=$(cache_dir)/src/linux-source-$base
	mkdir -p "${srcdir%/*}"
	with_lock "source-$base" _unpack_source "$srcdir"
	tarball=$srcdir/usr/src/linux-source-$base.tar.xz
else
	need_pkgs "linux-source-$base"
	tarball=/usr/src/linux-source-$base.tar.xz
fi
[[ -n $ksrc || -r $tarball ]] || die "$tarball missing after installing linux-source-$base"

# The version of the source (VERSION.PATCHLEVEL of its Makefile), and the
# config fragments for that version and later: config/since-<X.Y>.config.
if [[ -n $commit ]]; then
	top_makefile=$(git -C "$ksrc" show "$commit:Makefile")
elif [[ -n $ksrc ]]; then
	top_makefile=$(cat "$ksrc/Makefile")
else
	# Debian's linux-source-X.Y is version X.Y
	top_makefile=$(printf 'VERSION = %s\nPATCHLEVEL = %s\n' "${base%%.*}" "${base#*.}")
fi
kversion=$(awk '$1 == "VERSION" {v = $3} $1 == "PATCHLEVEL" {p = $3} END {if (v != "") print v "." p}' <<<"$top_makefile")
[[ $kversion =~ ^[0-9]+\.[0-9]+$ ]] || die "cannot read VERSION and PATCHLEVEL from the Makefile of ${ksrc:-$tarball}"
vnum() { local v=$1; echo $((${v%%.*} * 1000 + ${v#*.})); }
for f in "$fragdir"/since-*.config; do
	[[ -f $f ]] || continue
	since=${f##*/since-}; since=${since%.config}
	(($(vnum "$kversion") >= $(vnum "$since"))) && frags+=("$f")
done

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

# The driver patch (drivers/misc/gupbench/) is made from kmod/ by
# scripts/driver-patch.sh.  When kmod/ has changed since kernel-patches/0001
# was made, kmod/ as it is now is built: the patch is made afresh into the
# cache, under the same name.
for i in "${!patches[@]}"; do
	[[ ${patches[i]} == "$top"/kernel-patches/0001-misc-gupbench-*.patch ]] || continue
	"$top/scripts/driver-patch.sh" --check >/dev/null 2>&1 && continue
	fresh=$(cache_dir)/kernel/driver-patch/${patches[i]##*/}
	mkdir -p "${fresh%/*}"
	"$top/scripts/driver-patch.sh" -o "$fresh" 2>/dev/null || die "scripts/driver-patch.sh failed"
	msg "kmod/ differs from ${patches[i]#"$top"/}: building kmod/ as it is ('make driver-patch' refreshes the patch)"
	patches[i]=$fresh
done

key=$({
	if [[ -n $ksrc ]]; then
		echo "ksrc $ksrc ${commit:-working tree} flavour $flavour"
	else
		echo "base $base $(stat -c '%s %Y' "$tarball") flavour $flavour"
	fi
	hash_files "${frags[@]}" "$0"
	for p in "${patches[@]}"; do sha256sum <"$p"; done
} | sha256sum | cut -c1-16)

# tree: the sources; obj: where the kernel is built (the same directory for
# Debian's sources, O= for a tree of the user's); applied/: the patches on
# the tree (applied_dir); meta: the build's own notes (config hash, gup_test).
root=$(cache_dir)/kernel
if [[ -n $ksrc ]]; then
	tree=$root/$base/src obj=$root/$base/obj-$flavour applied_dir=$root/$base/applied
	meta=$obj/.gupbench lock=kernel-$base
else
	tree=$root/$base-$flavour/tree obj=$tree applied_dir=$tree/.gupbench/applied
	meta=$tree/.gupbench lock=kernel-$base-$flavour
fi
out=$root/out/$base-$flavour-$key
# The user's working tree changes without telling: it is always rebuilt
# (incrementally).
if [[ -s $out/bzImage && ( -z $ksrc || -n $commit ) ]]; then
	msg "cache hit: $out"
	printf '%s\n' "$out"
	exit 0
fi

# --- the tree: pristine source, then the series ------------------------------

# The user's tree, at the wanted revision, in the private copy; what an
# earlier build applied to the copy is undone first.
ksrc_copy() {
	mkdir -p "$applied_dir"
	if [[ -n $commit ]]; then
		if [[ ! -d $tree/.git ]]; then
			msg "cloning $ksrc into $tree (git clone --shared: your objects are borrowed, your tree is not touched)"
			rm -rf "$tree"
			git clone -q --shared --no-checkout "$ksrc" "$tree" || die "git clone --shared $ksrc failed"
		fi
		git -C "$tree" cat-file -e "$commit^{commit}" 2>/dev/null ||
			git -C "$tree" fetch -q origin "$commit" 2>/dev/null ||
			git -C "$tree" fetch -q origin '+refs/*:refs/remotes/origin/*' ||
			die "cannot fetch $commit from $ksrc into $tree"
		if ! { git -C "$tree" reset -q --hard && git -C "$tree" clean -q -fd &&
			git -C "$tree" checkout -q --detach "$commit"; }; then
			die "cannot check out $commit in $tree"
		fi
		msg "$ksrc at ${rev} ($(git -C "$tree" log -1 --format='%h %s' "$commit"))"
	else
		msg "copying $ksrc as it is now into $tree"
		mkdir -p "$tree"
		# By content, and without the source's times: a file that differs
		# from the last build's copy gets a new mtime, so make rebuilds it
		# even when the user's copy is older than the objects; files that
		# did not change keep theirs.  (.git stays: a REV= build's clone.)
		rsync -rlpD --checksum --delete --exclude=/.git "$ksrc/" "$tree/" ||
			die "copying $ksrc to $tree failed"
	fi
	rm -f "$applied_dir"/*.patch
	# An O= build needs a source tree without an in-tree configuration.
	[[ ! -f $tree/.config ]] || make -C "$tree" -s mrproper >&2
}

unpack() {
	if [[ -n $ksrc ]]; then
		ksrc_copy
		return
	fi
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

applied_list() { find "$applied_dir" -name '*.patch' | sort; }

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
	# A tree from before the driver patch carried the sources had them
	# copied in beside it: with none of the series left, nothing of the
	# driver belongs there.
	if ((keep == 0)) && [[ -z $ksrc ]]; then
		rm -rf "$tree/drivers/misc/gupbench" "$tree/include/uapi/linux/gupbench.h"
	fi
	for ((i = keep; i < ${#patches[@]}; i++)); do
		p=${patches[i]}
		if ! patch -p1 -s -f -F0 --dry-run -d "$tree" <"$p" >/dev/null 2>&1; then
			msg "patch ${p##*/} (from $series) does not apply to ${ksrc:-linux-source-$base}:"
			show_reject "$p"
			# Leave the cache clean: back to the common prefix.
			for ((n = i - 1; n >= keep; n--)); do
				patch -R -p1 -s -d "$tree" <"${patches[n]}"
				rm -f "$applied_dir/$(printf '%03d' "$n")-${patches[n]##*/}"
			done
			die "${p##*/} does not apply: rebase it on ${ksrc:-linux-source-$base} or pick another BASE"
		fi
		msg "applying ${p##*/}"
		patch -p1 -s -F0 -d "$tree" <"$p"
		cp "$p" "$applied_dir/$(printf '%03d' "$i")-${p##*/}"
	done
}

# make in the source tree, building into obj.
kmake() {
	if [[ $obj == "$tree" ]]; then
		make -C "$tree" "$@"
	else
		mkdir -p "$obj"
		make -C "$tree" O="$obj" "$@"
	fi
}

# kconfig_has NAME: the tree's Kconfig files define the option NAME.
kconfig_has() {
	grep -rqsE --include='Kconfig*' "^[[:space:]]*(menu)?config[[:space:]]+$1[[:space:]]*$" "$tree"
}

configure() {
	local stamp=$meta/config-hash want
	want=$(hash_files "${frags[@]}" | sha256sum | cut -c1-16)
	mkdir -p "$meta"
	if [[ -f $obj/.config && $(cat "$stamp" 2>/dev/null) == "$want" ]]; then
		kmake -s olddefconfig >&2
		return 0
	fi
	msg "configuring $kversion: tinyconfig + ${frags[*]##*/}"
	kmake -s tinyconfig >&2
	(cd "$tree" && scripts/kconfig/merge_config.sh -O "$obj" -m "$obj/.config" "${frags[@]}" >/dev/null)
	kmake -s olddefconfig >&2
	# Every line of the fragments must have taken effect: a silently
	# dropped option (a missing dependency) would skew what is measured.
	local line opt val bad=0
	while read -r line; do
		case $line in
		CONFIG_*=*) opt=${line%%=*} val=${line#*=}
			grep -qx "$opt=$val" "$obj/.config" && continue
			if kconfig_has "${opt#CONFIG_}"; then
				msg "config: $line did not take effect"; bad=1
			else
				msg "config: $opt is not an option of this kernel (gone or renamed): ignored"
			fi ;;
		"# CONFIG_"*" is not set") opt=${line#\# }; opt=${opt%% *}
			! grep -q "^$opt=" "$obj/.config" || { msg "config: $opt is still set"; bad=1; } ;;
		esac
	done < <(cat "${frags[@]}" | tac | awk -F'[= ]' '{k=$1=="#"?$2:$1} !seen[k]++' | tac)
	((bad == 0)) || die "the config fragment did not apply cleanly (see above); fix kernel-patches/config/"
	echo "$want" >"$stamp"
}

build() {
	unpack
	patch_tree
	configure
	local jobs start
	jobs=$(nproc)
	start=$(date +%s)
	msg "building ${ksrc:-linux-source-$base}${commit:+ at $rev} ($flavour, ${#patches[@]} patches) with -j$jobs"
	run_logged "$root/$base-$flavour.build.log" \
		kmake -j"$jobs" bzImage modules headers ||
		die "kernel build failed; log: $root/$base-$flavour.build.log"
	msg "kernel built in $(($(date +%s) - start)) s"

	# The kernel's own gup_test, from the same source, for make crosscheck.
	# Its helpers are what the mm selftests' Makefile links every test
	# with (6.12: vm_util.c; 7.x: vm_util.c hugepage_settings.c).
	local st=$tree/tools/testing/selftests helpers=() h
	for h in $(sed -n 's/^\$(TEST_GEN_PROGS): *//p' "$st/mm/Makefile" | head -n 1); do
		[[ $h == *.c ]] && helpers+=("$st/mm/$h")
	done
	((${#helpers[@]})) || helpers=("$st/mm/vm_util.c")
	gcc -O2 -Wall -isystem "$obj/usr/include" -I "$tree" -I "$st" -I "$st/mm" \
		-o "$meta/gup_test" "$st/mm/gup_test.c" "${helpers[@]}" \
		-lpthread >"$root/$base-$flavour.gup_test.log" 2>&1 ||
		die "gup_test does not build; log: $root/$base-$flavour.gup_test.log"

	# The out-of-tree module against this tree: kmod/ must keep building
	# against whatever the series does to the kernel's API.
	"$top/vm/build-kmod" --quiet "$obj" >/dev/null ||
		die "kmod/ does not build against the patched tree"

	local tmp=$out.tmp
	rm -rf "$tmp" && mkdir -p "$tmp"
	cp "$obj/arch/x86/boot/bzImage" "$tmp/bzImage"
	cp "$obj/.config" "$tmp/config"
	cp "$meta/gup_test" "$tmp/gup_test"
	{
		if [[ -n $ksrc ]]; then
			echo "base: $ksrc at ${commit:-its working tree (copied $(date -u +%Y-%m-%dT%H:%M:%SZ))}${commit:+ ($rev)}"
		else
			echo "base: linux-source-$base ($(stat -c %y "$tarball"))"
		fi
		echo "release: $(cat "$obj/include/config/kernel.release")"
		echo "flavour: $flavour"
		echo "series: $series"
		printf 'patch: %s\n' "${patches[@]##*/}"
		echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(($(date +%s) - start)) s"
	} >"$tmp/info"
	# How vm/run boots it: a built-in driver needs no module.
	if grep -q '^CONFIG_GUPBENCH=y' "$tmp/config"; then
		echo "--kernel $out/bzImage --no-kmod --add $out/gup_test" >"$tmp/vm-run-args"
	else
		echo "--kernel $out/bzImage --kdir $obj --add $out/gup_test" >"$tmp/vm-run-args"
	fi
	rm -rf "$out" && mv "$tmp" "$out"
}

mkdir -p "$root"
with_lock "$lock" build
msg "done: vm/run $(cat "$out/vm-run-args") -- CMD"
printf '%s\n' "$out"
