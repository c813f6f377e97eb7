# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Fill a staging directory with the guest's root file system and pack it as
# an initramfs (sourced after vm/common.sh). The guest needs no disk: busybox,
# the modules, the project's programs and the libraries they link against.

# stage_base STAGE INIT: busybox with all its applets, the guest /init.
stage_base() {
	local stage=$1 init=$2 bb
	bb=$(command -v busybox) || die "busybox not found; apt-get install busybox-static"
	# A dynamically linked busybox would need its libraries in the guest too.
	ldd "$bb" >/dev/null 2>&1 && die "$bb is dynamically linked; apt-get install busybox-static"
	mkdir -p "$stage"/{bin,usr,etc,proc,sys,dev,tmp,root,lib,results,gupbench/bin}
	# Merged /usr as on the host: /usr/bin/env and /sbin/x resolve to /bin.
	ln -s bin "$stage/sbin"
	ln -s ../bin "$stage/usr/bin"
	ln -s ../bin "$stage/usr/sbin"
	cp "$bb" "$stage/bin/busybox"
	# One process for all applet links (a loop of ln takes half a second);
	# the links point at the host's busybox path, which /usr/bin resolves.
	"$bb" --install -s "$stage/bin"
	cp "$init" "$stage/init"
	chmod 755 "$stage/init"
	echo 'root:x:0:0:root:/root:/bin/sh' >"$stage/etc/passwd"
	echo 'root:x:0:' >"$stage/etc/group"
}

# stage_modules STAGE DIR: the virtio/9p modules prepared by guest_modules_dir.
stage_modules() {
	mkdir -p "$1/lib/gupbench-modules"
	cp "$2"/order "$1/lib/gupbench-modules/"
	if compgen -G "$2/*.ko" >/dev/null; then cp "$2"/*.ko "$1/lib/gupbench-modules/"; fi
}

# stage_kmod STAGE KO [DEVICE]: the module under test; /init loads it and, if
# DEVICE is given, fails the run when DEVICE does not appear.
stage_kmod() {
	mkdir -p "$1/gupbench/kmod"
	cp "$2" "$1/gupbench/kmod/"
	[[ -z ${3:-} ]] || echo "$3" >"$1/gupbench/expect-device"
}

is_elf() { [[ -f $1 && $(head -c 4 "$1" | od -An -c | tr -d ' ') == '177ELF' ]]; }

# stage_libs STAGE ELF: the shared libraries and loader ELF needs, at the
# paths ldd names (the loader's search path is the host's).
stage_libs() {
	local stage=$1 lib
	for lib in $(ldd "$2" 2>/dev/null | awk '/=> \// {print $3} /^[[:space:]]*\// {print $1}'); do
		[[ -e $stage$lib ]] && continue
		mkdir -p "$stage${lib%/*}"
		cp -L "$lib" "$stage$lib"
	done
}

# stage_file STAGE HOSTFILE GUESTPATH: one file, plus what it needs to run: the
# libraries of an ELF; bash for a bash script (busybox has no bash).
stage_file() {
	local stage=$1 src=$2 dst=$3 shebang bash
	mkdir -p "$stage${dst%/*}"
	cp -L "$src" "$stage$dst"
	if is_elf "$src"; then
		stage_libs "$stage" "$src"
		return
	fi
	IFS= read -r shebang <"$src" 2>/dev/null || true
	if [[ $shebang =~ ^#!.*bash ]] && [[ ! -e $stage/bin/bash ]]; then
		bash=$(command -v bash)
		cp -L "$bash" "$stage/bin/bash"
		stage_libs "$stage" "$bash"
	fi
}

# stage_entry STAGE HOSTPATH GUESTPATH [exec]: a file, or a directory copied
# with its relative layout. With 'exec' a directory contributes only its
# executable files (built programs, not their sources and objects).
stage_entry() {
	local stage=$1 src=$2 dst=$3 only=${4:-} f rel
	[[ $dst == /* ]] || die "guest path '$dst' must be absolute (HOSTPATH:GUESTPATH)"
	if [[ -d $src ]]; then
		while IFS= read -r -d '' f; do
			[[ $only == exec && ! -x $f ]] && continue
			rel=${f#"$src"/}
			stage_file "$stage" "$f" "$dst/$rel"
		done < <(find "$src" -type f -print0)
	elif [[ -e $src ]]; then
		stage_file "$stage" "$src" "$dst"
	else
		die "guest file $src does not exist (from --add or GUPBENCH_GUEST_FILES)"
	fi
}

# pack_initramfs STAGE OUT: cpio newc, gzip -1 (packing speed matters more
# than a few hundred KiB that the guest unpacks in memory).
pack_initramfs() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$2"
}
