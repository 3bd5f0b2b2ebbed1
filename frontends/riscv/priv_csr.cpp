// CSR reads and writes with the privileged spec's access rules (chapter 2 and the CSR descriptions
// of chapters 3 and 4), WARL legalization, counters and Sstc.
#include "frontends/riscv/priv_csr.h"

#include <optional>

#include "frontends/riscv/priv_pmp.h"

namespace mimic::riscv {
namespace {

enum Csr : unsigned {
    kCsrFflags = 0x001,
    kCsrFrm = 0x002,
    kCsrFcsr = 0x003,
    kCsrSstatus = 0x100,
    kCsrSie = 0x104,
    kCsrStvec = 0x105,
    kCsrScounteren = 0x106,
    kCsrSenvcfg = 0x10a,
    kCsrSscratch = 0x140,
    kCsrSepc = 0x141,
    kCsrScause = 0x142,
    kCsrStval = 0x143,
    kCsrSip = 0x144,
    kCsrStimecmp = 0x14d,
    kCsrSatp = 0x180,
    kCsrMstatus = 0x300,
    kCsrMisa = 0x301,
    kCsrMedeleg = 0x302,
    kCsrMideleg = 0x303,
    kCsrMie = 0x304,
    kCsrMtvec = 0x305,
    kCsrMcounteren = 0x306,
    kCsrMenvcfg = 0x30a,
    kCsrMcountinhibit = 0x320,
    kCsrMhpmevent3 = 0x323,
    kCsrMhpmevent31 = 0x33f,
    kCsrMscratch = 0x340,
    kCsrMepc = 0x341,
    kCsrMcause = 0x342,
    kCsrMtval = 0x343,
    kCsrMip = 0x344,
    kCsrPmpcfg0 = 0x3a0,
    kCsrPmpcfg15 = 0x3af,
    kCsrPmpaddr0 = 0x3b0,
    kCsrPmpaddr63 = 0x3ef,
    kCsrMcycle = 0xb00,
    kCsrMinstret = 0xb02,
    kCsrMhpmcounter3 = 0xb03,
    kCsrMhpmcounter31 = 0xb1f,
    kCsrCycle = 0xc00,
    kCsrTime = 0xc01,
    kCsrInstret = 0xc02,
    kCsrHpmcounter31 = 0xc1f,
    kCsrMvendorid = 0xf11,
    kCsrMarchid = 0xf12,
    kCsrMimpid = 0xf13,
    kCsrMhartid = 0xf14,
    kCsrMconfigptr = 0xf15,
};

constexpr uint32_t kCounterenTm = 1u << 1;
constexpr uint32_t kInhibitCy = 1u << 0, kInhibitIr = 1u << 2;

uint64_t time_now(const PrivState& p) {
    return p.platform ? p.platform->time_ticks() : 0;
}

// mcycle and minstret count a nominal 1 GHz clock: 100 cycles per 10 MHz tick.
uint64_t counter_source(const PrivState& p) {
    return time_now(p) * 100;
}

uint64_t counter_value(const PrivState& p, const Counter& c, uint32_t inhibit_bit) {
    return (p.mcountinhibit & inhibit_bit) ? c.held : counter_source(p) + c.offset;
}

void counter_set(PrivState& p, Counter& c, uint32_t inhibit_bit, uint64_t value) {
    if (p.mcountinhibit & inhibit_bit)
        c.held = value;
    else
        c.offset = value - counter_source(p);
}

// Stopping a counter freezes its value; restarting it resumes from there.
void counter_inhibit(PrivState& p, Counter& c, uint32_t inhibit_bit, uint32_t new_inhibit) {
    const bool was = p.mcountinhibit & inhibit_bit, now = new_inhibit & inhibit_bit;
    if (!was && now) c.held = counter_source(p) + c.offset;
    if (was && !now) c.offset = c.held - counter_source(p);
}

bool sstc_active(const PrivState& p) {
    return (p.menvcfg & kMenvcfgStce) != 0;
}

// With Sstc active STIP follows time >= stimecmp; the board's timer covers the future deadline.
void sstc_refresh(PrivState& p) {
    if (!sstc_active(p)) {
        if (p.platform) p.platform->arm_stimer(~uint64_t(0));
        return;
    }
    const uint64_t cmp = p.stimecmp.load();
    const bool due = time_now(p) >= cmp;
    if (due)
        p.mip.fetch_or(kMipStip);
    else
        p.mip.fetch_and(~kMipStip);
    if (p.platform) p.platform->arm_stimer(due ? ~uint64_t(0) : cmp);
}

// cycle/time/instret/hpmcounterN below M: mcounteren gates S, and both registers gate U.
bool counter_enabled(const PrivState& p, unsigned index) {
    const uint32_t bit = 1u << index;
    if (p.priv == kPrivM) return true;
    if (!(p.mcounteren & bit)) return false;
    return p.priv == kPrivS || (p.scounteren & bit);
}

// The checks that depend on state rather than on the CSR number.
bool allowed(const CpuState& cpu, unsigned csr) {
    const PrivState& p = cpu.priv;
    switch (csr) {
        case kCsrFflags:
        case kCsrFrm:
        case kCsrFcsr: return (p.mstatus & mstatus::kFs) != 0;
        case kCsrSatp: return !(p.priv == kPrivS && (p.mstatus & mstatus::kTvm));
        case kCsrStimecmp: return p.priv == kPrivM || (sstc_active(p) && (p.mcounteren & kCounterenTm));
        case kCsrTime: return p.platform != nullptr && counter_enabled(p, 1);
        default: break;
    }
    if (csr >= kCsrCycle && csr <= kCsrHpmcounter31) return counter_enabled(p, csr - kCsrCycle);
    return true;
}

uint64_t mip_for_rmw(const PrivState& p) {
    return (p.mip.load() & ~kMipSeip) | (p.seip_sw ? kMipSeip : 0);
}

// The value a read returns, or nothing if the CSR does not exist. `rmw` asks for the value
// csrrs/csrrc modify, which differs from the visible one only in mip.SEIP.
std::optional<uint64_t> read(const CpuState& cpu, unsigned csr, bool rmw) {
    const PrivState& p = cpu.priv;
    switch (csr) {
        case kCsrFflags: return cpu.fflags;
        case kCsrFrm: return cpu.frm;
        case kCsrFcsr: return (cpu.frm << 5) | cpu.fflags;
        case kCsrSstatus: return read_mstatus(p) & mstatus::kSReadable;
        case kCsrSie: return p.mie & p.mideleg;
        case kCsrStvec: return p.stvec;
        case kCsrScounteren: return p.scounteren;
        case kCsrSenvcfg: return p.senvcfg;
        case kCsrSscratch: return p.sscratch;
        case kCsrSepc: return p.sepc;
        case kCsrScause: return p.scause;
        case kCsrStval: return p.stval;
        case kCsrSip: return (rmw ? mip_for_rmw(p) : read_mip(p)) & p.mideleg;
        case kCsrStimecmp: return p.stimecmp.load();
        case kCsrSatp: return p.satp;
        case kCsrMstatus: return read_mstatus(p);
        case kCsrMisa: return kMisa;
        case kCsrMedeleg: return p.medeleg;
        case kCsrMideleg: return p.mideleg;
        case kCsrMie: return p.mie;
        case kCsrMtvec: return p.mtvec;
        case kCsrMcounteren: return p.mcounteren;
        case kCsrMenvcfg: return p.menvcfg;
        case kCsrMcountinhibit: return p.mcountinhibit;
        case kCsrMscratch: return p.mscratch;
        case kCsrMepc: return p.mepc;
        case kCsrMcause: return p.mcause;
        case kCsrMtval: return p.mtval;
        case kCsrMip: return rmw ? mip_for_rmw(p) : read_mip(p);
        case kCsrMcycle:
        case kCsrCycle: return read_mcycle(p);
        case kCsrMinstret:
        case kCsrInstret: return read_minstret(p);
        case kCsrTime: return time_now(p);
        case kCsrMvendorid:
        case kCsrMarchid:
        case kCsrMimpid:
        case kCsrMconfigptr: return 0;
        case kCsrMhartid: return p.mhartid;
        default: break;
    }
    // Performance-monitoring counters and events exist (firmware probes them) but count nothing.
    if ((csr >= kCsrMhpmevent3 && csr <= kCsrMhpmevent31) || (csr >= kCsrMhpmcounter3 && csr <= kCsrMhpmcounter31) ||
        (csr > kCsrInstret && csr <= kCsrHpmcounter31))
        return 0;
    // RV64 has only the even pmpcfg registers; 16 entries need pmpcfg0 and pmpcfg2.
    if (csr >= kCsrPmpcfg0 && csr <= kCsrPmpcfg15) {
        const unsigned n = csr - kCsrPmpcfg0;
        if (n % 2 != 0 || n * 4 >= PmpState::kEntries) return std::nullopt;
        return pmpcfg_read(p, n);
    }
    if (csr >= kCsrPmpaddr0 && csr <= kCsrPmpaddr63) {
        const unsigned n = csr - kCsrPmpaddr0;
        if (n >= PmpState::kEntries) return std::nullopt;
        return pmpaddr_read(p, n);
    }
    return std::nullopt;
}

uint32_t write_status(PrivState& p, uint64_t value, uint64_t mask) {
    using namespace mstatus;
    const uint64_t old = p.mstatus;
    uint64_t v = (old & ~mask) | (value & mask);
    if (((v & kMpp) >> kMppShift) == 2) v = (v & ~kMpp) | (old & kMpp);  // MPP is WARL: H does not exist
    // FS is reported Dirty whenever on: FP instructions need not track dirtiness, and software that
    // writes Clean merely saves its FP state once more.
    if (v & kFs) v |= kFsDirty;
    p.mstatus = v;
    const uint64_t diff = old ^ v;
    uint32_t flags = 0;
    if (diff & (kMie | kSie)) flags |= kCsrCheckInterrupts;
    // SUM picks another MMU index (kMmuSupervisorSum), whose entries stay valid while it is clear:
    // Linux sets and clears it around every access to user memory, and must not flush each time.
    const uint64_t translation = kMxr | kMprv | (((old | v) & kMprv) ? kMpp : 0);
    if (diff & translation) flags |= kCsrFlushTlb | kCsrModeChanged;
    if (diff & kSum) flags |= kCsrModeChanged;
    if (diff & (kFs | kTvm | kTw | kTsr)) flags |= kCsrModeChanged;
    return flags;
}

// Applies the software-writable bits `writable` of mip (SSIP, SEIP, STIP when Sstc is off) without
// disturbing the lines devices drive concurrently.
uint32_t write_mip(PrivState& p, uint64_t value, uint64_t writable) {
    const uint64_t hart_bits = writable & (kMipSsip | kMipStip);
    p.mip.fetch_or(value & hart_bits);
    p.mip.fetch_and(~(~value & hart_bits));
    if (writable & kMipSeip) p.seip_sw = (value & kMipSeip) != 0;
    return kCsrCheckInterrupts;
}

uint32_t write_tvec(uint64_t& tvec, uint64_t value) {
    if ((value & 3) < 2) tvec = value;  // modes 2 and 3 are reserved: the write is dropped
    return 0;
}

uint32_t write(CpuState& cpu, unsigned csr, uint64_t v) {
    PrivState& p = cpu.priv;
    switch (csr) {
        case kCsrFflags: cpu.fflags = v & 0x1f; return 0;
        case kCsrFrm: cpu.frm = v & 7; return 0;
        case kCsrFcsr:
            cpu.fflags = v & 0x1f;
            cpu.frm = (v >> 5) & 7;
            return 0;
        case kCsrSstatus: return write_status(p, v, mstatus::kSWritable);
        case kCsrMstatus: return write_status(p, v, mstatus::kMWritable);
        case kCsrSie: p.mie = (p.mie & ~p.mideleg) | (v & p.mideleg); return kCsrCheckInterrupts;
        case kCsrMie: p.mie = v & kAllInterrupts; return kCsrCheckInterrupts;
        case kCsrSip: return write_mip(p, v, kMipSsip & p.mideleg);
        case kCsrMip: return write_mip(p, v, kMipSsip | kMipSeip | (sstc_active(p) ? 0 : kMipStip));
        case kCsrMideleg: p.mideleg = v & kSInterrupts; return kCsrCheckInterrupts;
        case kCsrMedeleg: p.medeleg = v & kDelegableExceptions; return 0;
        case kCsrStvec: return write_tvec(p.stvec, v);
        case kCsrMtvec: return write_tvec(p.mtvec, v);
        case kCsrSepc: p.sepc = v & ~uint64_t(1); return 0;
        case kCsrMepc: p.mepc = v & ~uint64_t(1); return 0;
        case kCsrScause: p.scause = v; return 0;
        case kCsrMcause: p.mcause = v; return 0;
        case kCsrStval: p.stval = v; return 0;
        case kCsrMtval: p.mtval = v; return 0;
        case kCsrSscratch: p.sscratch = v; return 0;
        case kCsrMscratch: p.mscratch = v; return 0;
        case kCsrScounteren: p.scounteren = uint32_t(v); return 0;
        case kCsrMcounteren: p.mcounteren = uint32_t(v); return 0;
        case kCsrSenvcfg: p.senvcfg = v & kEnvcfgFiom; return 0;
        case kCsrMenvcfg: {
            const uint64_t old = p.menvcfg;
            p.menvcfg = v & (kEnvcfgFiom | kMenvcfgStce);
            if (!((old ^ p.menvcfg) & kMenvcfgStce)) return 0;
            p.sstc_enabled = sstc_active(p);
            sstc_refresh(p);
            return kCsrCheckInterrupts;
        }
        case kCsrStimecmp:
            p.stimecmp = v;
            if (!sstc_active(p)) return 0;
            sstc_refresh(p);
            return kCsrCheckInterrupts;
        case kCsrSatp: {
            const uint64_t mode = v >> satp::kModeShift;
            if (mode != satp::kModeBare && mode != satp::kModeSv39 && mode != satp::kModeSv48) return 0;
            if (v == p.satp) return 0;
            p.satp = v;
            return kCsrFlushTlb | kCsrModeChanged;
        }
        case kCsrMcountinhibit: {
            const uint32_t inhibit = uint32_t(v) & ~kCounterenTm;  // time cannot be inhibited
            counter_inhibit(p, p.mcycle, kInhibitCy, inhibit);
            counter_inhibit(p, p.minstret, kInhibitIr, inhibit);
            p.mcountinhibit = inhibit;
            return 0;
        }
        case kCsrMcycle: counter_set(p, p.mcycle, kInhibitCy, v); return 0;
        case kCsrMinstret: counter_set(p, p.minstret, kInhibitIr, v); return 0;
        default: break;
    }
    if (csr >= kCsrPmpcfg0 && csr <= kCsrPmpcfg15)
        return pmpcfg_write(p, csr - kCsrPmpcfg0, v) ? uint32_t(kCsrFlushTlb) : 0u;
    if (csr >= kCsrPmpaddr0 && csr <= kCsrPmpaddr63)
        return pmpaddr_write(p, csr - kCsrPmpaddr0, v) ? uint32_t(kCsrFlushTlb) : 0u;
    return 0;  // misa, hpm counters and events: WARL, writes ignored
}

}  // namespace

uint64_t read_mstatus(const PrivState& p) {
    uint64_t v = p.mstatus | mstatus::kXlen64;
    if ((v & mstatus::kFs) == mstatus::kFsDirty) v |= mstatus::kSd;
    return v;
}

uint64_t read_mip(const PrivState& p) {
    return p.mip.load() | (p.seip_sw ? kMipSeip : 0);
}

uint64_t read_mcycle(const PrivState& p) {
    return counter_value(p, p.mcycle, kInhibitCy);
}

uint64_t read_minstret(const PrivState& p) {
    return counter_value(p, p.minstret, kInhibitIr);
}

void sstc_timer_fired(PrivState& p) {
    if (!p.sstc_enabled.load() || !p.platform) return;
    if (p.platform->time_ticks() >= p.stimecmp.load()) p.mip.fetch_or(kMipStip);
}

CsrResult csr_access(CpuState& cpu, unsigned csr, CsrOp op, uint64_t src, bool write_csr, uint64_t& old) {
    const PrivState& p = cpu.priv;
    CsrResult fail{false, 0};
    csr &= 0xfff;
    if (((csr >> 8) & 3) > p.priv) return fail;      // csr[9:8]: lowest privilege allowed
    if (write_csr && (csr >> 10) == 3) return fail;  // csr[11:10] == 3: read-only
    if (!allowed(cpu, csr)) return fail;
    const std::optional<uint64_t> value = read(cpu, csr, false);
    if (!value) return fail;
    old = *value;
    if (!write_csr) return {};
    const uint64_t base = (csr == kCsrMip || csr == kCsrSip) ? *read(cpu, csr, true) : old;
    uint64_t next = src;
    if (op == CsrOp::kSet) next = base | src;
    if (op == CsrOp::kClear) next = base & ~src;
    return {true, write(cpu, csr, next)};
}

CsrResult csr_read(CpuState& cpu, unsigned csr, uint64_t& out) {
    return csr_access(cpu, csr, CsrOp::kSet, 0, false, out);
}

CsrResult csr_write(CpuState& cpu, unsigned csr, uint64_t value) {
    uint64_t ignored;
    return csr_access(cpu, csr, CsrOp::kWrite, value, true, ignored);
}

}  // namespace mimic::riscv
