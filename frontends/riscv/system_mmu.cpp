// RISC-V translation for the soft-MMU: MMU index to privilege, the page walk, then PMP on the
// physical address, and what of the result a TLB entry may cache for the whole page.
#include "frontends/riscv/system_mmu.h"

#include <atomic>

#include "frontends/riscv/priv_pmp.h"
#include "frontends/riscv/priv_trap.h"
#include "frontends/riscv/tb_flags.h"

namespace mimic::riscv {

namespace {

Priv priv_of(unsigned mmu_index) {
    switch (mmu_index) {
        case kMmuUser: return kPrivU;
        case kMmuSupervisor:
        case kMmuSupervisorSum: return kPrivS;
        default: return kPrivM;
    }
}

riscv::Access to_riscv(mimic::Access a) {
    switch (a) {
        case mimic::Access::kRead: return riscv::Access::kRead;
        case mimic::Access::kWrite: return riscv::Access::kWrite;
        case mimic::Access::kExecute: return riscv::Access::kExecute;
    }
    return riscv::Access::kRead;
}

uint64_t fault_cause(mimic::Access a, uint64_t fetch, uint64_t load, uint64_t store) {
    return a == mimic::Access::kExecute ? fetch : a == mimic::Access::kRead ? load : store;
}

}  // namespace

MmuIndex data_mmu_index(const CpuState& cpu) {
    switch (data_priv(cpu)) {
        case kPrivU: return kMmuUser;
        case kPrivS: return (cpu.priv.mstatus & mstatus::kSum) ? kMmuSupervisorSum : kMmuSupervisor;
        default: return kMmuMachine;
    }
}

uint32_t system_tb_flags(const CpuState& cpu) {
    uint32_t flags = tb_flags::kSystem | cpu.priv.priv | uint32_t(data_mmu_index(cpu)) << tb_flags::kMmuIndexShift;
    if ((cpu.priv.mstatus & mstatus::kFs) == 0) flags |= tb_flags::kFpOff;
    return flags;
}

softmmu::AddressTranslator::Result SystemAddressTranslator::translate(CpuHeader* env, uint64_t vaddr,
                                                                      mimic::Access access, unsigned mmu_index) {
    const CpuState& cpu = *state(env);
    const Priv priv = priv_of(mmu_index);
    const WalkResult walk = riscv::translate(cpu, *this, vaddr, to_riscv(access), priv);
    Result r;
    if (!walk.ok) {
        r.cause = walk.cause;
        return r;
    }
    // PMP on the physical address: the access itself, then what holds for the whole page.
    if (!pmp_check(cpu.priv, walk.paddr, 1, to_riscv(access), priv)) {
        r.cause = access_fault_cause(access);
        return r;
    }
    r.ok = true;
    r.paddr = walk.paddr;
    r.page_bits = walk.page_shift;
    const uint64_t page = walk.paddr & ~(kGuestPageSize - 1);
    if (pmp_page_uniform(cpu.priv, page, kGuestPageBits, priv)) {
        const uint8_t perms = pmp_perms(cpu.priv, page, 1, priv);
        r.cache_read = walk.readable && (perms & pmpcfg::kR);
        r.cache_write = walk.writable && (perms & pmpcfg::kW);
        r.cache_exec = walk.executable && (perms & pmpcfg::kX);
    }
    return r;
}

uint64_t SystemAddressTranslator::access_fault_cause(mimic::Access access) const {
    return fault_cause(access, kInstructionAccessFault, kLoadAccessFault, kStoreAccessFault);
}

uint64_t SystemAddressTranslator::misaligned_cause(mimic::Access access) const {
    return fault_cause(access, kInstructionMisaligned, kLoadMisaligned, kStoreMisaligned);
}

// S-mode fetches fill kMmuSupervisor whatever SUM is (clearing or setting it flushes nothing):
// they fault on U pages, and SUM changes nothing else a walk grants.
unsigned SystemAddressTranslator::fetch_mmu_index(const CpuHeader* env) const {
    switch (reinterpret_cast<const CpuState*>(env)->priv.priv) {
        case kPrivU: return kMmuUser;
        case kPrivS: return kMmuSupervisor;
        default: return kMmuMachine;
    }
}

unsigned SystemAddressTranslator::data_mmu_index(const CpuHeader* env) const {
    return riscv::data_mmu_index(*reinterpret_cast<const CpuState*>(env));
}

bool SystemAddressTranslator::load64(uint64_t paddr, uint64_t& value) {
    const uint8_t* p = memory_.ram_pointer(paddr, 8);
    if (!p || (paddr & 7)) return false;
    value = __atomic_load_n(reinterpret_cast<const uint64_t*>(p), __ATOMIC_ACQUIRE);  // harts set A/D concurrently
    return true;
}

PtwMemory::Cas SystemAddressTranslator::cas64(uint64_t paddr, uint64_t expected, uint64_t desired) {
    uint8_t* p = memory_.ram_pointer(paddr, 8);
    if (!p || (paddr & 7)) return Cas::kFault;
    // Only the A and D bits change. Running code from a page table is not something a guest can
    // expect to survive an A/D update (and invalidating here, under the engine's lock during a
    // translation's page walk, would deadlock).
    return std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t*>(p)).compare_exchange_strong(expected, desired)
               ? Cas::kSwapped
               : Cas::kChanged;
}

}  // namespace mimic::riscv
