// Random RISC-V instruction-block generator for the differential test against qemu-riscv64.
// Usage: riscv_random_gen --seed S --count N [--only K [--groups G]] [--stats | --list | --asm | --check-bin F]
// Writes test cases for riscv_harness (format in riscv_harness.c); the same seed always yields the same
// cases on every host. --only K: case K alone; --groups G: only its first G instruction groups; --stats:
// histogram by class and mnemonic (fails if a class is missing); --list: listing with group numbers;
// --asm / --check-bin: assembler text and comparison of the assembled bytes (encoder self-check).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "riscv_harness_layout.h"
#include "riscv_random_gen.h"

namespace mimic::riscv_random {

int Gen::xd() {
    if (rng.chance(1, 24)) return 0;
    return xd_nonzero();
}

int Gen::xd_nonzero() {
    int r = rng.range(1, 30);
    return r >= 2 ? r + 1 : r;  // skip sp, which points at the state
}

int Gen::rm() {
    static const int kModes[] = {0, 1, 2, 3, 4, 7, 7};
    return rng.pick(kModes);
}

int32_t Gen::imm12() {
    static const int32_t kEdges[] = {0, 1, -1, 2, -2, 31, 32, 63, 64, 2047, -2048, 0x7f, 0x80, -0x80, 0x555};
    if (rng.chance(1, 3)) return rng.pick(kEdges);
    return rng.range(-2048, 2047);
}

int Gen::shamt(int bits) {
    int max = (1 << bits) - 1;
    if (rng.chance(1, 4)) {
        static const int kEdges[] = {0, 1, 31, 32, 63};
        return std::min(rng.pick(kEdges), max);
    }
    return rng.range(0, max);
}

int Gen::scratch_offset(int size, int limit) {
    if (limit == 0) limit = RH_SCRATCH_SIZE;
    return rng.range(0, limit / size - 1) * size;
}

void Gen::address(int addr, std::vector<Insn>& out, int& base, int32_t& imm) {
    if (rng.chance(1, 3)) {
        base = 2;
        imm = addr;
        return;
    }
    base = xd_nonzero();
    if (rng.chance(1, 4))
        imm = 0;
    else if (rng.chance(2, 3))
        imm = rng.range(-64, 64);
    else
        imm = rng.range(std::max(-2048, addr - 2047), 2047);
    out.push_back(enc_i("addi", "RV64I", 0x13, 0, base, 2, addr - imm));
}

Insn Gen::li(int rd, int32_t value) {
    return enc_i("addi", "RV64I", 0x13, 0, rd, 0, value);
}

namespace {

const uint64_t kIntEdges[] = {0,
                              1,
                              2,
                              0xffffffffffffffffull,
                              0x7fffffff,
                              0x80000000,
                              0xffffffff,
                              0xffffffff80000000ull,
                              0xffffffff7fffffffull,
                              0x8000000000000000ull,
                              0x7fffffffffffffffull,
                              0x100000000ull,
                              0x00000000ffff0000ull,
                              0x0123456789abcdefull,
                              0x8000000000000001ull,
                              0xfffffffffffffffeull,
                              0x000000000000ff80ull,
                              0x0000000000008000ull};

const uint32_t kFloatEdges[] = {0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000,
                                0xffc00000, 0x7f800001, 0x7fa00000, 0x7fc12345, 0x00000001, 0x007fffff, 0x00800000,
                                0x7f7fffff, 0xff7fffff, 0x3f000000, 0x3fc00000, 0x40200000, 0xbf000000, 0xbfc00000,
                                0x4f000000, 0xcf000000, 0x4f800000, 0x5f000000, 0xdf000000, 0x5f800000, 0x3eaaaaab,
                                0x34000000, 0x4effffff, 0x807fffff, 0x80000001, 0x3f800001, 0x4b000000, 0x4b7fffff};

const uint64_t kDoubleEdges[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull, 0x7ff0000000000000ull,
    0xfff0000000000000ull, 0x7ff8000000000000ull, 0xfff8000000000000ull, 0x7ff0000000000001ull, 0x7ff4000000000000ull,
    0x7ff800000000deadull, 0x0000000000000001ull, 0x000fffffffffffffull, 0x0010000000000000ull, 0x7fefffffffffffffull,
    0xffefffffffffffffull, 0x3fe0000000000000ull, 0x3ff8000000000000ull, 0x4004000000000000ull, 0xbfe0000000000000ull,
    0xc004000000000000ull, 0x41e0000000000000ull, 0xc1e0000000000000ull, 0x41dfffffffe00000ull, 0x41efffffffe00000ull,
    0x41f0000000000000ull, 0x43e0000000000000ull, 0xc3e0000000000000ull, 0x43f0000000000000ull, 0x3fd5555555555555ull,
    0x47efffffe0000000ull, 0x47effffff0000000ull, 0x36a0000000000000ull, 0x3810000000000000ull, 0x380fffffffffffffull,
    0x3ff0000010000000ull, 0x3ff0000030000000ull, 0x7e37e43c8800759cull, 0x0000000080000000ull, 0x4330000000000000ull,
    0xc3dfffffffffffffull, 0x43dfffffffffffffull};

uint64_t box(uint32_t f) {
    return 0xffffffff00000000ull | f;
}

uint64_t int_value(Rng& rng) {
    switch (rng.range(0, 9)) {
        case 0:
        case 1:
        case 2: return rng.pick(kIntEdges);
        case 3: return rng.range(0, 64);
        case 4: return static_cast<uint64_t>(static_cast<int64_t>(rng.range(-64, -1)));
        case 5: return rng.chance(1, 2) ? rng.pick(kDoubleEdges) : rng.pick(kFloatEdges);
        case 6: return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(rng.next())));
        default: return rng.next();
    }
}

uint64_t fp_value(Rng& rng) {
    switch (rng.range(0, 9)) {
        case 0:
        case 1:
        case 2: return box(rng.pick(kFloatEdges));
        case 3: return box(static_cast<uint32_t>(rng.next()));
        case 4:
        case 5:
        case 6: return rng.pick(kDoubleEdges);
        case 7: return rng.next();
        case 8: return rng.next() & 0xffffffffull;                        // a single that is not NaN-boxed
        default: return (0xfffffffe00000000ull) | rng.pick(kFloatEdges);  // broken box
    }
}

uint64_t mem_value(Rng& rng) {
    switch (rng.range(0, 3)) {
        case 0: return int_value(rng);
        case 1: return rng.pick(kDoubleEdges);
        case 2: return static_cast<uint64_t>(rng.pick(kFloatEdges)) << 32 | rng.pick(kFloatEdges);
        default: return rng.next();
    }
}

struct Case {
    uint64_t x[32] = {};
    uint64_t f[32] = {};
    uint64_t fcsr = 0;
    uint64_t mem[RH_SCRATCH_SIZE / 8] = {};
    std::vector<Insn> code;
    int groups = 0;
};

void check_range(const Insn& insn, int32_t off) {
    int32_t limit = insn.name == "c.beqz" || insn.name == "c.bnez" ? 256
                    : insn.name == "c.j"                           ? 2048
                    : insn.size == 4 && (insn.bits & 0x7f) == 0x63 ? 4096
                                                                   : 2048;
    if (off < -limit || off >= limit) throw std::runtime_error("branch offset out of range: " + insn.name);
}

// Resolves forward transfers to byte offsets and flattens the groups.
std::vector<Insn> lay_out(const std::vector<Group>& groups) {
    std::vector<int> group_off(groups.size() + 1);
    int off = 0;
    for (size_t g = 0; g < groups.size(); g++) {
        group_off[g] = off;
        for (const Insn& insn : groups[g].insns) off += insn.size;
    }
    group_off[groups.size()] = off;
    std::vector<Insn> out;
    for (size_t g = 0; g < groups.size(); g++) {
        std::vector<int> insn_off;
        int pos = group_off[g];
        for (size_t i = 0; i < groups[g].insns.size(); i++) {
            const Insn& insn = groups[g].insns[i];
            insn_off.push_back(pos);
            pos += insn.size;
            if (insn.target < 0) {
                out.push_back(insn);
            } else {
                int target = std::min<int>(insn.target, static_cast<int>(groups.size()));
                int32_t rel = group_off[target] - insn_off[i - insn.anchor_back];
                check_range(insn, rel);
                out.push_back(insn.relocate(rel));
            }
            out.back().group = static_cast<int>(g);
        }
    }
    return out;
}

// max_groups > 0 keeps only that many leading groups (to find where two runs diverge).
Case make_case(uint64_t seed, long index, int max_groups) {
    // Hashing keeps the splitmix streams of different (seed, case) pairs far apart; a linear
    // combination would make seed s + 1 replay seed s shifted by one draw.
    Rng rng(mix64(mix64(seed) ^ mix64(static_cast<uint64_t>(index) + 0x632be59bd9b4e019ull)));
    Case c;
    for (int i = 1; i < 32; i++) c.x[i] = int_value(rng);
    for (int i = 0; i < 32; i++) c.f[i] = fp_value(rng);
    c.fcsr = static_cast<uint64_t>(rng.range(0, 4)) << 5 | (rng.chance(1, 3) ? rng.range(0, 31) : 0);
    for (uint64_t& m : c.mem) m = mem_value(rng);

    static const std::vector<Template> kTemplates = [] {
        std::vector<Template> all = int_templates();
        for (auto* part : {fp_templates, compressed_templates}) {
            std::vector<Template> more = part();
            all.insert(all.end(), more.begin(), more.end());
        }
        return all;
    }();
    static const int kTotalWeight = [] {
        int total = 0;
        for (const Template& t : kTemplates) total += t.weight;
        return total;
    }();

    Gen gen(rng);
    int groups = rng.range(8, 48);
    while (gen.here() < groups) {
        int pick = rng.range(0, kTotalWeight - 1);
        for (const Template& t : kTemplates) {
            if ((pick -= t.weight) < 0) {
                t.emit(gen);
                break;
            }
        }
    }
    if (max_groups > 0 && max_groups < gen.here()) gen.groups.resize(static_cast<size_t>(max_groups));
    c.groups = gen.here();
    c.code = lay_out(gen.groups);
    return c;
}

void print_case(std::FILE* out, long index, const Case& c) {
    std::fprintf(out, "case %ld\n", index);
    for (int i = 1; i < 32; i++)
        if (i != 2) std::fprintf(out, "x%d %016llx\n", i, static_cast<unsigned long long>(c.x[i]));
    for (int i = 0; i < 32; i++) std::fprintf(out, "f%d %016llx\n", i, static_cast<unsigned long long>(c.f[i]));
    std::fprintf(out, "fcsr %02llx\n", static_cast<unsigned long long>(c.fcsr));
    for (size_t i = 0; i < std::size(c.mem); i++)
        std::fprintf(out, "m%zu %016llx\n", i, static_cast<unsigned long long>(c.mem[i]));
    for (size_t i = 0; i < c.code.size(); i++) {
        if (i % 12 == 0) std::fprintf(out, i ? "\ncode" : "code");
        const Insn& insn = c.code[i];
        std::fprintf(out, insn.size == 2 ? " %04x" : " %08x", insn.bits);
    }
    std::fprintf(out, "\nend\n");
}

const char* const kClasses[] = {"RV64I", "M", "A", "F", "D", "C", "Zba", "Zbb", "Zbs", "Zicsr", "Zifencei"};

int print_stats(const std::vector<Case>& cases) {
    std::map<std::string, long> by_class, by_name;
    long total = 0;
    for (const Case& c : cases) {
        for (const Insn& insn : c.code) {
            by_class[insn.ext]++;
            by_name[insn.ext + " " + insn.name]++;
            total++;
        }
    }
    std::printf("%zu cases, %ld instructions\n\nby class:\n", cases.size(), total);
    int missing = 0;
    for (const char* cls : kClasses) {
        long n = by_class.count(cls) ? by_class[cls] : 0;
        std::printf("  %-9s %7ld  %5.1f%%\n", cls, n, total ? 100.0 * n / total : 0.0);
        if (n == 0) missing++;
    }
    std::printf("\nby mnemonic (%zu distinct):\n", by_name.size());
    for (const auto& [name, n] : by_name) std::printf("  %-22s %6ld\n", name.c_str(), n);
    if (missing) std::printf("\nERROR: %d instruction classes never generated\n", missing);
    return missing ? 1 : 0;
}

// One `.option` per line keeps GNU as from compressing 32-bit instructions on its own.
void print_asm(const std::vector<Case>& cases, long first) {
    std::printf(".option norelax\n.text\n");
    for (size_t k = 0; k < cases.size(); k++) {
        std::printf("# case %ld\n", first + static_cast<long>(k));
        for (const Insn& insn : cases[k].code)
            std::printf(".option %s\n%s\n", insn.size == 2 ? "rvc" : "norvc", insn.text.c_str());
    }
}

void print_listing(const std::vector<Case>& cases, long first) {
    for (size_t k = 0; k < cases.size(); k++) {
        std::printf("case %ld: %d groups\n", first + static_cast<long>(k), cases[k].groups);
        int off = 0;
        for (const Insn& insn : cases[k].code) {
            std::printf(insn.size == 2 ? "  g%-3d %4x:     %04x  %s\n" : "  g%-3d %4x: %08x  %s\n", insn.group, off,
                        insn.bits, insn.text.c_str());
            off += insn.size;
        }
    }
}

int check_bin(const std::vector<Case>& cases, const char* path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t pos = 0;
    long checked = 0, bad = 0;
    for (const Case& c : cases) {
        for (const Insn& insn : c.code) {
            if (pos + insn.size > bytes.size()) {
                std::printf("assembled output too short at %s\n", insn.text.c_str());
                return 1;
            }
            uint32_t got = 0;
            for (int i = 0; i < insn.size; i++) got |= static_cast<uint32_t>(bytes[pos + i]) << (8 * i);
            pos += insn.size;
            checked++;
            if ((got & insn.check_mask) != (insn.bits & insn.check_mask)) {
                if (++bad <= 20)
                    std::printf("mismatch: %-32s generator %08x assembler %08x\n", insn.text.c_str(), insn.bits, got);
            }
        }
    }
    if (pos != bytes.size()) std::printf("assembled output has %zu extra bytes\n", bytes.size() - pos);
    std::printf("%ld instructions checked, %ld mismatches\n", checked, bad);
    return bad || pos != bytes.size() ? 1 : 0;
}

int usage() {
    std::fprintf(stderr,
                 "usage: riscv_random_gen --seed S --count N [--only K [--groups G]]\n"
                 "                        [--stats | --list | --asm | --check-bin FILE]\n");
    return 2;
}

}  // namespace
}  // namespace mimic::riscv_random

int main(int argc, char** argv) {
    using namespace mimic::riscv_random;
    uint64_t seed = 1;
    long count = 100, only = -1;
    int max_groups = 0;
    std::string mode = "cases";
    const char* bin_path = nullptr;
    for (int i = 1; i < argc; i++) {
        std::string arg = argv[i];
        bool has_value = i + 1 < argc;
        if (arg == "--seed" && has_value)
            seed = std::strtoull(argv[++i], nullptr, 0);
        else if (arg == "--count" && has_value)
            count = std::strtol(argv[++i], nullptr, 0);
        else if (arg == "--only" && has_value)
            only = std::strtol(argv[++i], nullptr, 0);
        else if (arg == "--groups" && has_value)
            max_groups = static_cast<int>(std::strtol(argv[++i], nullptr, 0));
        else if (arg == "--list")
            mode = "list";
        else if (arg == "--stats")
            mode = "stats";
        else if (arg == "--asm")
            mode = "asm";
        else if (arg == "--check-bin" && has_value)
            mode = "check", bin_path = argv[++i];
        else
            return usage();
    }
    if (count < 0 || only >= count) return usage();
    long first = only >= 0 ? only : 0, last = only >= 0 ? only + 1 : count;
    std::vector<Case> cases;
    try {
        for (long k = first; k < last; k++) cases.push_back(make_case(seed, k, max_groups));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "riscv_random_gen: %s\n", e.what());
        return 2;
    }
    if (mode == "stats") return print_stats(cases);
    if (mode == "asm") {
        print_asm(cases, first);
        return 0;
    }
    if (mode == "list") {
        print_listing(cases, first);
        return 0;
    }
    if (mode == "check") return check_bin(cases, bin_path);
    std::printf("# riscv_random_gen --seed %llu --count %ld\n", static_cast<unsigned long long>(seed), count);
    for (size_t k = 0; k < cases.size(); k++) print_case(stdout, first + static_cast<long>(k), cases[k]);
    return 0;
}
