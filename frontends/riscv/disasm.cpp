// RISC-V disassembly for -d in_asm. Capstone 4 has no RISC-V, so Mimic prints its own, driven by
// the operand syntax strings of the decode tables:
//   xd xs xt     integer rd, rs1, rs2        fd fs ft fu   FP rd, rs1, rs2, rs3
//   i            I-immediate                 S             S-immediate (offset of a store)
//   b j          branch/jump target (pc-relative, printed absolute)
//   U            U-immediate (upper 20 bits) h             shift amount
//   c            CSR                         z             5-bit zero-extended immediate
//   m            rounding mode               "i(xs)" / "S(xs)" / "(xs)"   memory operands
#include <cinttypes>
#include <cstdio>

#include "frontends/riscv/frontend.h"
#include "frontends/riscv/immediates.h"
#include "frontends/riscv/trans_zicsr.h"

namespace mimic::riscv {
namespace {

std::string operand(std::string_view tok, uint32_t insn, uint64_t pc) {
    const uint32_t rd = insn >> 7 & 31, rs1 = insn >> 15 & 31, rs2 = insn >> 20 & 31, rs3 = insn >> 27;
    char buf[48];
    if (tok.size() == 2 && (tok[0] == 'x' || tok[0] == 'f')) {
        const uint32_t r = tok[1] == 'd' ? rd : tok[1] == 's' ? rs1 : tok[1] == 't' ? rs2 : rs3;
        return tok[0] == 'x' ? kXNames[r] : kFNames[r];
    }
    if (const size_t paren = tok.find('('); paren != std::string_view::npos) {
        const std::string base = operand(tok.substr(paren + 1, tok.size() - paren - 2), insn, pc);
        return (paren ? operand(tok.substr(0, paren), insn, pc) : std::string()) + "(" + base + ")";
    }
    switch (tok.empty() ? 0 : tok[0]) {
        case 'i': std::snprintf(buf, sizeof buf, "%" PRId64, imm_i(insn >> 20)); break;
        case 'S': std::snprintf(buf, sizeof buf, "%" PRId64, imm_s(insn >> 25, insn >> 7 & 31)); break;
        case 'b': std::snprintf(buf, sizeof buf, "0x%" PRIx64, pc + uint64_t(imm_b(insn >> 25, insn >> 7 & 31))); break;
        case 'j': std::snprintf(buf, sizeof buf, "0x%" PRIx64, pc + uint64_t(imm_j(insn >> 12))); break;
        case 'U': std::snprintf(buf, sizeof buf, "0x%" PRIx32, insn >> 12); break;
        case 'h': std::snprintf(buf, sizeof buf, "%u", insn >> 20 & 63); break;
        case 'z': std::snprintf(buf, sizeof buf, "%u", rs1); break;
        case 'c': {
            const uint32_t csr = insn >> 20;
            if (const char* name = csr_name(csr)) return name;
            std::snprintf(buf, sizeof buf, "0x%03x", csr);
            break;
        }
        case 'm': {
            static const char* const kModes[] = {"rne", "rtz", "rdn", "rup", "rmm", "rm5", "rm6", "dyn"};
            return kModes[insn >> 12 & 7];
        }
        default: return std::string(tok);
    }
    return buf;
}

}  // namespace

std::string disassemble_one(uint32_t insn, uint64_t pc) {
    for (const Extension& ext : extensions()) {
        const auto text = ext.describe(insn);
        if (!text) continue;
        std::string out(text->mnemonic);
        std::string_view syntax = text->syntax;
        for (bool first = true; !syntax.empty(); first = false) {
            const size_t comma = syntax.find(',');
            out += first ? " " : ",";
            out += operand(syntax.substr(0, comma), insn, pc);
            if (comma == std::string_view::npos) break;
            syntax.remove_prefix(comma + 1);
        }
        return out;
    }
    return "(unknown)";
}

}  // namespace mimic::riscv
