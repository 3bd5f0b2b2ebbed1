#!/usr/bin/env bash
# Bad input to mimic-system-riscv64 gives exactly one line on stderr, naming what is wrong, and
# exit status 1: never a crash, a hang, or a guest that starts anyway.
# usage: system_cli_errors.sh MIMIC_SYSTEM_RISCV64
set -u
mimic=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# expect_error DESCRIPTION EXPECTED-STDERR-LINE ARGS...
expect_error() {
    local what=$1 want=$2
    shift 2
    timeout 10 "$mimic" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    local status=$?
    if [ "$status" -ne 1 ] || [ "$(wc -l <"$tmp/err")" -ne 1 ] || [ "$(cat "$tmp/err")" != "mimic-system-riscv64: $want" ]; then
        echo "FAIL: $what: status $status, stderr:"
        sed 's/^/    /' "$tmp/err"
        echo "  expected status 1 and: mimic-system-riscv64: $want"
        failures=$((failures + 1))
    else
        echo "ok: $what"
    fi
}

printf '\177ELF\002\001\001' >"$tmp/truncated"
printf '\023\000\000\000' >"$tmp/nop.bin"  # one addi x0, x0, 0
head -c 2097152 /dev/zero >"$tmp/big"

expect_error "unknown option" "-bogus: unknown option (try -help)" -bogus
expect_error "unknown machine" "-M bogus: unsupported machine type 'bogus' (-M help lists them)" -M bogus
expect_error "zero RAM" "-m 0: the RAM size must not be zero" -M virt -m 0
expect_error "too many harts" "-smp 99: at most 8 CPUs are supported" -M virt -smp 99
expect_error "kvm" "-accel kvm: KVM needs a RISC-V host; this host runs guests with -accel tcg" -accel kvm
expect_error "unknown tier" "-accel tcg,tier=bogus: unknown tier 'bogus' (interp, baseline, llvm or tiered)" \
    -M virt -accel tcg,tier=bogus -bios none -kernel "$tmp/nop.bin"
expect_error "gdb stub" "-s/-S/-gdb: the GDB stub is not implemented yet" -M virt -s
expect_error "nothing to run" "-bios none: nothing to run; give -kernel FILE (or a firmware)" -M virt -bios none
expect_error "missing firmware" "$tmp/nope: No such file or directory" -M virt -bios "$tmp/nope"
expect_error "truncated ELF" "$tmp/truncated: truncated ELF header" -M virt -bios none -kernel "$tmp/truncated"
expect_error "host ELF" "/bin/true: ELF file is not for RISC-V (e_machine 62)" -M virt -bios none -kernel /bin/true
expect_error "initrd without kernel" "-initrd only allowed with -kernel option" -M virt -initrd "$tmp/nop.bin"
expect_error "drive without if=" "-drive file=$tmp/nop.bin: the virt board has no IDE controller: give if=virtio, or if=none,id=ID with -device virtio-blk-device,drive=ID" \
    -M virt -bios none -kernel "$tmp/nop.bin" -drive file="$tmp/nop.bin"
expect_error "missing disk image" "$tmp/nope.img: No such file or directory" \
    -M virt -bios none -kernel "$tmp/nop.bin" -drive file="$tmp/nope.img",if=virtio,format=raw
expect_error "disk image is a directory" "$tmp: Is a directory" \
    -M virt -bios none -kernel "$tmp/nop.bin" -drive file="$tmp",if=virtio,format=raw
expect_error "virtio on spike" "-device, -drive: -M spike has no virtio-mmio transports (use -M virt)" \
    -M spike -bios none -kernel "$tmp/nop.bin" -device virtio-rng-device
expect_error "nine virtio devices" "-device virtio-rng-device: all 8 virtio-mmio slots of the virt board are in use" \
    -M virt -bios none -kernel "$tmp/nop.bin" -device virtio-rng-device -device virtio-rng-device \
    -device virtio-rng-device -device virtio-rng-device -device virtio-rng-device -device virtio-rng-device \
    -device virtio-rng-device -device virtio-rng-device -device virtio-rng-device
expect_error "bad -d item" "-d: unknown -d item 'bogus' (try -d help)" -M virt -d bogus -bios none -kernel "$tmp/nop.bin"
MIMIC_LOG=in_asm,bogus expect_error "bad MIMIC_LOG item" "MIMIC_LOG: unknown -d item 'bogus' (try -d help)" \
    -M virt -bios none -kernel "$tmp/nop.bin"
expect_error "bad -serial" \
    "-serial bogus: unsupported character device (stdio, mon:stdio, null, none or file:PATH)" -M virt -serial bogus
expect_error "missing -dtb" "$tmp/nope.dtb: No such file or directory" \
    -M virt -bios none -kernel "$tmp/nop.bin" -dtb "$tmp/nope.dtb"
expect_error "kernel larger than RAM" \
    "$tmp/big: does not fit in RAM (0x80000000, 1 MiB); give more with -m" -M virt -m 1M -bios none -kernel "$tmp/big"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
