// Shared state of the random RISC-V instruction-block generator: the random source, register and
// operand choosers, and the per-extension instruction templates that append groups to a block.
#pragma once

#include <cstdint>
#include <vector>

#include "riscv_random_encode.h"

namespace mimic::riscv_random {

inline uint64_t mix64(uint64_t z) {  // splitmix64's finalizer
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

// splitmix64: exactly reproducible everywhere (std:: distributions are not).
class Rng {
public:
    explicit Rng(uint64_t seed) : state_(seed) {}
    uint64_t next() { return mix64(state_ += 0x9e3779b97f4a7c15ull); }
    uint64_t below(uint64_t n) { return next() % n; }
    int range(int lo, int hi) { return lo + static_cast<int>(below(static_cast<uint64_t>(hi - lo + 1))); }
    bool chance(int num, int den) { return below(static_cast<uint64_t>(den)) < static_cast<uint64_t>(num); }
    template <typename T, size_t N>
    const T& pick(const T (&items)[N]) {
        return items[below(N)];
    }

private:
    uint64_t state_;
};

// Instructions that must stay together: a forward branch skips whole groups only, so a memory
// access never runs without the instruction that points its base register into the scratch area.
struct Group {
    std::vector<Insn> insns;
};

class Gen {
public:
    explicit Gen(Rng& rng) : rng(rng) {}

    Rng& rng;
    std::vector<Group> groups;

    void add(std::vector<Insn> insns) { groups.push_back(Group{std::move(insns)}); }
    int here() const { return static_cast<int>(groups.size()); }
    // Target for a forward transfer: skips 0-3 following groups (clamped to the block end later).
    int forward_target() { return here() + 1 + rng.range(0, 3); }

    int xd();          // writable destination: never sp (x2), rarely x0
    int xd_nonzero();  // writable and not x0
    int xs() { return rng.range(0, 31); }
    int xc() { return rng.range(8, 15); }  // compressed register field
    int fr() { return rng.range(0, 31); }
    int rm();  // a valid static rounding mode or dyn
    int32_t imm12();
    int shamt(int bits);
    // Aligned scratch offset for an access of `size` bytes.
    int scratch_offset(int size, int limit = 0);
    // Puts a base register and a 12-bit displacement for scratch offset `addr` into base/imm,
    // appending the setup instruction (if any) to `out`.
    void address(int addr, std::vector<Insn>& out, int& base, int32_t& imm);
    // `addi rd, x0, value` helper used to build operands.
    static Insn li(int rd, int32_t value);
};

using Emitter = void (*)(Gen&);
struct Template {
    const char* name;
    int weight;
    Emitter emit;
};

std::vector<Template> int_templates();         // RV64I, M, A, Zba, Zbb, Zbs, Zifencei
std::vector<Template> fp_templates();          // F, D, Zicsr
std::vector<Template> compressed_templates();  // C

}  // namespace mimic::riscv_random
