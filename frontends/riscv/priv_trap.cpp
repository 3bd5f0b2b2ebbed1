// Trap entry, interrupt selection and trap return (privileged spec 3.1.6-3.1.9, 3.3.2, 4.1.1).
#include "frontends/riscv/priv_trap.h"

#include <cinttypes>
#include <cstdio>
#include <iterator>

#include "frontends/riscv/priv_csr.h"

namespace mimic::riscv {
namespace {

using namespace mstatus;

uint64_t get_mpp(uint64_t status) {
    return (status & kMpp) >> kMppShift;
}

uint64_t with_mpp(uint64_t status, uint64_t mpp) {
    return (status & ~kMpp) | (mpp << kMppShift);
}

// Highest-priority interrupt among `set` (spec order MEI, MSI, MTI, SEI, SSI, STI).
std::optional<uint64_t> highest(uint64_t set) {
    static constexpr Interrupt kOrder[] = {kIrqMExternal, kIrqMSoft, kIrqMTimer, kIrqSExternal, kIrqSSoft, kIrqSTimer};
    for (Interrupt i : kOrder)
        if (set & (1ull << i)) return uint64_t(i);
    return std::nullopt;
}

}  // namespace

TrapInfo take_trap(CpuState& cpu, uint64_t cause, uint64_t tval, bool interrupt) {
    PrivState& p = cpu.priv;
    TrapInfo t;
    t.hartid = p.mhartid;
    t.interrupt = interrupt;
    t.cause = cause;
    t.epc = cpu.header.pc;
    t.tval = tval;
    t.from = p.priv;
    const uint64_t deleg = interrupt ? p.mideleg : p.medeleg;
    // Traps never lower the privilege: from M they always stay in M.
    const bool to_s = p.priv <= kPrivS && cause < 64 && ((deleg >> cause) & 1);
    const uint64_t xcause = cause | (interrupt ? kInterruptBit : 0);
    uint64_t tvec;
    if (to_s) {
        p.sepc = t.epc & ~uint64_t(1);
        p.scause = xcause;
        p.stval = tval;
        uint64_t s = p.mstatus & ~(kSpp | kSpie | kSie);
        if (p.priv == kPrivS) s |= kSpp;
        if (p.mstatus & kSie) s |= kSpie;
        p.mstatus = s;
        p.priv = kPrivS;
        tvec = p.stvec;
    } else {
        p.mepc = t.epc & ~uint64_t(1);
        p.mcause = xcause;
        p.mtval = tval;
        uint64_t s = with_mpp(p.mstatus, p.priv) & ~(kMpie | kMie);
        if (p.mstatus & kMie) s |= kMpie;
        p.mstatus = s;
        p.priv = kPrivM;
        tvec = p.mtvec;
    }
    t.to = p.priv;
    t.handler = tvec & ~uint64_t(3);
    if (interrupt && (tvec & 3) == 1) t.handler += 4 * cause;  // vectored mode
    cpu.header.pc = t.handler;
    return t;
}

std::optional<uint64_t> pending_interrupt(const CpuState& cpu) {
    const PrivState& p = cpu.priv;
    const uint64_t pending = read_mip(p) & p.mie;
    if (!pending) return std::nullopt;
    const bool m_enabled = p.priv < kPrivM || (p.mstatus & kMie);
    if (m_enabled) {
        if (auto irq = highest(pending & ~p.mideleg)) return irq;
    }
    // Delegated interrupts are masked in M-mode whatever MIE says.
    const bool s_enabled = p.priv < kPrivS || (p.priv == kPrivS && (p.mstatus & kSie));
    if (s_enabled) return highest(pending & p.mideleg);
    return std::nullopt;
}

bool wfi_should_wake(const CpuState& cpu) {
    return (read_mip(cpu.priv) & cpu.priv.mie) != 0;
}

bool do_mret(CpuState& cpu) {
    PrivState& p = cpu.priv;
    if (p.priv != kPrivM) return false;
    const Priv target = Priv(get_mpp(p.mstatus));
    uint64_t s = with_mpp(p.mstatus, kPrivU) & ~kMie;
    if (p.mstatus & kMpie) s |= kMie;
    s |= kMpie;
    if (target != kPrivM) s &= ~kMprv;
    p.mstatus = s;
    p.priv = target;
    cpu.header.pc = p.mepc;
    return true;
}

bool do_sret(CpuState& cpu) {
    PrivState& p = cpu.priv;
    if (p.priv == kPrivU || (p.priv == kPrivS && (p.mstatus & kTsr))) return false;
    const Priv target = (p.mstatus & kSpp) ? kPrivS : kPrivU;
    uint64_t s = p.mstatus & ~(kSpp | kSie | kMprv);  // the target is below M: MPRV clears
    if (p.mstatus & kSpie) s |= kSie;
    s |= kSpie;
    p.mstatus = s;
    p.priv = target;
    cpu.header.pc = p.sepc;
    return true;
}

bool wfi_allowed(const CpuState& cpu) {
    const PrivState& p = cpu.priv;
    if (p.priv == kPrivM) return true;
    // With S-mode present U-mode may never wait; TW makes S-mode's wait trap at once (the spec
    // allows any bounded time first: zero is simplest and what QEMU does).
    return p.priv == kPrivS && !(p.mstatus & kTw);
}

bool sfence_allowed(const CpuState& cpu) {
    const PrivState& p = cpu.priv;
    if (p.priv == kPrivM) return true;
    return p.priv == kPrivS && !(p.mstatus & kTvm);
}

Priv data_priv(const CpuState& cpu) {
    const PrivState& p = cpu.priv;
    if (p.priv == kPrivM && (p.mstatus & kMprv)) return Priv(get_mpp(p.mstatus));
    return p.priv;
}

void reset_priv(CpuState& cpu, uint64_t hartid) {
    PrivState& p = cpu.priv;
    p.priv = kPrivM;
    p.mstatus = 0;
    p.medeleg = p.mideleg = p.mie = 0;
    p.mip = 0;
    p.seip_sw = false;
    p.mtvec = p.stvec = p.mepc = p.sepc = p.mcause = p.scause = p.mtval = p.stval = 0;
    p.mscratch = p.sscratch = p.satp = p.menvcfg = p.senvcfg = 0;
    p.mcounteren = p.scounteren = p.mcountinhibit = 0;
    p.stimecmp = ~uint64_t(0);
    p.sstc_enabled = false;
    p.pmp = PmpState{};
    p.mhartid = hartid;
    // Counters restart from zero at reset.
    const uint64_t now = p.platform ? p.platform->time_ticks() * 100 : 0;
    p.mcycle = Counter{uint64_t(0) - now, 0};
    p.minstret = Counter{uint64_t(0) - now, 0};
    if (p.platform) p.platform->arm_stimer(~uint64_t(0));
}

const char* trap_name(uint64_t cause, bool interrupt) {
    // QEMU's names, so that -d int logs compare line for line.
    static const char* const kExceptions[] = {"misaligned_fetch",
                                              "fault_fetch",
                                              "illegal_instruction",
                                              "breakpoint",
                                              "misaligned_load",
                                              "fault_load",
                                              "misaligned_store",
                                              "fault_store",
                                              "user_ecall",
                                              "supervisor_ecall",
                                              "hypervisor_ecall",
                                              "machine_ecall",
                                              "exec_page_fault",
                                              "load_page_fault",
                                              "reserved",
                                              "store_page_fault",
                                              "reserved",
                                              "reserved",
                                              "reserved",
                                              "reserved",
                                              "guest_exec_page_fault",
                                              "guest_load_page_fault",
                                              "reserved",
                                              "guest_store_page_fault"};
    static const char* const kInterrupts[] = {
        "u_software", "s_software", "vs_software", "m_software", "u_timer",  "s_timer",  "vs_timer", "m_timer",
        "u_external", "s_external", "vs_external", "m_external", "reserved", "reserved", "reserved", "reserved"};
    if (interrupt) return cause < std::size(kInterrupts) ? kInterrupts[cause] : "(unknown)";
    return cause < std::size(kExceptions) ? kExceptions[cause] : "(unknown)";
}

std::string format_trap(const TrapInfo& t) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "riscv_cpu_do_interrupt: hart:%" PRIu64 ", async:%d, cause:%016" PRIx64 ", epc:0x%016" PRIx64
                  ", tval:0x%016" PRIx64 ", desc=%s",
                  t.hartid, t.interrupt ? 1 : 0, t.cause, t.epc, t.tval, trap_name(t.cause, t.interrupt));
    return buf;
}

std::string dump_priv(const CpuState& cpu) {
    const PrivState& p = cpu.priv;
    static const char kPrivNames[] = {'U', 'S', '?', 'M'};
    std::string out = std::string(" priv     ") + kPrivNames[p.priv & 3] + "\n";
    const std::pair<const char*, uint64_t> regs[] = {{"mhartid", p.mhartid},   {"mstatus", read_mstatus(p)},
                                                     {"mip", read_mip(p)},     {"mie", p.mie},
                                                     {"mideleg", p.mideleg},   {"medeleg", p.medeleg},
                                                     {"mtvec", p.mtvec},       {"stvec", p.stvec},
                                                     {"mepc", p.mepc},         {"sepc", p.sepc},
                                                     {"mcause", p.mcause},     {"scause", p.scause},
                                                     {"mtval", p.mtval},       {"stval", p.stval},
                                                     {"mscratch", p.mscratch}, {"sscratch", p.sscratch},
                                                     {"satp", p.satp}};
    char line[64];
    for (const auto& [name, value] : regs) {
        std::snprintf(line, sizeof line, " %-8s %016" PRIx64 "\n", name, value);
        out += line;
    }
    return out;
}

}  // namespace mimic::riscv
