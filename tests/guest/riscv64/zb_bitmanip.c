/* zb_bitmanip: every Zba, Zbb and Zbs instruction (RV64 forms), through inline assembly.
 * For each instruction (and each tested immediate), prints its result on three operand pairs and
 * an FNV-1a hash of its results over all pairs of 24 edge-case and pseudo-random operands, so a
 * wrong result for any pair changes the output. Built with -march=rv64gc_zba_zbb_zbs.
 * zb_bitmanip.expected follows the spec and an independent model of it. qemu-riscv64 7.2 (Debian 12)
 * differs in the ctzw hash only: it counts into the upper word when the low word is zero
 * (ctzw of 0x8000000000000000 gives 63; the spec says 32). */
#include <stdint.h>
#include <stdio.h>

static const uint64_t kValues[] = {
    0, 1, 2, 5, 31, 32, 63, 64,
    0xffffffffffffffffull, 0x8000000000000000ull, 0x7fffffffffffffffull, 0x80000000ull,
    0x7fffffffull, 0xffffffffull, 0x100000000ull, 0xffffffff80000000ull,
    0x0123456789abcdefull, 0xfedcba9876543210ull, 0x00ff00ff00ff0000ull, 0x8000000000000080ull,
    0x0000800000008000ull, 0x5555555555555555ull, 0xdeadbeefcafef00dull, 0x000000000000ff80ull,
};
enum { kCount = sizeof kValues / sizeof kValues[0] };

typedef uint64_t (*Op)(uint64_t, uint64_t);

#define RR(fn, insn)                                                           \
    static uint64_t fn(uint64_t a, uint64_t b)                                 \
    {                                                                          \
        uint64_t r;                                                            \
        __asm__ volatile(insn " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));      \
        return r;                                                              \
    }
#define R1(fn, insn)                                                           \
    static uint64_t fn(uint64_t a, uint64_t b)                                 \
    {                                                                          \
        uint64_t r;                                                            \
        (void)b;                                                               \
        __asm__ volatile(insn " %0, %1" : "=r"(r) : "r"(a));                   \
        return r;                                                              \
    }
#define RI(fn, insn, imm)                                                      \
    static uint64_t fn(uint64_t a, uint64_t b)                                 \
    {                                                                          \
        uint64_t r;                                                            \
        (void)b;                                                               \
        __asm__ volatile(insn " %0, %1, " #imm : "=r"(r) : "r"(a));            \
        return r;                                                              \
    }

/* Zba */
RR(sh1add, "sh1add") RR(sh2add, "sh2add") RR(sh3add, "sh3add") RR(add_uw, "add.uw")
RR(sh1add_uw, "sh1add.uw") RR(sh2add_uw, "sh2add.uw") RR(sh3add_uw, "sh3add.uw")
RI(slli_uw_0, "slli.uw", 0) RI(slli_uw_1, "slli.uw", 1) RI(slli_uw_31, "slli.uw", 31)
RI(slli_uw_32, "slli.uw", 32) RI(slli_uw_63, "slli.uw", 63)
/* Zbb */
RR(andn, "andn") RR(orn, "orn") RR(xnor, "xnor")
R1(clz, "clz") R1(clzw, "clzw") R1(ctz, "ctz") R1(ctzw, "ctzw") R1(cpop, "cpop") R1(cpopw, "cpopw")
RR(max, "max") RR(maxu, "maxu") RR(min, "min") RR(minu, "minu")
R1(sext_b, "sext.b") R1(sext_h, "sext.h") R1(zext_h, "zext.h")
RR(rol, "rol") RR(rolw, "rolw") RR(ror, "ror") RR(rorw, "rorw")
RI(rori_0, "rori", 0) RI(rori_1, "rori", 1) RI(rori_31, "rori", 31) RI(rori_32, "rori", 32) RI(rori_63, "rori", 63)
RI(roriw_0, "roriw", 0) RI(roriw_1, "roriw", 1) RI(roriw_16, "roriw", 16) RI(roriw_31, "roriw", 31)
R1(orc_b, "orc.b") R1(rev8, "rev8")
/* Zbs */
RR(bclr, "bclr") RR(bext, "bext") RR(binv, "binv") RR(bset, "bset")
RI(bclri_0, "bclri", 0) RI(bclri_31, "bclri", 31) RI(bclri_32, "bclri", 32) RI(bclri_63, "bclri", 63)
RI(bexti_0, "bexti", 0) RI(bexti_31, "bexti", 31) RI(bexti_32, "bexti", 32) RI(bexti_63, "bexti", 63)
RI(binvi_0, "binvi", 0) RI(binvi_31, "binvi", 31) RI(binvi_32, "binvi", 32) RI(binvi_63, "binvi", 63)
RI(bseti_0, "bseti", 0) RI(bseti_31, "bseti", 31) RI(bseti_32, "bseti", 32) RI(bseti_63, "bseti", 63)

static const struct {
    const char *name;
    Op fn;
} kOps[] = {
    {"sh1add", sh1add}, {"sh2add", sh2add}, {"sh3add", sh3add}, {"add.uw", add_uw},
    {"sh1add.uw", sh1add_uw}, {"sh2add.uw", sh2add_uw}, {"sh3add.uw", sh3add_uw},
    {"slli.uw 0", slli_uw_0}, {"slli.uw 1", slli_uw_1}, {"slli.uw 31", slli_uw_31},
    {"slli.uw 32", slli_uw_32}, {"slli.uw 63", slli_uw_63},
    {"andn", andn}, {"orn", orn}, {"xnor", xnor},
    {"clz", clz}, {"clzw", clzw}, {"ctz", ctz}, {"ctzw", ctzw}, {"cpop", cpop}, {"cpopw", cpopw},
    {"max", max}, {"maxu", maxu}, {"min", min}, {"minu", minu},
    {"sext.b", sext_b}, {"sext.h", sext_h}, {"zext.h", zext_h},
    {"rol", rol}, {"rolw", rolw}, {"ror", ror}, {"rorw", rorw},
    {"rori 0", rori_0}, {"rori 1", rori_1}, {"rori 31", rori_31}, {"rori 32", rori_32}, {"rori 63", rori_63},
    {"roriw 0", roriw_0}, {"roriw 1", roriw_1}, {"roriw 16", roriw_16}, {"roriw 31", roriw_31},
    {"orc.b", orc_b}, {"rev8", rev8},
    {"bclr", bclr}, {"bext", bext}, {"binv", binv}, {"bset", bset},
    {"bclri 0", bclri_0}, {"bclri 31", bclri_31}, {"bclri 32", bclri_32}, {"bclri 63", bclri_63},
    {"bexti 0", bexti_0}, {"bexti 31", bexti_31}, {"bexti 32", bexti_32}, {"bexti 63", bexti_63},
    {"binvi 0", binvi_0}, {"binvi 31", binvi_31}, {"binvi 32", binvi_32}, {"binvi 63", binvi_63},
    {"bseti 0", bseti_0}, {"bseti 31", bseti_31}, {"bseti 32", bseti_32}, {"bseti 63", bseti_63},
};

int main(void)
{
    for (unsigned i = 0; i < sizeof kOps / sizeof kOps[0]; ++i) {
        uint64_t hash = 0xcbf29ce484222325ull;
        for (int a = 0; a < kCount; ++a) {
            for (int b = 0; b < kCount; ++b) {
                uint64_t r = kOps[i].fn(kValues[a], kValues[b]);
                for (int k = 0; k < 8; ++k) hash = (hash ^ ((r >> (8 * k)) & 0xff)) * 0x100000001b3ull;
            }
        }
        printf("%-10s %016llx %016llx %016llx hash=%016llx\n", kOps[i].name,
               (unsigned long long)kOps[i].fn(0x0123456789abcdefull, 0xfedcba9876543210ull),
               (unsigned long long)kOps[i].fn(0xffffffff80000000ull, 33),
               (unsigned long long)kOps[i].fn(0x8000000000000080ull, 0x7fffffff),
               (unsigned long long)hash);
    }
    return 0;
}
