// Integer instruction templates of the random generator: RV64I, M, A, Zba, Zbb, Zbs, Zifencei.
#include <iterator>
#include <string>

#include "riscv_harness_layout.h"
#include "riscv_random_gen.h"

namespace mimic::riscv_random {
namespace {

constexpr uint32_t kOp = 0x33, kOp32 = 0x3b, kOpImm = 0x13, kOpImm32 = 0x1b;

struct RegOp {
    const char* name;
    const char* ext;
    uint32_t opcode;
    int f3, f7;
};

const RegOp kRv64iRegOps[] = {
    {"add", "RV64I", kOp, 0, 0x00},    {"sub", "RV64I", kOp, 0, 0x20},    {"sll", "RV64I", kOp, 1, 0x00},
    {"slt", "RV64I", kOp, 2, 0x00},    {"sltu", "RV64I", kOp, 3, 0x00},   {"xor", "RV64I", kOp, 4, 0x00},
    {"srl", "RV64I", kOp, 5, 0x00},    {"sra", "RV64I", kOp, 5, 0x20},    {"or", "RV64I", kOp, 6, 0x00},
    {"and", "RV64I", kOp, 7, 0x00},    {"addw", "RV64I", kOp32, 0, 0x00}, {"subw", "RV64I", kOp32, 0, 0x20},
    {"sllw", "RV64I", kOp32, 1, 0x00}, {"srlw", "RV64I", kOp32, 5, 0x00}, {"sraw", "RV64I", kOp32, 5, 0x20},
};

const RegOp kMOps[] = {
    {"mul", "M", kOp, 0, 1},     {"mulh", "M", kOp, 1, 1},   {"mulhsu", "M", kOp, 2, 1},  {"mulhu", "M", kOp, 3, 1},
    {"div", "M", kOp, 4, 1},     {"divu", "M", kOp, 5, 1},   {"rem", "M", kOp, 6, 1},     {"remu", "M", kOp, 7, 1},
    {"mulw", "M", kOp32, 0, 1},  {"divw", "M", kOp32, 4, 1}, {"divuw", "M", kOp32, 5, 1}, {"remw", "M", kOp32, 6, 1},
    {"remuw", "M", kOp32, 7, 1},
};

const RegOp kBitRegOps[] = {
    {"sh1add", "Zba", kOp, 2, 0x10},      {"sh2add", "Zba", kOp, 4, 0x10},      {"sh3add", "Zba", kOp, 6, 0x10},
    {"add.uw", "Zba", kOp32, 0, 0x04},    {"sh1add.uw", "Zba", kOp32, 2, 0x10}, {"sh2add.uw", "Zba", kOp32, 4, 0x10},
    {"sh3add.uw", "Zba", kOp32, 6, 0x10}, {"andn", "Zbb", kOp, 7, 0x20},        {"orn", "Zbb", kOp, 6, 0x20},
    {"xnor", "Zbb", kOp, 4, 0x20},        {"max", "Zbb", kOp, 6, 0x05},         {"maxu", "Zbb", kOp, 7, 0x05},
    {"min", "Zbb", kOp, 4, 0x05},         {"minu", "Zbb", kOp, 5, 0x05},        {"rol", "Zbb", kOp, 1, 0x30},
    {"ror", "Zbb", kOp, 5, 0x30},         {"rolw", "Zbb", kOp32, 1, 0x30},      {"rorw", "Zbb", kOp32, 5, 0x30},
    {"bclr", "Zbs", kOp, 1, 0x24},        {"bext", "Zbs", kOp, 5, 0x24},        {"binv", "Zbs", kOp, 1, 0x34},
    {"bset", "Zbs", kOp, 1, 0x14},
};

// Immediate-shift style: imm field = hi | shamt.
struct ShiftOp {
    const char* name;
    const char* ext;
    uint32_t opcode;
    int f3, hi, bits;
};

const ShiftOp kShiftOps[] = {
    {"slli", "RV64I", kOpImm, 1, 0x000, 6},    {"srli", "RV64I", kOpImm, 5, 0x000, 6},
    {"srai", "RV64I", kOpImm, 5, 0x400, 6},    {"slliw", "RV64I", kOpImm32, 1, 0x000, 5},
    {"srliw", "RV64I", kOpImm32, 5, 0x000, 5}, {"sraiw", "RV64I", kOpImm32, 5, 0x400, 5},
    {"slli.uw", "Zba", kOpImm32, 1, 0x080, 6}, {"rori", "Zbb", kOpImm, 5, 0x600, 6},
    {"roriw", "Zbb", kOpImm32, 5, 0x600, 5},   {"bclri", "Zbs", kOpImm, 1, 0x480, 6},
    {"bexti", "Zbs", kOpImm, 5, 0x480, 6},     {"binvi", "Zbs", kOpImm, 1, 0x680, 6},
    {"bseti", "Zbs", kOpImm, 1, 0x280, 6},
};

struct UnaryOp {
    const char* name;
    uint32_t opcode;
    int f3, imm;
};

const UnaryOp kZbbUnary[] = {
    {"clz", kOpImm, 1, 0x600},    {"ctz", kOpImm, 1, 0x601},     {"cpop", kOpImm, 1, 0x602},
    {"sext.b", kOpImm, 1, 0x604}, {"sext.h", kOpImm, 1, 0x605},  {"clzw", kOpImm32, 1, 0x600},
    {"ctzw", kOpImm32, 1, 0x601}, {"cpopw", kOpImm32, 1, 0x602}, {"orc.b", kOpImm, 5, 0x287},
    {"rev8", kOpImm, 5, 0x6b8},
};

Insn reg_op(Gen& g, const RegOp& op) {
    return enc_r(op.name, op.ext, op.opcode, op.f3, op.f7, g.xd(), g.xs(), g.xs());
}

void emit_reg_op(Gen& g, const RegOp* ops, size_t n) {
    g.add({reg_op(g, ops[g.rng.below(n)])});
}

void rv64i_reg(Gen& g) {
    emit_reg_op(g, kRv64iRegOps, std::size(kRv64iRegOps));
}
void m_ops(Gen& g) {
    emit_reg_op(g, kMOps, std::size(kMOps));
}
void bit_reg(Gen& g) {
    emit_reg_op(g, kBitRegOps, std::size(kBitRegOps));
}

void shift_imm(Gen& g) {
    const ShiftOp& op = g.rng.pick(kShiftOps);
    g.add({enc_shift(op.name, op.ext, op.opcode, op.f3, op.hi, g.xd(), g.xs(), g.shamt(op.bits))});
}

void zbb_unary(Gen& g) {
    const UnaryOp& op = g.rng.pick(kZbbUnary);
    if (std::string(op.name) == "ctzw") {
        // QEMU 7.2 (the reference) counts into bits 63:32 when bits 31:0 are zero, e.g. ctzw of
        // 1 << 40 gives 40 instead of 32. A sign-extended operand avoids that case.
        int t = g.xd_nonzero();
        g.add({enc_i("addiw", "RV64I", kOpImm32, 0, t, g.xs(), 0),
               enc_unary(op.name, "Zbb", op.opcode, op.f3, op.imm, g.xd(), t)});
        return;
    }
    g.add({enc_unary(op.name, "Zbb", op.opcode, op.f3, op.imm, g.xd(), g.xs())});
    // zext.h is the RV64 encoding of packw with rs2 = x0.
    if (g.rng.chance(1, 8)) g.add({enc_unary("zext.h", "Zbb", kOp32, 4, 0x080, g.xd(), g.xs())});
}

void rv64i_imm(Gen& g) {
    static const struct {
        const char* name;
        uint32_t opcode;
        int f3;
    } kOps[] = {{"addi", kOpImm, 0}, {"slti", kOpImm, 2}, {"sltiu", kOpImm, 3},  {"xori", kOpImm, 4},
                {"ori", kOpImm, 6},  {"andi", kOpImm, 7}, {"addiw", kOpImm32, 0}};
    const auto& op = g.rng.pick(kOps);
    g.add({enc_i(op.name, "RV64I", op.opcode, op.f3, g.xd(), g.xs(), g.imm12())});
}

void upper_imm(Gen& g) {
    static const uint32_t kEdges[] = {0, 1, 0x7ffff, 0x80000, 0xfffff, 0x80001};
    uint32_t imm = g.rng.chance(1, 3) ? g.rng.pick(kEdges) : static_cast<uint32_t>(g.rng.next());
    if (g.rng.chance(1, 2))
        g.add({enc_u("lui", 0x37, g.xd(), imm)});
    else
        g.add({enc_u("auipc", 0x17, g.xd(), imm)});
}

void load(Gen& g) {
    static const struct {
        const char* name;
        int f3, size;
    } kOps[] = {{"lb", 0, 1}, {"lh", 1, 2}, {"lw", 2, 4}, {"ld", 3, 8}, {"lbu", 4, 1}, {"lhu", 5, 2}, {"lwu", 6, 4}};
    const auto& op = g.rng.pick(kOps);
    std::vector<Insn> out;
    int base;
    int32_t imm;
    g.address(g.scratch_offset(op.size), out, base, imm);
    out.push_back(enc_load(op.name, "RV64I", 0x03, op.f3, g.xd(), base, imm, false));
    g.add(std::move(out));
}

void store(Gen& g) {
    static const struct {
        const char* name;
        int f3, size;
    } kOps[] = {{"sb", 0, 1}, {"sh", 1, 2}, {"sw", 2, 4}, {"sd", 3, 8}};
    const auto& op = g.rng.pick(kOps);
    std::vector<Insn> out;
    int base;
    int32_t imm;
    g.address(g.scratch_offset(op.size), out, base, imm);
    out.push_back(enc_store(op.name, "RV64I", 0x23, op.f3, g.xs(), base, imm, false));
    g.add(std::move(out));
}

void branch(Gen& g) {
    static const struct {
        const char* name;
        int f3;
    } kOps[] = {{"beq", 0}, {"bne", 1}, {"blt", 4}, {"bge", 5}, {"bltu", 6}, {"bgeu", 7}};
    int kind = g.rng.range(0, 9);
    if (kind < 6) {
        const auto& op = g.rng.pick(kOps);
        int rs1 = g.xs(), rs2 = g.rng.chance(1, 4) ? rs1 : g.xs();
        Insn insn = enc_branch(op.name, op.f3, rs1, rs2, 4);
        insn.target = g.forward_target();
        insn.relocate = [name = op.name, f3 = op.f3, rs1, rs2](int32_t off) {
            return enc_branch(name, f3, rs1, rs2, off);
        };
        g.add({insn});
    } else if (kind < 8) {
        int rd = g.rng.chance(1, 3) ? 1 : g.xd();
        Insn insn = enc_jal(rd, 4);
        insn.target = g.forward_target();
        insn.relocate = [rd](int32_t off) { return enc_jal(rd, off); };
        g.add({insn});
    } else {
        // auipc + jalr: an indirect jump whose target is still a group boundary of this block.
        int base = g.xd_nonzero(), rd = g.rng.chance(1, 3) ? 1 : g.xd();
        Insn jalr = enc_jalr(rd, base, 8);
        jalr.target = g.forward_target();
        jalr.anchor_back = 1;
        jalr.relocate = [rd, base](int32_t off) { return enc_jalr(rd, base, off); };
        g.add({enc_u("auipc", 0x17, base, 0), jalr});
    }
}

void fences(Gen& g) {
    if (g.rng.chance(1, 3)) {
        Insn insn = enc_i("fence.i", "Zifencei", 0x0f, 1, 0, 0, 0);
        insn.text = "fence.i";
        g.add({insn});
        return;
    }
    static const char* const kSets[] = {"",  "w",  "r",  "rw",  "o",  "ow",  "or",  "orw",
                                        "i", "iw", "ir", "irw", "io", "iow", "ior", "iorw"};
    int pred = g.rng.range(1, 15), succ = g.rng.range(1, 15);
    Insn insn = enc_i("fence", "RV64I", 0x0f, 0, 0, 0, pred << 4 | succ);
    insn.text = std::string("fence ") + kSets[pred] + ", " + kSets[succ];
    g.add({insn});
}

const struct {
    const char* name;
    int funct5;
} kAmoOps[] = {{"amoswap", 0x01}, {"amoadd", 0x00}, {"amoxor", 0x04},  {"amoand", 0x0c}, {"amoor", 0x08},
               {"amomin", 0x10},  {"amomax", 0x14}, {"amominu", 0x18}, {"amomaxu", 0x1c}};

// Base register pointing exactly at an aligned scratch address (AMOs have no displacement).
int amo_base(Gen& g, int addr, std::vector<Insn>& out, int avoid = -1) {
    if (addr == 0 && g.rng.chance(1, 2)) return 2;
    int base;
    do base = g.xd_nonzero();
    while (base == avoid);
    out.push_back(enc_i("addi", "RV64I", kOpImm, 0, base, 2, addr));
    return base;
}

void amo(Gen& g) {
    int f3 = g.rng.range(2, 3), size = f3 == 2 ? 4 : 8;
    const auto& op = g.rng.pick(kAmoOps);
    std::vector<Insn> out;
    int addr = g.rng.chance(1, 8) ? 0 : g.scratch_offset(size);
    int base = amo_base(g, addr, out);
    out.push_back(enc_amo(op.name, op.funct5, f3, g.rng.chance(1, 2), g.rng.chance(1, 2), g.xd(), base, g.xs()));
    g.add(std::move(out));
}

// LR/SC pair with no memory access in between, so the SC outcome is fixed: success for the same
// address, failure for an address in another 64-byte granule (the reservation set's size is
// implementation-defined; QEMU reserves the exact address, real cores a cache line).
void lr_sc(Gen& g) {
    int f3 = g.rng.range(2, 3), size = f3 == 2 ? 4 : 8;
    std::vector<Insn> out;
    int addr = g.scratch_offset(size);
    int base = amo_base(g, addr, out);
    int rd;
    do rd = g.xd();
    while (rd == base);
    out.push_back(enc_amo("lr", 0x02, f3, g.rng.chance(1, 2), g.rng.chance(1, 2), rd, base, 0));
    for (int n = g.rng.range(0, 2); n > 0; n--) {
        Insn op = reg_op(g, g.rng.pick(kRv64iRegOps));
        if (((op.bits >> 7) & 31) == static_cast<uint32_t>(base)) continue;
        out.push_back(op);
    }
    int sc_base = base;
    if (g.rng.chance(1, 6)) {
        int other = g.scratch_offset(size);
        if (other / 64 != addr / 64) sc_base = amo_base(g, other, out, base);
    }
    out.push_back(enc_amo("sc", 0x03, f3, g.rng.chance(1, 2), g.rng.chance(1, 2), g.xd(), sc_base, g.xs()));
    g.add(std::move(out));
}

}  // namespace

std::vector<Template> int_templates() {
    return {
        {"rv64i.reg", 8, rv64i_reg},
        {"rv64i.imm", 6, rv64i_imm},
        {"shift.imm", 6, shift_imm},
        {"upper", 2, upper_imm},
        {"load", 5, load},
        {"store", 4, store},
        {"branch", 5, branch},
        {"fence", 1, fences},
        {"m", 8, m_ops},
        {"amo", 4, amo},
        {"lr_sc", 3, lr_sc},
        {"bitmanip.reg", 7, bit_reg},
        {"zbb.unary", 4, zbb_unary},
    };
}

}  // namespace mimic::riscv_random
