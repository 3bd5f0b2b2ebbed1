#!/usr/bin/env bash
# Checks the random generator's hand-written encoder against the GNU assembler: every generated
# instruction is printed as assembly text, assembled, and compared with the generator's bytes.
# usage: riscv_random_check_encoding.sh <gen> <seed> <count>
# environment: RISCV_AS, RISCV_OBJCOPY (default riscv64-linux-gnu-as / -objcopy).
set -eu
if [ $# -ne 3 ]; then
  echo "usage: $0 <gen> <seed> <count>" >&2
  exit 2
fi
gen=$1 seed=$2 count=$3
as_tool=${RISCV_AS:-riscv64-linux-gnu-as}
objcopy_tool=${RISCV_OBJCOPY:-riscv64-linux-gnu-objcopy}
work=$(mktemp -d "${TMPDIR:-/tmp}/riscv_random_enc.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$gen" --seed "$seed" --count "$count" --asm > "$work/all.s"
"$as_tool" -march=rv64gc_zba_zbb_zbs "$work/all.s" -o "$work/all.o"
"$objcopy_tool" -O binary -j .text "$work/all.o" "$work/all.bin"
"$gen" --seed "$seed" --count "$count" --check-bin "$work/all.bin"
