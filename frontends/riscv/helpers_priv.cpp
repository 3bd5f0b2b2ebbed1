// Helpers of the privileged instructions (system mode): CSR access, trap return, wfi, sfence.vma.
// The semantics live in priv_*.cpp; these adapt them to the helper calling convention and raise
// illegal instruction where the privileged architecture says so.
#include "frontends/riscv/helpers.h"
#include "frontends/riscv/priv_csr.h"
#include "frontends/riscv/priv_trap.h"
#include "frontends/riscv/trans_zicsr.h"
#include "softmmu/memory_port.h"

namespace mimic::riscv {

namespace {

uint64_t raise_illegal(CpuHeader* env, uint64_t insn) {
    env->exception_pending = 1;
    env->exception_cause = kIllegalInstruction;
    env->exception_tval = insn;
    return 0;
}

}  // namespace

// request: Zicsr's request word, with the instruction's bits in 63:32 for mtval.
uint64_t helper_csr_access(CpuHeader* env, uint64_t request, uint64_t src, uint64_t, uint64_t) {
    CpuState& cpu = *state(env);
    const unsigned csr = request & 0xfff;
    const auto op = CsrOp((request >> Zicsr::kCsrOpShift) & 3);
    const bool write = request & Zicsr::kCsrWrites;
    uint64_t old = 0;
    const CsrResult r = csr_access(cpu, csr, op, src, write, old);
    if (!r.ok) return raise_illegal(env, request >> 32);
    if (r.flags & kCsrFlushTlb) env->mem_port->flush_translations(env);
    return old;
}

uint64_t helper_mret(CpuHeader* env, uint64_t, uint64_t, uint64_t, uint64_t) {
    if (!do_mret(*state(env))) return raise_illegal(env, 0x30200073);
    return env->pc;
}

uint64_t helper_sret(CpuHeader* env, uint64_t, uint64_t, uint64_t, uint64_t) {
    if (!do_sret(*state(env))) return raise_illegal(env, 0x10200073);
    return env->pc;
}

uint64_t helper_wfi(CpuHeader* env, uint64_t, uint64_t, uint64_t, uint64_t) {
    if (!wfi_allowed(*state(env))) return raise_illegal(env, 0x10500073);
    return 0;
}

uint64_t helper_sfence_vma(CpuHeader* env, uint64_t vaddr, uint64_t asid, uint64_t which, uint64_t insn) {
    if (!sfence_allowed(*state(env))) return raise_illegal(env, insn);
    // ASIDs are not part of the TLB's tags, so flushing one flushes them all.
    if (which & 1)
        env->mem_port->flush_translation(env, vaddr);
    else
        env->mem_port->flush_translations(env);
    return 0;
}

}  // namespace mimic::riscv
