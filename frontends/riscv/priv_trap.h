// Trap entry and return for M and S mode: delegation, interrupt selection, mret/sret, the rules for
// wfi and sfence.vma, the effective privilege of data accesses, reset, and the -d int / -d cpu text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "frontends/riscv/cpu.h"

namespace mimic::riscv {

// What take_trap did, for logging.
struct TrapInfo {
    uint64_t hartid = 0;
    bool interrupt = false;
    uint64_t cause = 0;  // exception code without the interrupt bit
    uint64_t epc = 0;    // pc the trap was taken at
    uint64_t tval = 0;
    Priv from = kPrivM;
    Priv to = kPrivM;
    uint64_t handler = 0;  // the new pc
};

// Takes an exception (or, with `interrupt`, an interrupt) at cpu.header.pc: that pc goes to xepc,
// and cpu.header.pc becomes the handler's address. The trap goes to S if the current privilege is
// S or U and medeleg/mideleg delegates `cause`, else to M.
TrapInfo take_trap(CpuState& cpu, uint64_t cause, uint64_t tval, bool interrupt);

// The interrupt to take before the next instruction (its number, e.g. kIrqMTimer), if any:
// pending and enabled in mie, globally enabled for its destination privilege, highest priority
// first (M-destined before S-destined; MEI, MSI, MTI, SEI, SSI, STI).
std::optional<uint64_t> pending_interrupt(const CpuState& cpu);

// wfi resumes when any interrupt is pending and enabled in mie, whatever mstatus and mideleg say.
bool wfi_should_wake(const CpuState& cpu);

// xRET: false if illegal at the current privilege (mret below M; sret in U, or in S with TSR);
// otherwise restores the privilege and interrupt-enable stack and sets cpu.header.pc to xepc.
bool do_mret(CpuState& cpu);
bool do_sret(CpuState& cpu);

// Whether wfi is legal here (U: never, S: unless TW), and sfence.vma (U: never, S: unless TVM).
bool wfi_allowed(const CpuState& cpu);
bool sfence_allowed(const CpuState& cpu);

// The privilege loads and stores are checked and translated at: MPP while M-mode has MPRV set.
Priv data_priv(const CpuState& cpu);

// Reset state (spec 3.4): M-mode, MIE = MPRV = 0, FS off, no delegation, mtvec 0, satp Bare,
// every PMP entry off and unlocked, counters from zero. The platform pointer is kept.
void reset_priv(CpuState& cpu, uint64_t hartid);

// QEMU's -d int line, e.g. "riscv_cpu_do_interrupt: hart:0, async:0, cause:0000000000000009,
// epc:0x0000000080200000, tval:0x0000000000000000, desc=supervisor_ecall" (no newline).
std::string format_trap(const TrapInfo& t);
const char* trap_name(uint64_t cause, bool interrupt);

// The privileged registers for -d cpu, one " name     value" line each, as QEMU prints them.
std::string dump_priv(const CpuState& cpu);

}  // namespace mimic::riscv
