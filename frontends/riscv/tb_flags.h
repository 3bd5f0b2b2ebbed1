// The RISC-V TB flags: every piece of CPU mode that changes how an instruction translates. They
// are part of the TB key, so a block is never run in a mode it was not translated for.
#pragma once

#include <cstdint>

namespace mimic::riscv {

// MMU indexes (softmmu/tlb.h keeps one TLB per index): how data accesses are translated.
enum MmuIndex : uint8_t {
    kMmuUser = 0,           // U-mode translation and permissions
    kMmuSupervisor = 1,     // S-mode, mstatus.SUM clear
    kMmuSupervisorSum = 2,  // S-mode, SUM set: U pages readable and writable
    kMmuMachine = 3,        // M-mode: physical, PMP only
};

namespace tb_flags {
inline constexpr uint32_t kPrivMask = 3;       // bits 0-1: privilege (0 U, 1 S, 3 M)
inline constexpr unsigned kMmuIndexShift = 2;  // bits 2-3: MmuIndex of loads and stores
inline constexpr uint32_t kFpOff = 1 << 4;     // mstatus.FS is Off: FP instructions are illegal
// frm is not RNE: an FP instruction with a dynamic rm cannot use the RNE form of its helper (frm,
// when RNE, is the rounding of almost every program; a write to frm ends the block).
inline constexpr uint32_t kFrmNotRne = 1 << 5;
inline constexpr uint32_t kSystem = 1 << 7;  // system mode (user mode's flags are kFrmNotRne at most)

constexpr unsigned priv(uint32_t flags) {
    return flags & kPrivMask;
}
constexpr uint8_t mmu_index(uint32_t flags) {
    return uint8_t(flags >> kMmuIndexShift & 3);
}
}  // namespace tb_flags

}  // namespace mimic::riscv
