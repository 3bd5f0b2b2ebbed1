#!/usr/bin/env bash
# Builds Mimic's riscv64 Linux guest, once per machine: a kernel Image from Debian's linux-source-6.1
# with guest/linux/mimic-virt.config (on top of allnoconfig), and an initramfs of busybox (Debian's
# source package, built static for riscv64) with guest/linux/rootfs. Both are cached outside the
# source tree, in $MIMIC_GUEST_CACHE (default ~/.cache/mimic/linux-guest), under a key of their
# inputs: a changed config, rootfs file or package version builds again, anything else is reused.
#
# usage: build-linux-guest.sh        builds what is missing; prints the kernel's and initramfs's paths
# Installs the packages it needs, and a deb-src entry for busybox's source (as root, or with sudo).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${MIMIC_GUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mimic/linux-guest}
jobs=$(nproc)
cross=riscv64-linux-gnu-
log() { echo "build-linux-guest: $*" >&2; }

# One build at a time per cache (the boot tests may ask in parallel).
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9

packages=(linux-source-6.1 gcc-riscv64-linux-gnu make bc flex bison cpio xz-utils bzip2 dpkg-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

version_of() { dpkg-query -W -f='${Version}' "$1"; }

# The same inputs give the same bytes: no build date, user or host in the kernel, busybox or archive.
export SOURCE_DATE_EPOCH=1767225600  # 2026-01-01 00:00 UTC
export KBUILD_BUILD_TIMESTAMP="@$SOURCE_DATE_EPOCH" KBUILD_BUILD_USER=mimic KBUILD_BUILD_HOST=mimic
export KBUILD_BUILD_VERSION=1
recipe="$SOURCE_DATE_EPOCH $KBUILD_BUILD_USER $KBUILD_BUILD_HOST"

# The kernel, keyed by the source package's version and the config fragment.
fragment=$root/guest/linux/mimic-virt.config
kernel_key=$( (echo "$recipe"; version_of linux-source-6.1; cat "$fragment") | sha256sum | cut -c1-16)
kernel_dir=$cache/kernel-$kernel_key
if [ ! -f "$kernel_dir/Image" ]; then
    work=$cache/work/linux
    rm -rf "$work"
    mkdir -p "$work"
    log "extracting linux-source-6.1 $(version_of linux-source-6.1)"
    tar -xf /usr/src/linux-source-6.1.tar.xz -C "$work" --strip-components=1
    log "building the kernel ($jobs jobs; about 10 minutes on 2 cores)"
    make -C "$work" -s ARCH=riscv CROSS_COMPILE=$cross allnoconfig >&2
    (cd "$work" && ARCH=riscv scripts/kconfig/merge_config.sh -m .config "$fragment" >/dev/null)
    make -C "$work" -s ARCH=riscv CROSS_COMPILE=$cross olddefconfig >&2
    # Every line of the fragment must have survived olddefconfig (a dependency it lacks drops it).
    while IFS= read -r line; do
        case "$line" in CONFIG_*=y) grep -qx "$line" "$work/.config" || { log "config lost $line"; exit 1; } ;; esac
    done <"$fragment"
    make -C "$work" -j"$jobs" ARCH=riscv CROSS_COMPILE=$cross Image >&2
    mkdir -p "$kernel_dir.tmp"
    cp "$work/arch/riscv/boot/Image" "$work/.config" "$kernel_dir.tmp/"
    cp "$work/usr/gen_init_cpio" "$kernel_dir.tmp/"
    rm -rf "$kernel_dir"
    mv "$kernel_dir.tmp" "$kernel_dir"
    rm -rf "$work"
fi

# busybox, keyed by its source package's version and the settings changed from its defconfig.
busybox_settings="CONFIG_STATIC=y CONFIG_TC=n"
busybox_version=$(apt-cache showsrc busybox 2>/dev/null | sed -n 's/^Version: //p' | head -1 || true)
busybox_key=$( (echo "$recipe" "$busybox_version" "$busybox_settings") | sha256sum | cut -c1-16)
busybox_dir=$cache/busybox-$busybox_key
if [ ! -x "$busybox_dir/busybox" ]; then
    if [ -z "$busybox_version" ]; then
        log "adding a deb-src entry for Debian bookworm, for busybox's source"
        $sudo tee /etc/apt/sources.list.d/mimic-deb-src.sources >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
        $sudo apt-get update -qq >&2
        exec "$0" "$@"
    fi
    work=$cache/work/busybox
    rm -rf "$work"
    mkdir -p "$work"
    log "fetching busybox $busybox_version's source"
    (cd "$work" && apt-get source busybox >&2 2>&1)
    src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*' | head -1)
    make -C "$src" -s defconfig >&2
    for setting in $busybox_settings; do
        name=${setting%%=*} value=${setting#*=}
        sed -i "/^# $name is not set\$/d; /^$name=/d" "$src/.config"
        if [ "$value" = n ]; then echo "# $name is not set" >>"$src/.config"; else echo "$setting" >>"$src/.config"; fi
    done
    (yes "" || true) | make -C "$src" -s oldconfig >/dev/null
    log "building busybox"
    make -C "$src" -j"$jobs" CROSS_COMPILE=$cross busybox >&2
    mkdir -p "$busybox_dir.tmp"
    cp "$src/busybox" "$busybox_dir.tmp/"
    rm -rf "$busybox_dir"
    mv "$busybox_dir.tmp" "$busybox_dir"
    rm -rf "$work"
fi

# The initramfs: busybox with a link per applet, and guest/linux/rootfs, as a list for the
# kernel's gen_init_cpio (device nodes without root).
rootfs=$root/guest/linux/rootfs
initramfs_key=$( (echo "$kernel_key" "$busybox_key"; find "$rootfs" -type f | LC_ALL=C sort | xargs cat) | sha256sum | cut -c1-16)
initramfs=$cache/initramfs-$initramfs_key.cpio.gz
if [ ! -f "$initramfs" ]; then
    # The archive keeps each file's mtime: copies, dated SOURCE_DATE_EPOCH.
    staging=$(mktemp -d)
    trap 'rm -rf "$staging"' EXIT
    cp "$busybox_dir/busybox" "$staging/busybox"
    cp -R "$rootfs" "$staging/rootfs"
    find "$staging" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
    list=$staging/list
    {
        for d in bin sbin usr usr/bin usr/sbin dev proc sys tmp root etc etc/init.d mnt; do echo "dir /$d 0755 0 0"; done
        echo "nod /dev/console 0600 0 0 c 5 1"
        echo "file /bin/busybox $staging/busybox 0755 0 0"
        echo "slink /init /bin/busybox 0777 0 0"
        # qemu-user runs the riscv64 busybox here to list its applets and where they go.
        if command -v qemu-riscv64 >/dev/null; then
            qemu-riscv64 "$busybox_dir/busybox" --list-full | while read -r applet; do
                [ "$applet" = bin/busybox ] || echo "slink /$applet /bin/busybox 0777 0 0"
            done
        else
            log "qemu-riscv64 missing: only /bin/sh links to busybox"
            echo "slink /bin/sh /bin/busybox 0777 0 0"
        fi
        (cd "$rootfs" && find . -mindepth 1 | LC_ALL=C sort) | while read -r path; do
            p=${path#.}
            if [ -d "$rootfs$p" ]; then
                echo "dir $p 0755 0 0"
            else
                mode=0644
                [ -x "$rootfs$p" ] && mode=0755
                echo "file $p $staging/rootfs$p $mode 0 0"
            fi
        done
    } | awk '!seen[$2]++' >"$list.tmp"
    mv "$list.tmp" "$list"
    "$kernel_dir/gen_init_cpio" -t "$SOURCE_DATE_EPOCH" "$list" | gzip -9 -n >"$initramfs.tmp"
    mv "$initramfs.tmp" "$initramfs"
fi

echo "$kernel_dir/Image"
echo "$initramfs"
