/* boot_hello: the runtime boots: hart 0 reaches main in M-mode with a1 = the device tree,
 * printf reaches the console, misa reports RV64 with IMAFDC, S and U, the ID CSRs read
 * without trapping, and mstatus holds its reset values (MIE = MPRV = 0, SXL = UXL = 64). */
#include "runtime.h"

int main(void) {
    printf("hello from hart %u\n", rt_hartid());
    rt_trap_reset();

    uint64_t misa = csr_read(misa);
    rt_check("misa.MXL is RV64", 2, misa >> 62);
    for (const char* ext = "IMAFDCSU"; *ext; ext++) {
        char name[32];
        snprintf(name, sizeof name, "misa has %c", *ext);
        rt_check(name, 1, (misa >> (*ext - 'A')) & 1);
    }
    rt_check("mhartid", 0, csr_read(mhartid));
    (void)csr_read(mvendorid);
    (void)csr_read(marchid);
    (void)csr_read(mimpid);
    rt_check_no_trap("ID CSRs are readable");

    uint64_t mstatus = csr_read(mstatus);
    rt_check("mstatus.MIE at reset", 0, mstatus & MSTATUS_MIE);
    rt_check("mstatus.MPRV at reset", 0, mstatus & MSTATUS_MPRV);
    rt_check("mstatus.UXL", 2, (mstatus >> 32) & 3);
    rt_check("mstatus.SXL", 2, (mstatus >> 34) & 3);

    const volatile uint32_t* dtb = (const volatile uint32_t*)rt_boot_dtb();
    rt_check("a1 points at a device tree", 0xd00dfeed, __builtin_bswap32(dtb[0]));
    printf("bye\n");
    return 0;
}
