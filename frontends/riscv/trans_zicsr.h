// Zicsr and Zifencei. User mode reaches fflags, frm, fcsr, cycle, time and instret; system mode
// every CSR of the privileged architecture, through a helper.
#pragma once

#include "frontends/riscv/extension.h"

namespace mimic::riscv {

class Zicsr : public ExtensionTranslator {
public:
    using ExtensionTranslator::ExtensionTranslator;
    using Table = decoder::Table<Zicsr, uint32_t>;
    static const Table& table();

    bool CSRRW(uint32_t csr, uint32_t rs1, uint32_t rd) { return access(csr, rd, c.x(rs1), Op::kWrite, true); }
    bool CSRRS(uint32_t csr, uint32_t rs1, uint32_t rd) { return access(csr, rd, c.x(rs1), Op::kSet, rs1 != 0); }
    bool CSRRC(uint32_t csr, uint32_t rs1, uint32_t rd) { return access(csr, rd, c.x(rs1), Op::kClear, rs1 != 0); }
    bool CSRRWI(uint32_t csr, uint32_t zimm, uint32_t rd) {
        return access(csr, rd, ir::Builder::i64(zimm), Op::kWrite, true);
    }
    bool CSRRSI(uint32_t csr, uint32_t zimm, uint32_t rd) {
        return access(csr, rd, ir::Builder::i64(zimm), Op::kSet, zimm != 0);
    }
    bool CSRRCI(uint32_t csr, uint32_t zimm, uint32_t rd) {
        return access(csr, rd, ir::Builder::i64(zimm), Op::kClear, zimm != 0);
    }
    bool FENCE_I();

    // The request word of helper csr_access: CSR number, Op, and whether the instruction reads
    // (rd != x0) and writes.
    enum class Op { kWrite, kSet, kClear };
    static constexpr unsigned kCsrOpShift = 12;
    static constexpr uint64_t kCsrWrites = 1 << 14;
    static constexpr uint64_t kCsrReads = 1 << 15;

private:
    // csrrw with rd = x0 does not read; csrrs/csrrc with a zero source do not write.
    bool access(uint32_t csr, uint32_t rd, Value src, Op op, bool writes);
    bool system_access(uint32_t csr, uint32_t rd, Value src, Op op, bool writes);
};

// CSR numbers Mimic knows by name (for the disassembler too).
const char* csr_name(uint32_t csr);

}  // namespace mimic::riscv
