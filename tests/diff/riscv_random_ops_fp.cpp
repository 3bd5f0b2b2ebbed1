// Floating-point and fcsr templates of the random generator: F, D and Zicsr on fflags/frm/fcsr.
// Every write keeps frm in 0..4, so instructions using the dynamic rounding mode stay legal.
#include "riscv_random_gen.h"

namespace mimic::riscv_random {
namespace {

const char* fp_ext(int fmt) {
    return fmt == 0 ? "F" : "D";
}
const char* sfx(int fmt) {
    return fmt == 0 ? "s" : "d";
}
std::string nm(const char* base, int fmt) {
    return std::string(base) + "." + sfx(fmt);
}

void fp_arith(Gen& g) {
    static const struct {
        const char* name;
        int f7;
    } kOps[] = {{"fadd", 0x00}, {"fsub", 0x04}, {"fmul", 0x08}, {"fdiv", 0x0c}};
    int fmt = g.rng.range(0, 1);
    const auto& op = g.rng.pick(kOps);
    std::string name = nm(op.name, fmt);
    g.add({enc_fp_rm(name.c_str(), fp_ext(fmt), op.f7 | fmt, g.rm(), g.fr(), g.fr(), g.fr(), 'f', 'f', true, true)});
}

void fp_sqrt(Gen& g) {
    int fmt = g.rng.range(0, 1);
    std::string name = nm("fsqrt", fmt);
    g.add({enc_fp_rm(name.c_str(), fp_ext(fmt), 0x2c | fmt, g.rm(), g.fr(), g.fr(), 0, 'f', 'f', false, true)});
}

void fp_sign_minmax(Gen& g) {
    static const struct {
        const char* name;
        int f7, f3;
    } kOps[] = {{"fsgnj", 0x10, 0}, {"fsgnjn", 0x10, 1}, {"fsgnjx", 0x10, 2}, {"fmin", 0x14, 0}, {"fmax", 0x14, 1}};
    int fmt = g.rng.range(0, 1);
    const auto& op = g.rng.pick(kOps);
    std::string name = nm(op.name, fmt);
    int rs1 = g.fr(), rs2 = g.rng.chance(1, 4) ? rs1 : g.fr();
    g.add({enc_fp_r(name.c_str(), fp_ext(fmt), op.f7 | fmt, op.f3, g.fr(), rs1, rs2, 'f', 'f', true)});
}

void fp_compare_class(Gen& g) {
    static const struct {
        const char* name;
        int f7, f3;
        bool binary;
    } kOps[] = {{"feq", 0x50, 2, true}, {"flt", 0x50, 1, true}, {"fle", 0x50, 0, true}, {"fclass", 0x70, 1, false}};
    int fmt = g.rng.range(0, 1);
    const auto& op = g.rng.pick(kOps);
    std::string name = nm(op.name, fmt);
    int rs2 = op.binary ? g.fr() : 0;
    g.add({enc_fp_r(name.c_str(), fp_ext(fmt), op.f7 | fmt, op.f3, g.xd(), g.fr(), rs2, 'x', 'f', op.binary)});
}

void fp_move(Gen& g) {
    int fmt = g.rng.range(0, 1);
    const char* ext = fp_ext(fmt);
    if (g.rng.chance(1, 2)) {
        const char* name = fmt == 0 ? "fmv.x.w" : "fmv.x.d";
        g.add({enc_fp_r(name, ext, 0x70 | fmt, 0, g.xd(), g.fr(), 0, 'x', 'f', false)});
    } else {
        const char* name = fmt == 0 ? "fmv.w.x" : "fmv.d.x";
        g.add({enc_fp_r(name, ext, 0x78 | fmt, 0, g.fr(), g.xs(), 0, 'f', 'x', false)});
    }
}

void fp_convert(Gen& g) {
    static const char* const kInt[] = {"w", "wu", "l", "lu"};
    int fmt = g.rng.range(0, 1), kind = g.rng.range(0, 3), rm = g.rm();
    const char* ext = fp_ext(fmt);
    switch (g.rng.range(0, 4)) {
        case 0:
        case 1: {  // fp -> int
            std::string name = std::string("fcvt.") + kInt[kind] + "." + sfx(fmt);
            g.add({enc_fp_rm(name.c_str(), ext, 0x60 | fmt, rm, g.xd(), g.fr(), kind, 'x', 'f', false, true)});
            break;
        }
        case 2:
        case 3: {  // int -> fp; int32 -> double is exact and takes no rm in GNU as
            std::string name = std::string("fcvt.") + sfx(fmt) + "." + kInt[kind];
            bool exact = fmt == 1 && kind < 2;
            g.add({enc_fp_rm(name.c_str(), ext, 0x68 | fmt, rm, g.fr(), g.xs(), kind, 'f', 'x', false, !exact)});
            break;
        }
        default:  // between formats (both need D)
            if (g.rng.chance(1, 2))
                g.add({enc_fp_rm("fcvt.s.d", "D", 0x20, rm, g.fr(), g.fr(), 1, 'f', 'f', false, true)});
            else
                g.add({enc_fp_rm("fcvt.d.s", "D", 0x21, rm, g.fr(), g.fr(), 0, 'f', 'f', false, false)});
    }
}

void fp_fused(Gen& g) {
    static const struct {
        const char* name;
        uint32_t opcode;
    } kOps[] = {{"fmadd", 0x43}, {"fmsub", 0x47}, {"fnmsub", 0x4b}, {"fnmadd", 0x4f}};
    int fmt = g.rng.range(0, 1);
    const auto& op = g.rng.pick(kOps);
    std::string name = nm(op.name, fmt);
    g.add({enc_fp_r4(name.c_str(), fp_ext(fmt), op.opcode, fmt, g.rm(), g.fr(), g.fr(), g.fr(), g.fr())});
}

void fp_memory(Gen& g) {
    int fmt = g.rng.range(0, 1), size = fmt == 0 ? 4 : 8;
    std::vector<Insn> out;
    int base;
    int32_t imm;
    g.address(g.scratch_offset(size), out, base, imm);
    if (g.rng.chance(1, 2)) {
        const char* name = fmt == 0 ? "flw" : "fld";
        out.push_back(enc_load(name, fp_ext(fmt), 0x07, 2 + fmt, g.fr(), base, imm, true));
    } else {
        const char* name = fmt == 0 ? "fsw" : "fsd";
        out.push_back(enc_store(name, fp_ext(fmt), 0x27, 2 + fmt, g.fr(), base, imm, true));
    }
    g.add(std::move(out));
}

constexpr int kFflags = 1, kFrm = 2, kFcsr = 3;

// frm field of the value a csr write would install, for checking the "frm stays 0..4" rule.
int frm_bits(int csr, int64_t value) {
    return static_cast<int>(csr == kFrm ? value & 7 : (value >> 5) & 7);
}

void csr(Gen& g) {
    int which = g.rng.range(1, 3), rd = g.rng.chance(1, 5) ? 0 : g.xd();
    int op = g.rng.range(0, 5);  // rw, rs, rc, rwi, rsi, rci
    static const char* const kNames[] = {"csrrw", "csrrs", "csrrc", "csrrwi", "csrrsi", "csrrci"};
    bool uses_imm = op >= 3;
    int f3 = (op % 3) + 1 + (uses_imm ? 4 : 0);
    int kind = op % 3;  // 0 write, 1 set, 2 clear
    std::vector<Insn> out;
    int src;
    // Clearing bits of a valid frm always leaves a valid one; writes and sets need a known value.
    if (kind == 2 || which == kFflags) {
        src = uses_imm ? g.rng.range(0, 31) : g.xs();
    } else {
        int32_t value;
        do value = uses_imm ? g.rng.range(0, 31) : g.imm12();
        while (kind == 0 ? frm_bits(which, value) > 4 : frm_bits(which, value) != 0);
        if (uses_imm) {
            src = value;
        } else {
            // x0 as the source stands for the value 0, which is valid for every csr and kind.
            src = g.rng.chance(1, 8) ? 0 : g.xd_nonzero();
            if (src != 0) out.push_back(Gen::li(src, value));
        }
    }
    out.push_back(enc_csr(kNames[op], f3, rd, which, src, uses_imm));
    g.add(std::move(out));
}

}  // namespace

std::vector<Template> fp_templates() {
    return {
        {"fp.arith", 8, fp_arith},       {"fp.sqrt", 2, fp_sqrt},     {"fp.sign_minmax", 4, fp_sign_minmax},
        {"fp.cmp", 4, fp_compare_class}, {"fp.move", 3, fp_move},     {"fp.convert", 8, fp_convert},
        {"fp.fused", 5, fp_fused},       {"fp.memory", 4, fp_memory}, {"csr", 4, csr},
    };
}

}  // namespace mimic::riscv_random
