/* trap_misaligned: misaligned ordinary loads and stores complete with the right bytes (as QEMU
 * does it: no trap; the spec also allows a trap, so Mimic must match QEMU here), while misaligned
 * LR and AMOs trap with mtval = the address: LR as load-address-misaligned (cause 4) or load
 * access fault, AMOs as store/AMO misaligned or access fault (6/7; QEMU 7.2 reports cause 4,
 * which is accepted too) without changing memory. (A misaligned SC without a reservation just
 * fails on QEMU 7.2, so SC is not checked.) */
#include "runtime.h"

static uint8_t buf[32] __attribute__((aligned(16)));

static void check_atomic_trap(const char* name, uintptr_t pc, uintptr_t addr, bool store_or_amo) {
    struct rt_trap t = rt_last_trap;
    int count = rt_trap_count;
    bool cause_ok = store_or_amo ? (t.cause == CAUSE_STORE_MISALIGNED || t.cause == CAUSE_STORE_ACCESS ||
                                    t.cause == CAUSE_LOAD_MISALIGNED)
                                 : (t.cause == CAUSE_LOAD_MISALIGNED || t.cause == CAUSE_LOAD_ACCESS);
    rt_check_trap(name, t.cause, pc, addr);
    rt_check("  cause is a misaligned or access fault of the right kind", 1, count == 1 && cause_ok);
}

int main(void) {
    rt_trap_reset();
    for (int i = 0; i < 32; i++) buf[i] = (uint8_t)(0x10 + i);
    uintptr_t b = (uintptr_t)buf;
    rt_check("ld at +3", 0x1a19181716151413, rt_ld(b + 3));
    rt_check("lw at +5", 0x18171615, rt_lw(b + 5));
    rt_check("ld across a 16-byte boundary at +13", 0x24232221201f1e1d, rt_ld(b + 13));
    rt_sd(b + 1, 0x8877665544332211);
    rt_check("sd at +1, read back at +1", 0x8877665544332211, rt_ld(b + 1));
    rt_check("  bytes around it untouched", 0x10, buf[0]);
    rt_check("  bytes around it untouched", 0x19, buf[9]);
    rt_sw(b + 10, 0xdeadbeef);
    rt_check("sw at +10, read back as bytes", 0xdeadbeef,
             (uint32_t)buf[10] | (uint32_t)buf[11] << 8 | (uint32_t)buf[12] << 16 | (uint32_t)buf[13] << 24);
    rt_check_no_trap("ordinary misaligned accesses do not trap");

    uintptr_t addr = b + 4;
    uintptr_t pc;
    __asm__ volatile(".option push\n.option norvc\nla %0, 1f\n1: lr.d t6, (%1)\n.option pop"
                     : "=&r"(pc)
                     : "r"(addr)
                     : "t6", "memory");
    check_atomic_trap("lr.d at +4", pc, addr, false);
    addr = b + 6;
    uint64_t before = rt_ld(addr);
    __asm__ volatile(".option push\n.option norvc\nli t6, 1\nla %0, 1f\n1: amoadd.d t6, t6, (%1)\n.option pop"
                     : "=&r"(pc)
                     : "r"(addr)
                     : "t6", "memory");
    check_atomic_trap("amoadd.d at +6", pc, addr, true);
    rt_check("  memory unchanged by the faulting AMO", before, rt_ld(addr));
    return 0;
}
