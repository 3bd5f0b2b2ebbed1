#!/usr/bin/env bash
# Installs what Mimic needs to build, test and benchmark on Debian bookworm (as root, or with sudo).
# Installs only what is missing, so it is cheap to run again.
set -euo pipefail

packages=(
  build-essential cmake ninja-build
  libboost-dev catch2 llvm-19-dev libzstd-dev libcapstone-dev pkg-config zlib1g-dev libfdt-dev libslirp-dev e2fsprogs
  gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
  qemu-user qemu-system-misc opensbi u-boot-qemu device-tree-compiler gnuplot-nox python3
  linux-source-6.1 make bc flex bison cpio xz-utils bzip2 dpkg-dev  # the Linux guest's build
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
