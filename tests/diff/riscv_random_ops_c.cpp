// Compressed (C extension) templates of the random generator. Reserved encodings and HINTs
// (rd = x0, zero immediates where the spec forbids them) are never produced.
#include <algorithm>

#include "riscv_harness_layout.h"
#include "riscv_random_gen.h"

namespace mimic::riscv_random {
namespace {

uint16_t bit(uint32_t v, int from, int to) {
    return static_cast<uint16_t>(((v >> from) & 1) << to);
}
uint16_t u16(int v) {
    return static_cast<uint16_t>(v);
}
std::string mem_text(char kind, int r, int off, int base) {
    return std::string(1, kind) + std::to_string(r) + ", " + std::to_string(off) + "(x" + std::to_string(base) + ")";
}
int writable_not_sp(Gen& g) {  // compressed forms where rd = x0 is reserved or a HINT
    return g.xd_nonzero();
}

// Loads/stores with a base in x8..x15: c.lw c.ld c.fld c.sw c.sd c.fsd.
void c_mem_reg(Gen& g) {
    static const struct {
        const char* name;
        int f3, size;
        bool store;
        char kind;
    } kOps[] = {{"c.lw", 2, 4, false, 'x'}, {"c.ld", 3, 8, false, 'x'}, {"c.fld", 1, 8, false, 'f'},
                {"c.sw", 6, 4, true, 'x'},  {"c.sd", 7, 8, true, 'x'},  {"c.fsd", 5, 8, true, 'f'}};
    const auto& op = g.rng.pick(kOps);
    int addr = g.scratch_offset(op.size);
    int max_off = op.size == 4 ? 124 : 248;
    int off = g.rng.range(0, std::min(addr, max_off) / op.size) * op.size;
    int base = g.xc(), delta = addr - off, r = g.xc();
    std::vector<Insn> out;
    if (delta > 0 && g.rng.chance(1, 2)) {
        uint32_t n = static_cast<uint32_t>(delta);
        uint16_t bits =
            u16(((n >> 4) & 3) << 11 | ((n >> 6) & 15) << 7 | bit(n, 2, 6) | bit(n, 3, 5) | (base - 8) << 2);
        out.push_back(make_c("c.addi4spn", bits, "x" + std::to_string(base) + ", x2, " + std::to_string(n)));
    } else {
        out.push_back(enc_i("addi", "RV64I", 0x13, 0, base, 2, delta));
    }
    uint32_t o = static_cast<uint32_t>(off);
    uint16_t imm = op.size == 4 ? u16(((o >> 3) & 7) << 10 | bit(o, 2, 6) | bit(o, 6, 5))
                                : u16(((o >> 3) & 7) << 10 | ((o >> 6) & 3) << 5);
    uint16_t bits = u16(op.f3 << 13 | imm | (base - 8) << 7 | (r - 8) << 2);
    out.push_back(make_c(op.name, bits, mem_text(op.kind, r, off, base)));
    g.add(std::move(out));
}

// sp-relative loads/stores: c.lwsp c.ldsp c.fldsp c.swsp c.sdsp c.fsdsp.
void c_mem_sp(Gen& g) {
    static const struct {
        const char* name;
        int f3, size;
        bool store;
        char kind;
    } kOps[] = {{"c.lwsp", 2, 4, false, 'x'}, {"c.ldsp", 3, 8, false, 'x'}, {"c.fldsp", 1, 8, false, 'f'},
                {"c.swsp", 6, 4, true, 'x'},  {"c.sdsp", 7, 8, true, 'x'},  {"c.fsdsp", 5, 8, true, 'f'}};
    const auto& op = g.rng.pick(kOps);
    uint32_t o = static_cast<uint32_t>(g.scratch_offset(op.size, op.size == 4 ? 256 : 512));
    int r = op.kind == 'f' ? g.fr() : (op.store ? g.xs() : writable_not_sp(g));
    uint16_t imm;
    if (!op.store)
        imm = op.size == 4 ? u16(bit(o, 5, 12) | ((o >> 2) & 7) << 4 | ((o >> 6) & 3) << 2)
                           : u16(bit(o, 5, 12) | ((o >> 3) & 3) << 5 | ((o >> 6) & 7) << 2);
    else
        imm = op.size == 4 ? u16(((o >> 2) & 15) << 9 | ((o >> 6) & 3) << 7)
                           : u16(((o >> 3) & 7) << 10 | ((o >> 6) & 7) << 7);
    uint16_t bits = u16(op.f3 << 13 | imm | (op.store ? r << 2 : r << 7) | 2);
    g.add({make_c(op.name, bits, mem_text(op.kind, r, static_cast<int>(o), 2))});
}

uint16_t ci(int f3, int rd, int imm6, int quadrant) {
    uint32_t i = static_cast<uint32_t>(imm6);
    return u16(f3 << 13 | bit(i, 5, 12) | rd << 7 | (i & 31) << 2 | quadrant);
}

void c_imm(Gen& g) {
    int rd = writable_not_sp(g);
    int imm = g.rng.range(-32, 31);
    switch (g.rng.range(0, 5)) {
        case 0:
            if (imm == 0) imm = 1;
            g.add({make_c("c.addi", ci(0, rd, imm, 1), "x" + std::to_string(rd) + ", " + std::to_string(imm))});
            break;
        case 1:
            g.add({make_c("c.addiw", ci(1, rd, imm, 1), "x" + std::to_string(rd) + ", " + std::to_string(imm))});
            break;
        case 2:
            g.add({make_c("c.li", ci(2, rd, imm, 1), "x" + std::to_string(rd) + ", " + std::to_string(imm))});
            break;
        case 3: {
            if (imm == 0) imm = -1;
            uint32_t as_text = static_cast<uint32_t>(imm) & 0xfffff;
            g.add({make_c("c.lui", ci(3, rd, imm, 1), "x" + std::to_string(rd) + ", " + hex(as_text))});
            break;
        }
        case 4: {
            int sh = g.rng.range(1, 63);
            g.add({make_c("c.slli", ci(0, rd, sh, 2), "x" + std::to_string(rd) + ", " + std::to_string(sh))});
            break;
        }
        default: g.add({make_c("c.nop", 0x0001, "")});
    }
}

// c.srli c.srai c.andi and the register-register forms on x8..x15.
void c_alu(Gen& g) {
    int rd = g.xc(), rs2 = g.xc();
    std::string regs = "x" + std::to_string(rd) + ", ";
    int kind = g.rng.range(0, 8);
    if (kind < 3) {
        static const char* const kNames[] = {"c.srli", "c.srai", "c.andi"};
        int imm = kind == 2 ? g.rng.range(-32, 31) : g.rng.range(1, 63);
        uint32_t i = static_cast<uint32_t>(imm);
        uint16_t bits = u16(4 << 13 | bit(i, 5, 12) | kind << 10 | (rd - 8) << 7 | (i & 31) << 2 | 1);
        g.add({make_c(kNames[kind], bits, regs + std::to_string(imm))});
        return;
    }
    static const struct {
        const char* name;
        int hi, op;
    } kOps[] = {{"c.sub", 0, 0}, {"c.xor", 0, 1}, {"c.or", 0, 2}, {"c.and", 0, 3}, {"c.subw", 1, 0}, {"c.addw", 1, 1}};
    const auto& op = kOps[kind - 3];
    uint16_t bits = u16(4 << 13 | op.hi << 12 | 3 << 10 | (rd - 8) << 7 | op.op << 5 | (rs2 - 8) << 2 | 1);
    g.add({make_c(op.name, bits, regs + "x" + std::to_string(rs2))});
}

void c_move_add(Gen& g) {
    int rd = writable_not_sp(g), rs2 = g.rng.range(1, 31);
    bool add = g.rng.chance(1, 2);
    uint16_t bits = u16(4 << 13 | (add ? 1 << 12 : 0) | rd << 7 | rs2 << 2 | 2);
    g.add({make_c(add ? "c.add" : "c.mv", bits, "x" + std::to_string(rd) + ", x" + std::to_string(rs2))});
}

uint16_t cj_bits(int f3, int32_t off) {
    uint32_t o = static_cast<uint32_t>(off);
    return u16(f3 << 13 | bit(o, 11, 12) | bit(o, 4, 11) | ((o >> 8) & 3) << 9 | bit(o, 10, 8) | bit(o, 6, 7) |
               bit(o, 7, 6) | ((o >> 1) & 7) << 3 | bit(o, 5, 2) | 1);
}

uint16_t cb_bits(int f3, int rs1, int32_t off) {
    uint32_t o = static_cast<uint32_t>(off);
    return u16(f3 << 13 | bit(o, 8, 12) | ((o >> 3) & 3) << 10 | (rs1 - 8) << 7 | ((o >> 6) & 3) << 5 |
               ((o >> 1) & 3) << 3 | bit(o, 5, 2) | 1);
}

void c_jump(Gen& g) {
    int kind = g.rng.range(0, 3);
    if (kind == 0) {
        Insn insn = make_c("c.j", cj_bits(5, 2), ".+2");
        insn.target = g.forward_target();
        insn.relocate = [](int32_t off) { return make_c("c.j", cj_bits(5, off), ".+" + std::to_string(off)); };
        g.add({insn});
    } else if (kind == 1) {
        int rs1 = g.xc();
        bool nez = g.rng.chance(1, 2);
        const char* name = nez ? "c.bnez" : "c.beqz";
        int f3 = nez ? 7 : 6;
        Insn insn = make_c(name, cb_bits(f3, rs1, 2), "");
        insn.target = g.forward_target();
        insn.relocate = [name, f3, rs1](int32_t off) {
            return make_c(name, cb_bits(f3, rs1, off), "x" + std::to_string(rs1) + ", .+" + std::to_string(off));
        };
        g.add({insn});
    } else {
        // auipc + addi + c.jr/c.jalr: the register holds the address of a later group boundary.
        int r = writable_not_sp(g);
        bool link = kind == 3;
        Insn addi = enc_i("addi", "RV64I", 0x13, 0, r, r, 0);
        addi.target = g.forward_target();
        addi.anchor_back = 1;
        addi.relocate = [r](int32_t off) { return enc_i("addi", "RV64I", 0x13, 0, r, r, off); };
        uint16_t bits = u16(4 << 13 | (link ? 1 << 12 : 0) | r << 7 | 2);
        g.add({enc_u("auipc", 0x17, r, 0), addi, make_c(link ? "c.jalr" : "c.jr", bits, "x" + std::to_string(r))});
    }
}

uint16_t addi16sp_bits(int imm) {
    uint32_t i = static_cast<uint32_t>(imm);
    return u16(3 << 13 | bit(i, 9, 12) | 2 << 7 | bit(i, 4, 6) | bit(i, 6, 5) | ((i >> 7) & 3) << 3 | bit(i, 5, 2) | 1);
}

// c.addi16sp moves sp, so it comes in a pair that restores sp, optionally with an sp-relative
// store in between that still lands in the scratch area.
void c_addi16sp(Gen& g) {
    int k = g.rng.range(-31, 31) * 16;  // both k and -k must fit in [-512, 496]
    if (k == 0) k = 16;
    std::vector<Insn> out;
    out.push_back(make_c("c.addi16sp", addi16sp_bits(k), "x2, " + std::to_string(k)));
    int addr = g.scratch_offset(8);
    int off = addr - k;
    if (off >= 0 && off <= 504 && g.rng.chance(2, 3)) {
        uint32_t o = static_cast<uint32_t>(off);
        int rs2 = g.xs();
        uint16_t bits = u16(7 << 13 | ((o >> 3) & 7) << 10 | ((o >> 6) & 7) << 7 | rs2 << 2 | 2);
        out.push_back(make_c("c.sdsp", bits, mem_text('x', rs2, off, 2)));
    }
    out.push_back(make_c("c.addi16sp", addi16sp_bits(-k), "x2, " + std::to_string(-k)));
    g.add(std::move(out));
}

void c_addi4spn(Gen& g) {
    int rd = g.xc();
    uint32_t n = static_cast<uint32_t>(g.rng.range(1, 255) * 4);
    uint16_t bits = u16(((n >> 4) & 3) << 11 | ((n >> 6) & 15) << 7 | bit(n, 2, 6) | bit(n, 3, 5) | (rd - 8) << 2);
    g.add({make_c("c.addi4spn", bits, "x" + std::to_string(rd) + ", x2, " + std::to_string(n))});
}

}  // namespace

std::vector<Template> compressed_templates() {
    return {
        {"c.mem_reg", 4, c_mem_reg},   {"c.mem_sp", 4, c_mem_sp},     {"c.imm", 5, c_imm},
        {"c.alu", 5, c_alu},           {"c.move_add", 3, c_move_add}, {"c.jump", 3, c_jump},
        {"c.addi16sp", 1, c_addi16sp}, {"c.addi4spn", 1, c_addi4spn},
    };
}

}  // namespace mimic::riscv_random
