// RISC-V privileged state of one hart (privileged spec 1.12, RV64, S and U modes, Sstc, 16 PMP
// entries): the CSR values, their bit layouts, and the hook through which the hart reaches the
// machine's clock. Plain data: the operations live in priv_csr.h, priv_trap.h, priv_mmu.h, priv_pmp.h.
#pragma once

#include <atomic>
#include <cstdint>

namespace mimic::riscv {

enum Priv : uint8_t { kPrivU = 0, kPrivS = 1, kPrivM = 3 };

// The kind of a memory access, for page walks and PMP.
enum class Access : uint8_t { kRead, kWrite, kExecute };

// mstatus fields (RV64). sstatus is a view of the same word.
namespace mstatus {
inline constexpr uint64_t kSie = 1ull << 1;
inline constexpr uint64_t kMie = 1ull << 3;
inline constexpr uint64_t kSpie = 1ull << 5;
inline constexpr uint64_t kUbe = 1ull << 6;
inline constexpr uint64_t kMpie = 1ull << 7;
inline constexpr uint64_t kSpp = 1ull << 8;
inline constexpr uint64_t kVs = 3ull << 9;
inline constexpr uint64_t kMpp = 3ull << 11;
inline constexpr unsigned kMppShift = 11;
inline constexpr uint64_t kFs = 3ull << 13;
inline constexpr uint64_t kFsDirty = 3ull << 13;
inline constexpr uint64_t kXs = 3ull << 15;
inline constexpr uint64_t kMprv = 1ull << 17;
inline constexpr uint64_t kSum = 1ull << 18;
inline constexpr uint64_t kMxr = 1ull << 19;
inline constexpr uint64_t kTvm = 1ull << 20;
inline constexpr uint64_t kTw = 1ull << 21;
inline constexpr uint64_t kTsr = 1ull << 22;
inline constexpr uint64_t kUxl = 3ull << 32;
inline constexpr uint64_t kSxl = 3ull << 34;
inline constexpr uint64_t kSd = 1ull << 63;
inline constexpr uint64_t kXlen64 = (2ull << 32) | (2ull << 34);  // UXL = SXL = 64-bit, read-only

// What M-mode can change, and what sstatus shows and can change.
inline constexpr uint64_t kMWritable =
    kSie | kMie | kSpie | kMpie | kSpp | kMpp | kFs | kMprv | kSum | kMxr | kTvm | kTw | kTsr;
inline constexpr uint64_t kSReadable = kSie | kSpie | kUbe | kSpp | kVs | kFs | kXs | kSum | kMxr | kUxl | kSd;
inline constexpr uint64_t kSWritable = kSie | kSpie | kSpp | kFs | kSum | kMxr;
}  // namespace mstatus

// Interrupt numbers (mcause with bit 63 set) and their bits in mip/mie/mideleg.
enum Interrupt : uint64_t {
    kIrqSSoft = 1,
    kIrqMSoft = 3,
    kIrqSTimer = 5,
    kIrqMTimer = 7,
    kIrqSExternal = 9,
    kIrqMExternal = 11,
};
inline constexpr uint64_t kMipSsip = 1ull << kIrqSSoft;
inline constexpr uint64_t kMipMsip = 1ull << kIrqMSoft;
inline constexpr uint64_t kMipStip = 1ull << kIrqSTimer;
inline constexpr uint64_t kMipMtip = 1ull << kIrqMTimer;
inline constexpr uint64_t kMipSeip = 1ull << kIrqSExternal;
inline constexpr uint64_t kMipMeip = 1ull << kIrqMExternal;
inline constexpr uint64_t kSInterrupts = kMipSsip | kMipStip | kMipSeip;
inline constexpr uint64_t kAllInterrupts = kSInterrupts | kMipMsip | kMipMtip | kMipMeip;
inline constexpr uint64_t kInterruptBit = 1ull << 63;

// misa: RV64 (MXL=2) with A, C, D, F, I, M, S, U. Read-only.
inline constexpr uint64_t kMisa = (2ull << 62) | (1u << ('A' - 'A')) | (1u << ('C' - 'A')) | (1u << ('D' - 'A')) |
                                  (1u << ('F' - 'A')) | (1u << ('I' - 'A')) | (1u << ('M' - 'A')) |
                                  (1u << ('S' - 'A')) | (1u << ('U' - 'A'));

// Exceptions medeleg can delegate: everything but ecall from M (bit 11) and the reserved causes.
inline constexpr uint64_t kDelegableExceptions = 0xb3ff;  // causes 0-9, 12, 13, 15

// satp layout; MODE values Mimic implements.
namespace satp {
inline constexpr unsigned kModeShift = 60;
inline constexpr uint64_t kModeBare = 0, kModeSv39 = 8, kModeSv48 = 9;
inline constexpr uint64_t kPpnMask = (1ull << 44) - 1;
inline constexpr unsigned kAsidShift = 44;
}  // namespace satp

// menvcfg / senvcfg fields Mimic implements (no Zicbom/Zicboz/Svpbmt: those read as zero).
inline constexpr uint64_t kEnvcfgFiom = 1ull << 0;
inline constexpr uint64_t kMenvcfgStce = 1ull << 63;

// pmpNcfg byte.
namespace pmpcfg {
inline constexpr uint8_t kR = 1, kW = 2, kX = 4, kL = 0x80;
inline constexpr unsigned kAShift = 3;
inline constexpr uint8_t kA = 3 << kAShift;
enum Match : uint8_t { kOff = 0, kTor = 1, kNa4 = 2, kNapot = 3 };
}  // namespace pmpcfg

// The machine side of a hart, implemented by the board. Called on the hart's own thread.
class HartPlatform {
public:
    virtual ~HartPlatform() = default;
    // mtime: ticks of the machine's 10 MHz timebase. Must be monotonic.
    virtual uint64_t time_ticks() = 0;
    // Sstc: the supervisor timer now fires when time reaches `deadline` (in ticks; ~0 disarms).
    // The board arms a one-shot timer whose callback calls sstc_timer_fired() (priv_csr.h) and
    // then asks the hart to leave its run loop so it sees the interrupt.
    virtual void arm_stimer(uint64_t deadline) = 0;
};

// A counter (mcycle, minstret) driven by a monotonic source, writable, and stopped while its
// mcountinhibit bit is set.
struct Counter {
    uint64_t offset = 0;  // value = source + offset while counting
    uint64_t held = 0;    // value while inhibited
};

struct PmpState {
    static constexpr unsigned kEntries = 16;
    static constexpr uint64_t kAddrMask = (1ull << 54) - 1;  // pmpaddr holds physical address bits 55:2
    uint8_t cfg[kEntries] = {};
    uint64_t addr[kEntries] = {};
};

struct PrivState {
    Priv priv = kPrivM;
    // The stored mstatus fields (kMWritable); UXL, SXL and SD are added when read.
    uint64_t mstatus = 0;
    uint64_t medeleg = 0;
    uint64_t mideleg = 0;
    uint64_t mie = 0;
    // Pending interrupts. Devices on other threads change MEIP, MSIP, MTIP, SEIP (the external
    // controller's level) and, with Sstc, STIP by atomic or/and; the hart writes SSIP and STIP.
    std::atomic<uint64_t> mip{0};
    // The software-writable SEIP bit, kept apart from the controller's line: a CSR read of mip
    // returns their OR, but only this bit takes part in csrrs/csrrc (spec 3.1.9).
    bool seip_sw = false;
    uint64_t mtvec = 0, stvec = 0;
    uint64_t mepc = 0, sepc = 0;
    uint64_t mcause = 0, scause = 0;
    uint64_t mtval = 0, stval = 0;
    uint64_t mscratch = 0, sscratch = 0;
    uint64_t satp = 0;
    uint64_t menvcfg = 0, senvcfg = 0;
    uint32_t mcounteren = 0, scounteren = 0, mcountinhibit = 0;
    // Sstc. Atomic because the board's timer callback compares against them on its own thread.
    std::atomic<uint64_t> stimecmp{~uint64_t(0)};
    std::atomic<bool> sstc_enabled{false};  // mirrors menvcfg.STCE for that callback
    Counter mcycle, minstret;
    PmpState pmp;
    uint64_t mhartid = 0;
    HartPlatform* platform = nullptr;  // null: no time CSR (illegal), counters stand still
};

}  // namespace mimic::riscv
