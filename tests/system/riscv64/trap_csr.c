/* trap_csr: CSR access rules. A CSR above the current privilege raises illegal instruction
 * (mtval = the instruction); writing a read-only CSR does too, while reading it does not;
 * cycle/time/instret in S and U are gated by mcounteren and scounteren; time follows the
 * CLINT's mtime; mepc holds 2-byte aligned addresses; a satp write with an unsupported mode is
 * ignored as a whole. */
#include "runtime.h"

static void check_illegal(const char* name, uintptr_t pc) {
    rt_check_trap(name, CAUSE_ILLEGAL, pc, rt_insn_bits(pc));
}

static long read_sstatus(long unused) {
    return (long)RT_INSN_AT("csrr t6, sstatus");
}
static long read_mstatus(long unused) {
    return (long)RT_INSN_AT("csrr t6, mstatus");
}
static long read_mhartid(long unused) {
    return (long)RT_INSN_AT("csrr t6, mhartid");
}
static long read_satp(long unused) {
    return (long)RT_INSN_AT("csrr t6, satp");
}
static long read_cycle(long unused) {
    return (long)RT_INSN_AT("rdcycle t6");
}
static long read_time(long unused) {
    return (long)RT_INSN_AT("rdtime t6");
}
static long read_instret(long unused) {
    return (long)RT_INSN_AT("rdinstret t6");
}

static long (*const counters[3])(long) = {read_cycle, read_time, read_instret};
static const char* const counter_names[3] = {"cycle", "time", "instret"};

/* mcounteren/scounteren bits 0..2 enable cycle, time, instret for the next lower mode. */
static void check_counters(int prv, uint64_t mcounteren, uint64_t scounteren) {
    csr_write(mcounteren, mcounteren);
    csr_write(scounteren, scounteren);
    for (int i = 0; i < 3; i++) {
        char name[96];
        bool allowed = (mcounteren >> i & 1) && (prv == PRV_S || (scounteren >> i & 1));
        snprintf(name, sizeof name, "%s in %c-mode, mcounteren=%lx scounteren=%lx: %s", counter_names[i],
                 prv == PRV_S ? 'S' : 'U', (unsigned long)mcounteren, (unsigned long)scounteren,
                 allowed ? "readable" : "illegal");
        uintptr_t pc = (uintptr_t)rt_run(prv, counters[i], 0);
        if (allowed)
            rt_check_no_trap(name);
        else
            check_illegal(name, pc);
    }
}

int main(void) {
    rt_trap_reset();
    check_illegal("sstatus from U", rt_run(PRV_U, read_sstatus, 0));
    check_illegal("mstatus from U", rt_run(PRV_U, read_mstatus, 0));
    check_illegal("satp from U", rt_run(PRV_U, read_satp, 0));
    check_illegal("mstatus from S", rt_run(PRV_S, read_mstatus, 0));
    check_illegal("mhartid from S", rt_run(PRV_S, read_mhartid, 0));
    rt_run(PRV_S, read_sstatus, 0);
    rt_check_no_trap("sstatus from S");
    rt_run(PRV_S, read_satp, 0);
    rt_check_no_trap("satp from S (TVM = 0)");

    check_illegal("csrw mhartid (read-only)", RT_INSN_AT("csrw mhartid, zero"));
    check_illegal("csrw mvendorid (read-only)", RT_INSN_AT("csrw mvendorid, zero"));
    check_illegal("csrw cycle (read-only shadow)", RT_INSN_AT("csrw cycle, zero"));
    check_illegal("csrrwi time, 0 (read-only shadow)", RT_INSN_AT("csrrwi t6, time, 0"));
    RT_INSN_AT("csrrs t6, mhartid, zero");
    RT_INSN_AT("csrrsi t6, mvendorid, 0");
    RT_INSN_AT("csrrc t6, mimpid, zero");
    rt_check_no_trap("csrrs/csrrsi/csrrc without a write on read-only CSRs");

    check_counters(PRV_S, 0, 0);
    check_counters(PRV_S, 7, 0);
    check_counters(PRV_U, 7, 0);
    check_counters(PRV_U, 2, 7);
    check_counters(PRV_U, 7, 7);
    csr_write(mcounteren, 0);
    csr_write(scounteren, 0);

    uint64_t t0 = rt_mtime();
    uint64_t time = csr_read(time);
    uint64_t t1 = rt_mtime();
    rt_check("time lies between two mtime reads", 1, t0 <= time && time <= t1);
    while (rt_mtime() == t1) {
    }
    rt_check("time advances", 1, csr_read(time) > t1);
    uint64_t c0 = csr_read(mcycle), i0 = csr_read(minstret);
    for (volatile int i = 0; i < 100; i++) {
    }
    rt_check("minstret counts at least 100 loop iterations", 1, csr_read(minstret) - i0 >= 100);
    rt_check("mcycle advances", 1, csr_read(mcycle) > c0);

    /* With C, mepc holds 2-byte aligned addresses. (QEMU 7.2 also keeps a written bit 0, which
     * the spec says reads as 0, so that bit is not checked.) */
    csr_write(mepc, RT_DRAM_BASE + 0x1002);
    rt_check("mepc holds a 2-byte aligned address", RT_DRAM_BASE + 0x1002, csr_read(mepc));
    uint64_t satp = SATP_MODE_SV39 << SATP_MODE_SHIFT | 0x80123;
    csr_write(satp, satp);
    csr_write(satp, 7ul << SATP_MODE_SHIFT | 0x80456); /* mode 7 is reserved */
    rt_check("satp write with a reserved mode is ignored", satp, csr_read(satp));
    csr_write(satp, 0);
    return 0;
}
