// The CSR instructions' semantics in system mode: every CSR of the privileged architecture Mimic
// implements, with the access checks that turn an access into an illegal-instruction exception and
// a report of what else the engine has to do (flush the TLB, end the block, look for interrupts).
#pragma once

#include <cstdint>

#include "frontends/riscv/cpu.h"

namespace mimic::riscv {

// What a successful access asks of the engine, besides the register update itself.
enum CsrFlags : uint32_t {
    kCsrFlushTlb = 1,  // translations or PMP permissions changed: flush this hart's TLB
    // Something the translated code depends on may have changed (FS, MPRV/MPP, SUM, MXR, TVM, TW,
    // TSR, satp): end the block after this instruction and look the next one up afresh.
    kCsrModeChanged = 2,
    // Interrupt enables, pending bits or delegation changed: check for a pending interrupt before
    // the next instruction.
    kCsrCheckInterrupts = 4,
};

struct CsrResult {
    bool ok = true;      // false: raise illegal instruction (tval = the instruction word); nothing changed
    uint32_t flags = 0;  // CsrFlags
};

enum class CsrOp : uint8_t { kWrite, kSet, kClear };

// One csrrw/csrrs/csrrc (or the immediate forms) at the current privilege. `write` is false for
// csrrs/csrrc whose source is x0 or zimm 0: they only read, so they are legal on read-only CSRs.
// On success `old` holds the value for rd.
CsrResult csr_access(CpuState& cpu, unsigned csr, CsrOp op, uint64_t src, bool write, uint64_t& old);

// Convenience forms of csr_access: a pure read, and a csrrw whose old value is dropped.
CsrResult csr_read(CpuState& cpu, unsigned csr, uint64_t& out);
CsrResult csr_write(CpuState& cpu, unsigned csr, uint64_t value);

// mstatus and mip as M-mode reads them (with SD/UXL/SXL and the external SEIP folded in).
uint64_t read_mstatus(const PrivState& p);
uint64_t read_mip(const PrivState& p);

// The counters as a CSR read returns them: mcycle and minstret run at a nominal 1 GHz derived
// from mtime (100 per tick), minus what mcountinhibit held back, plus what software wrote.
uint64_t read_mcycle(const PrivState& p);
uint64_t read_minstret(const PrivState& p);

// Sstc: the board's timer callback (any thread). Sets STIP if stimecmp has been reached.
void sstc_timer_fired(PrivState& p);

// The name of a CSR for logs and disassembly, or nullptr.
const char* priv_csr_name(unsigned csr);

}  // namespace mimic::riscv
