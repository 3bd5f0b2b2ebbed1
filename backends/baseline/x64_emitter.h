// A small x86-64 encoder for the baseline tier: the handful of instruction forms its templates
// use (register-register, register-memory with base + index + displacement, immediates, rel32
// branches to labels). Code is assembled into a byte vector and copied to executable memory
// afterwards, so every branch is relative inside the block and every absolute address is a
// 64-bit immediate.
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <stdexcept>
#include <vector>

namespace mimic::baseline {

enum Reg : uint8_t { rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15, kNoReg = 0xff };
enum Xmm : uint8_t { xmm0, xmm1 };

// Condition codes (the low nibble of Jcc/SETcc/CMOVcc).
enum class Cc : uint8_t { o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g };

struct Mem {
    Reg base;
    int32_t disp = 0;
    Reg index = kNoReg;
    uint8_t scale = 0;  // log2 of the index's factor
};

class Label {
public:
    bool bound() const { return pos_ >= 0; }
    size_t position() const { return size_t(pos_); }

private:
    friend class X64;
    int64_t pos_ = -1;
    std::vector<size_t> fixups_;  // offsets of rel32 fields that jump here
};

class X64 {
public:
    const std::vector<uint8_t>& bytes() const { return buf_; }
    size_t size() const { return buf_.size(); }

    void byte(uint8_t b) { buf_.push_back(b); }
    void u32(uint32_t v) { append(&v, 4); }
    void u64(uint64_t v) { append(&v, 8); }

    // opcode reg, [mem]: `w` selects 64-bit operands (REX.W); `prefix` is a mandatory prefix
    // (0x66, 0xF2, 0xF3) or 0; `byte_reg` forces a REX so that sil/dil are meant, not dh/bh.
    void rm(bool w, std::initializer_list<uint8_t> opcode, unsigned reg, const Mem& m, uint8_t prefix = 0,
            bool byte_reg = false) {
        if (prefix) byte(prefix);
        const bool has_index = m.index != kNoReg;
        rex(w, reg, has_index ? m.index : 0, m.base, byte_reg);
        for (uint8_t b : opcode) byte(b);
        const bool d8 = m.disp >= -128 && m.disp <= 127;
        const uint8_t mod = d8 ? 0x40 : 0x80;  // never mod 00: no special case for rbp/r13
        if (has_index || (m.base & 7) == rsp) {
            byte(uint8_t(mod | (reg & 7) << 3 | 4));
            byte(uint8_t(m.scale << 6 | ((has_index ? m.index : rsp) & 7) << 3 | (m.base & 7)));
        } else {
            byte(uint8_t(mod | (reg & 7) << 3 | (m.base & 7)));
        }
        if (d8)
            byte(uint8_t(int8_t(m.disp)));
        else
            u32(uint32_t(m.disp));
    }
    // opcode reg, rm (both registers).
    void rr(bool w, std::initializer_list<uint8_t> opcode, unsigned reg, unsigned rm_reg, uint8_t prefix = 0,
            bool byte_reg = false) {
        if (prefix) byte(prefix);
        rex(w, reg, 0, rm_reg, byte_reg);
        for (uint8_t b : opcode) byte(b);
        byte(uint8_t(0xC0 | (reg & 7) << 3 | (rm_reg & 7)));
    }

    // The common forms.
    void mov(Reg dst, const Mem& m, bool w = true) { rm(w, {0x8B}, dst, m); }
    void mov(const Mem& m, Reg src, bool w = true) { rm(w, {0x89}, src, m); }
    void mov(Reg dst, Reg src, bool w = true) { rr(w, {0x8B}, dst, src); }
    void mov_imm(Reg dst, uint64_t imm) {
        if (imm <= 0xffffffffu) {  // mov r32, imm32 zero-extends
            rex(false, 0, 0, dst, false);
            byte(uint8_t(0xB8 + (dst & 7)));
            u32(uint32_t(imm));
        } else if (int64_t(imm) == int64_t(int32_t(imm))) {  // mov r/m64, imm32 sign-extends
            rex(true, 0, 0, dst, false);
            byte(0xC7);
            byte(uint8_t(0xC0 | (dst & 7)));
            u32(uint32_t(imm));
        } else {
            rex(true, 0, 0, dst, false);
            byte(uint8_t(0xB8 + (dst & 7)));
            u64(imm);
        }
    }
    void lea(Reg dst, const Mem& m) { rm(true, {0x8D}, dst, m); }
    // mov rax, [addr] and mov [addr], rax with a 64-bit absolute address (REX.W A1 / A3).
    void load_rax_absolute(uint64_t addr) { byte(0x48), byte(0xA1), u64(addr); }
    void store_rax_absolute(uint64_t addr) { byte(0x48), byte(0xA3), u64(addr); }
    // ALU group 1 (add 0, or 1, and 4, sub 5, xor 6, cmp 7): reg op= reg / [mem] / imm32.
    void alu(unsigned ext, Reg dst, Reg src, bool w = true) { rr(w, {uint8_t(ext << 3 | 3)}, dst, src); }
    void alu(unsigned ext, Reg dst, const Mem& m, bool w = true) { rm(w, {uint8_t(ext << 3 | 3)}, dst, m); }
    void alu_imm(unsigned ext, Reg dst, int32_t imm, bool w = true) { rr(w, {0x81}, ext, dst), u32(uint32_t(imm)); }
    void alu_imm(unsigned ext, const Mem& m, int32_t imm, bool w = true) { rm(w, {0x81}, ext, m), u32(uint32_t(imm)); }
    void test(Reg a, Reg b, bool w = true) { rr(w, {0x85}, b, a); }
    void imul(Reg dst, Reg src, bool w = true) { rr(w, {0x0F, 0xAF}, dst, src); }
    // Shift group 2 by cl (rol 0, ror 1, shl 4, shr 5, sar 7) or by an immediate.
    void shift_cl(unsigned ext, Reg r, bool w = true) { rr(w, {0xD3}, ext, r); }
    void shift_imm(unsigned ext, Reg r, uint8_t n, bool w = true) { rr(w, {0xC1}, ext, r), byte(n); }
    void movsxd(Reg dst, Reg src) { rr(true, {0x63}, dst, src); }
    void setcc(Cc cc, Reg r) { rr(false, {0x0F, uint8_t(0x90 | uint8_t(cc))}, 0, r, 0, true); }
    void movzx8(Reg dst, Reg src) { rr(false, {0x0F, 0xB6}, dst, src, 0, true); }
    void cmov(Cc cc, Reg dst, Reg src) { rr(true, {0x0F, uint8_t(0x40 | uint8_t(cc))}, dst, src); }
    void ldmxcsr(const Mem& m) { rm(false, {0x0F, 0xAE}, 2, m); }
    void stmxcsr(const Mem& m) { rm(false, {0x0F, 0xAE}, 3, m); }
    void push(Reg r) { rex(false, 0, 0, r, false), byte(uint8_t(0x50 + (r & 7))); }
    void pop(Reg r) { rex(false, 0, 0, r, false), byte(uint8_t(0x58 + (r & 7))); }
    void call(Reg r) { rr(false, {0xFF}, 2, r); }
    void jmp(Reg r) { rr(false, {0xFF}, 4, r); }
    void ret() { byte(0xC3); }

    void jmp(Label& l) { byte(0xE9), rel32(l); }
    void jcc(Cc cc, Label& l) { byte(0x0F), byte(uint8_t(0x80 | uint8_t(cc))), rel32(l); }
    void bind(Label& l) {
        if (l.bound()) throw std::logic_error("baseline: label bound twice");
        l.pos_ = int64_t(buf_.size());
        for (size_t at : l.fixups_) patch(at, l.pos_);
        l.fixups_.clear();
    }

private:
    void append(const void* p, size_t n) {
        const auto* b = static_cast<const uint8_t*>(p);
        buf_.insert(buf_.end(), b, b + n);
    }
    void rex(bool w, unsigned reg, unsigned index, unsigned base, bool force) {
        const uint8_t r = uint8_t(0x40 | (w ? 8 : 0) | (reg & 8 ? 4 : 0) | (index & 8 ? 2 : 0) | (base & 8 ? 1 : 0));
        if (r != 0x40 || force) byte(r);
    }
    void rel32(Label& l) {
        const size_t at = buf_.size();
        u32(0);
        if (l.bound())
            patch(at, l.pos_);
        else
            l.fixups_.push_back(at);
    }
    void patch(size_t at, int64_t target) {
        const int32_t rel = int32_t(target - int64_t(at + 4));
        std::memcpy(buf_.data() + at, &rel, 4);
    }

    std::vector<uint8_t> buf_;
};

}  // namespace mimic::baseline
