#!/usr/bin/env bash
# -d int logs every trap in QEMU's format, -D sends the log to a file, -serial file:PATH sends the
# UART there, -d guest_errors reports a device access the bus refuses, MIMIC_LOG adds items, and
# -d op_opt shows the IR passes.
# usage: logs_and_serial.sh MIMIC_SYSTEM_RISCV64 TRAP_ECALL_ELF UART_REGS_ELF
set -u
mimic=$1 ecall_elf=$2 uart_elf=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

timeout 30 "$mimic" -M virt -display none -serial "file:$tmp/uart.txt" -bios none -kernel "$ecall_elf" \
    -d int -D "$tmp/int.log" </dev/null >"$tmp/stdout" || fail "trap_ecall exited with status $?"
[ -s "$tmp/stdout" ] && fail "console output went to stdout despite -serial file:"
grep -q "^ok " "$tmp/uart.txt" || fail "no transcript in the -serial file"
for cause in 8 9 b; do
    grep -Eq "^riscv_cpu_do_interrupt: hart:0, async:0, cause:000000000000000$cause, epc:0x[0-9a-f]{16}, tval:0x[0-9a-f]{16}, desc=[a-z_]+ecall$" \
        "$tmp/int.log" || fail "-d int has no ecall trap with cause $cause"
done
echo "ok: -d int lists the ecalls from U, S and M; -serial file: holds the transcript"

# MIMIC_LOG gives items as -d does (the two add up), as QEMU_LOG does for QEMU.
MIMIC_LOG=int timeout 30 "$mimic" -M virt -nographic -bios none -kernel "$ecall_elf" -d in_asm \
    -D "$tmp/env.log" </dev/null >/dev/null || fail "trap_ecall under MIMIC_LOG exited with status $?"
grep -q "^riscv_cpu_do_interrupt: hart:0, async:0, cause:0000000000000008" "$tmp/env.log" ||
    fail "MIMIC_LOG=int logged no trap"
grep -q "^IN: pc=0x" "$tmp/env.log" || fail "-d in_asm with MIMIC_LOG set logged no guest code"
echo "ok: MIMIC_LOG's items and -d's are both logged"

# Tiered mode interprets a block's IR unoptimized at first, but -d op_opt still shows the passes.
timeout 30 "$mimic" -M virt -nographic -bios none -kernel "$ecall_elf" -d op_opt -D "$tmp/opt.log" \
    </dev/null >/dev/null || fail "trap_ecall under -d op_opt exited with status $?"
grep -q "^OP after dead_code_elimination:" "$tmp/opt.log" || fail "-d op_opt showed no pass"
echo "ok: -d op_opt shows the IR passes in tiered mode"

# uart_regs makes no bad access: nothing is logged.
timeout 30 "$mimic" -M virt -nographic -bios none -kernel "$uart_elf" -d guest_errors -D "$tmp/ge.log" \
    </dev/null >/dev/null || fail "uart_regs exited with status $?"
[ -s "$tmp/ge.log" ] && fail "guest_errors logged for a well-behaved program: $(head -3 "$tmp/ge.log")"
echo "ok: no guest_errors for a well-behaved program"

# A 2-byte store to the CLINT's msip (which takes 4-byte accesses only) is refused by the bus: a
# store access fault (cause 7), and one guest_errors line. The trap handler exits with mcause.
cat >"$tmp/bad.S" <<'ASM'
    .globl _start
_start:
    la t0, handler
    csrw mtvec, t0
    li t0, 0x2000000
    sh zero, 0(t0)
    j .
    .align 2
handler:
    csrr t0, mcause
    slli t0, t0, 16
    li t1, 0x3333
    or t0, t0, t1
    li t1, 0x100000
    sw t0, 0(t1)
    j .
ASM
riscv64-unknown-elf-gcc -nostdlib -march=rv64gc -mabi=lp64d -Ttext=0x80000000 -o "$tmp/bad.elf" "$tmp/bad.S" ||
    fail "cannot assemble the probe"
timeout 30 "$mimic" -M virt -nographic -bios none -kernel "$tmp/bad.elf" -d guest_errors -D "$tmp/ge.log" </dev/null
status=$?
[ "$status" -eq 7 ] || fail "a refused 2-byte msip store: exit status $status, expected 7 (store access fault)"
grep -q "2-byte write of clint at 0x2000000" "$tmp/ge.log" || fail "no guest_errors line: $(cat "$tmp/ge.log")"
echo "ok: a refused device access is a store access fault and a guest_errors line"

# -m, -smp, -initrd and -append reach the device tree, with the values QEMU gives them.
printf '\023\000\000\000' >"$tmp/nop.bin"
head -c 5000 /dev/zero >"$tmp/initrd.img"
"$mimic" -M "virt,dumpdtb=$tmp/virt.dtb" -m 256M -smp 2 -bios none -kernel "$tmp/nop.bin" \
    -initrd "$tmp/initrd.img" -append "console=ttyS0 root=/dev/vda" || fail "dumpdtb exited with status $?"
[ "$(fdtget "$tmp/virt.dtb" /chosen bootargs)" = "console=ttyS0 root=/dev/vda" ] || fail "bootargs"
[ "$(fdtget -t x "$tmp/virt.dtb" /chosen linux,initrd-start /chosen linux,initrd-end | tr '\n' ' ')" = "88000000 88001388 " ] ||
    fail "initrd placement: $(fdtget -t x "$tmp/virt.dtb" /chosen linux,initrd-start /chosen linux,initrd-end)"
[ "$(fdtget -t x "$tmp/virt.dtb" /memory@80000000 reg)" = "0 80000000 0 10000000" ] || fail "memory node"
fdtget "$tmp/virt.dtb" /cpus/cpu@1 riscv,isa >/dev/null || fail "no second hart in the device tree"
echo "ok: -m, -smp, -initrd and -append reach the device tree where QEMU puts them"
