/* fp_ops: every RV64 F and D instruction on boundary values, printed as raw bits.
 * Each operation runs in one asm block that loads its operands into f registers with fmv.d.x (so a
 * single-precision operand can be given NaN-boxed or not), clears fflags, executes, reads fflags
 * and reads the result back with fmv.x.d (so the boxing of single results shows: a single result
 * prints as 8 hex digits when boxed, 16 when not; unboxed single operands print as 16 digits).
 * Every operation with an rm field runs under each static mode (rne rtz rdn rup rmm) and with dyn
 * under each frm, set by fesetround (RMM with fsrm: C has no name for it); "dyn ok" means each dyn
 * run matched the static mode's result and flags. Lines read "op operands: result/fflags ...".
 * Then (fp_ops_misc.c): NaN-boxing details, loads and stores, flag accrual, fetestexcept after C
 * arithmetic, and reserved rounding modes. */
#define _GNU_SOURCE
#include <fenv.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
    uint64_t v;
    unsigned fl;
} res_t;
typedef res_t (*op_fn)(uint64_t a, uint64_t b, uint64_t c);

/* One asm block per operation: a, b, c go to ft0, ft1, ft3; f results come from ft2. */
#define RUN(name, body, out)                                                                    \
    static res_t name(uint64_t a, uint64_t b, uint64_t c)                                       \
    {                                                                                           \
        res_t r;                                                                                \
        __asm__ volatile("fmv.d.x ft0, %2\n\tfmv.d.x ft1, %3\n\tfmv.d.x ft3, %4\n\t"            \
                         "fsflags zero\n\t" body "\n\tfrflags %1\n\t" out                       \
                         : "=&r"(r.v), "=&r"(r.fl)                                              \
                         : "r"(a), "r"(b), "r"(c)                                               \
                         : "ft0", "ft1", "ft2", "ft3");                                         \
        return r;                                                                               \
    }
#define F_OUT "fmv.x.d %0, ft2"

/* Instruction shapes: (function, mnemonic, rm operand text, rm number). */
#define K_FFF(name, insn, rm, rmn) RUN(name, insn " ft2, ft0, ft1" rm, F_OUT)
#define K_FFFF(name, insn, rm, rmn) RUN(name, insn " ft2, ft0, ft1, ft3" rm, F_OUT)
#define K_FF(name, insn, rm, rmn) RUN(name, insn " ft2, ft0" rm, F_OUT)
#define K_FF0(name, insn, rm, rmn) RUN(name, insn " ft2, ft0, ft0" rm, F_OUT)
#define K_XF(name, insn, rm, rmn) RUN(name, insn " %0, ft0" rm, "")
#define K_XFF(name, insn, rm, rmn) RUN(name, insn " %0, ft0, ft1" rm, "")
#define K_FX(name, insn, rm, rmn) RUN(name, insn " ft2, %2" rm, F_OUT)
/* binutils accepts no rm operand on the exact widening conversions: encode them with .insn. */
#define K_FCVT_D_S(name, insn, rm, rmn) RUN(name, ".insn r 0x53, " rmn ", 0x21, ft2, ft0, x0", F_OUT)
#define K_FCVT_D_W(name, rs2, rm, rmn) RUN(name, ".insn r 0x53, " rmn ", 0x69, ft2, %2, " rs2, F_OUT)

#define ROUNDED(kind, id, insn)                                                                  \
    kind(id##_rne, insn, ", rne", "0") kind(id##_rtz, insn, ", rtz", "1")                        \
        kind(id##_rdn, insn, ", rdn", "2") kind(id##_rup, insn, ", rup", "3")                    \
            kind(id##_rmm, insn, ", rmm", "4") kind(id##_dyn, insn, ", dyn", "7")                \
                static const op_fn id[6] = {id##_rne, id##_rtz, id##_rdn, id##_rup, id##_rmm, id##_dyn};
#define PLAIN(kind, id, insn) kind(id, insn, "", "")

ROUNDED(K_FFF, fadd_s, "fadd.s")
ROUNDED(K_FFF, fsub_s, "fsub.s")
ROUNDED(K_FFF, fmul_s, "fmul.s")
ROUNDED(K_FFF, fdiv_s, "fdiv.s")
ROUNDED(K_FF, fsqrt_s, "fsqrt.s")
ROUNDED(K_FFFF, fmadd_s, "fmadd.s")
ROUNDED(K_FFFF, fmsub_s, "fmsub.s")
ROUNDED(K_FFFF, fnmsub_s, "fnmsub.s")
ROUNDED(K_FFFF, fnmadd_s, "fnmadd.s")
ROUNDED(K_XF, fcvt_w_s, "fcvt.w.s")
ROUNDED(K_XF, fcvt_wu_s, "fcvt.wu.s")
ROUNDED(K_XF, fcvt_l_s, "fcvt.l.s")
ROUNDED(K_XF, fcvt_lu_s, "fcvt.lu.s")
ROUNDED(K_FX, fcvt_s_w, "fcvt.s.w")
ROUNDED(K_FX, fcvt_s_wu, "fcvt.s.wu")
ROUNDED(K_FX, fcvt_s_l, "fcvt.s.l")
ROUNDED(K_FX, fcvt_s_lu, "fcvt.s.lu")
PLAIN(K_FFF, fsgnj_s, "fsgnj.s")
PLAIN(K_FFF, fsgnjn_s, "fsgnjn.s")
PLAIN(K_FFF, fsgnjx_s, "fsgnjx.s")
PLAIN(K_FF0, fmv_s, "fsgnj.s")
PLAIN(K_FF0, fneg_s, "fsgnjn.s")
PLAIN(K_FF0, fabs_s, "fsgnjx.s")
PLAIN(K_FFF, fmin_s, "fmin.s")
PLAIN(K_FFF, fmax_s, "fmax.s")
PLAIN(K_XFF, feq_s, "feq.s")
PLAIN(K_XFF, flt_s, "flt.s")
PLAIN(K_XFF, fle_s, "fle.s")
PLAIN(K_XF, fclass_s, "fclass.s")
PLAIN(K_XF, fmv_x_w, "fmv.x.w")
PLAIN(K_FX, fmv_w_x, "fmv.w.x")

ROUNDED(K_FFF, fadd_d, "fadd.d")
ROUNDED(K_FFF, fsub_d, "fsub.d")
ROUNDED(K_FFF, fmul_d, "fmul.d")
ROUNDED(K_FFF, fdiv_d, "fdiv.d")
ROUNDED(K_FF, fsqrt_d, "fsqrt.d")
ROUNDED(K_FFFF, fmadd_d, "fmadd.d")
ROUNDED(K_FFFF, fmsub_d, "fmsub.d")
ROUNDED(K_FFFF, fnmsub_d, "fnmsub.d")
ROUNDED(K_FFFF, fnmadd_d, "fnmadd.d")
ROUNDED(K_XF, fcvt_w_d, "fcvt.w.d")
ROUNDED(K_XF, fcvt_wu_d, "fcvt.wu.d")
ROUNDED(K_XF, fcvt_l_d, "fcvt.l.d")
ROUNDED(K_XF, fcvt_lu_d, "fcvt.lu.d")
ROUNDED(K_FCVT_D_W, fcvt_d_w, "x0")
ROUNDED(K_FCVT_D_W, fcvt_d_wu, "x1")
ROUNDED(K_FX, fcvt_d_l, "fcvt.d.l")
ROUNDED(K_FX, fcvt_d_lu, "fcvt.d.lu")
ROUNDED(K_FF, fcvt_s_d, "fcvt.s.d")
ROUNDED(K_FCVT_D_S, fcvt_d_s, "")
PLAIN(K_FFF, fsgnj_d, "fsgnj.d")
PLAIN(K_FFF, fsgnjn_d, "fsgnjn.d")
PLAIN(K_FFF, fsgnjx_d, "fsgnjx.d")
PLAIN(K_FF0, fmv_d, "fsgnj.d")
PLAIN(K_FF0, fneg_d, "fsgnjn.d")
PLAIN(K_FF0, fabs_d, "fsgnjx.d")
PLAIN(K_FFF, fmin_d, "fmin.d")
PLAIN(K_FFF, fmax_d, "fmax.d")
PLAIN(K_XFF, feq_d, "feq.d")
PLAIN(K_XFF, flt_d, "flt.d")
PLAIN(K_XFF, fle_d, "fle.d")
PLAIN(K_XF, fclass_d, "fclass.d")
PLAIN(K_XF, fmv_x_d, "fmv.x.d")
PLAIN(K_FX, fmv_d_x, "fmv.d.x")

/* ---- printing ---- */

enum kind { S, D, X };

static void put(enum kind k, uint64_t v)
{
    if (k == S && v >> 32 == 0xffffffffu)
        printf(" %08x", (unsigned)v);
    else
        printf(" %016llx", (unsigned long long)v);
}

static void put_res(enum kind k, res_t r)
{
    put(k, r.v);
    printf("/%02x", r.fl);
}

static int same(res_t a, res_t b) { return a.v == b.v && a.fl == b.fl; }

static void head(const char *name, enum kind k, int n, uint64_t a, uint64_t b, uint64_t c)
{
    printf("%s", name);
    put(k, a);
    if (n > 1) put(k, b);
    if (n > 2) put(k, c);
    printf(":");
}

/* frm for the dyn runs: fesetround for the four C modes (in rm order), fsrm for RMM. */
static void set_frm(int rm)
{
    static const int fe[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};
    if (rm < 4)
        fesetround(fe[rm]);
    else
        __asm__ volatile("fsrm %0" : : "r"(rm));
}

static void rounded(const char *name, const op_fn fn[6], enum kind rk, enum kind ak, int n, uint64_t a,
                    uint64_t b, uint64_t c)
{
    res_t st[5], dyn[5];
    for (int m = 0; m < 5; m++) st[m] = fn[m](a, b, c);
    for (int m = 0; m < 5; m++) {
        set_frm(m);
        dyn[m] = fn[5](a, b, c);
    }
    fesetround(FE_TONEAREST);
    head(name, ak, n, a, b, c);
    int uniform = 1, dyn_ok = 1;
    for (int m = 1; m < 5; m++) uniform &= same(st[m], st[0]);
    for (int m = 0; m < 5; m++) dyn_ok &= same(dyn[m], st[m]);
    if (uniform) {
        put_res(rk, st[0]);
        printf(" (every mode)");
    } else {
        for (int m = 0; m < 5; m++) put_res(rk, st[m]);
    }
    if (dyn_ok) {
        printf(" dyn ok\n");
        return;
    }
    printf(" dyn differs:");
    for (int m = 0; m < 5; m++) put_res(rk, dyn[m]);
    printf("\n");
}

static void plain(const char *name, op_fn fn, enum kind rk, enum kind ak, int n, uint64_t a, uint64_t b)
{
    head(name, ak, n, a, b, 0);
    put_res(rk, fn(a, b, 0));
    printf("\n");
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define B(x) (0xffffffff00000000ull | (x))

/* ---- operands ---- */

/* Special values (all pairs), the last one an unboxed single 1.0 / a boxed single seen as double. */
static const uint64_t specials_s[] = {B(0), B(0x80000000), B(0x3f800000), B(0x7f800000),
                                      B(0xff800000), B(0x7fc00000), B(0x7f800001), 0x3f800000};
static const uint64_t specials_d[] = {0, 0x8000000000000000, 0x3ff0000000000000, 0x7ff0000000000000,
                                      0xfff0000000000000, 0x7ff8000000000000, 0x7ff0000000000001,
                                      0xffffffff3f800000};

/* Pairs where rounding, overflow, underflow and exactness show. */
static const uint64_t pairs_s[][2] = {
    {B(0x3f800000), B(0x33800000)}, /* 1, 2^-24: ties in add/sub */
    {B(0x3f800000), B(0x33800001)}, {B(0x3f800001), B(0x33800000)}, {B(0x3f800000), B(0x40400000)},
    {B(0x40000000), B(0x40400000)}, {B(0x3eaaaaab), B(0x40400000)}, {B(0x7f7fffff), B(0x7f7fffff)},
    {B(0x7f7fffff), B(0x3f000000)}, {B(0xff7fffff), B(0x7f7fffff)}, {B(0x00800000), B(0x3f000000)},
    {B(0x00800000), B(0x40400000)}, {B(0x00000001), B(0x3f000000)}, {B(0x00800000), B(0x80000001)},
    {B(0x3f800000), B(0xbf800000)}, {B(0x3fc00000), B(0x40200000)}, {B(0x4b800000), B(0x3f800000)},
    {B(0xcb800000), B(0xbf800000)}, {B(0x7f000000), B(0x40000000)}, {B(0x00ffffff), B(0x3f000000)},
    {B(0x007fffff), B(0x3f800001)}, {B(0x80000000), B(0x80000000)}, {B(0x00000001), B(0x7f7fffff)},
};
static const uint64_t pairs_d[][2] = {
    {0x3ff0000000000000, 0x3ca0000000000000}, /* 1, 2^-53 */
    {0x3ff0000000000000, 0x3ca0000000000001}, {0x3ff0000000000001, 0x3ca0000000000000},
    {0x3ff0000000000000, 0x4008000000000000}, {0x4000000000000000, 0x4008000000000000},
    {0x3fd5555555555555, 0x4008000000000000}, {0x7fefffffffffffff, 0x7fefffffffffffff},
    {0x7fefffffffffffff, 0x3fe0000000000000}, {0xffefffffffffffff, 0x7fefffffffffffff},
    {0x0010000000000000, 0x3fe0000000000000}, {0x0010000000000000, 0x4008000000000000},
    {0x0000000000000001, 0x3fe0000000000000}, {0x0010000000000000, 0x8000000000000001},
    {0x3ff0000000000000, 0xbff0000000000000}, {0x3ff8000000000000, 0x4004000000000000},
    {0x4340000000000000, 0x3ff0000000000000}, {0xc340000000000000, 0xbff0000000000000},
    {0x7fe0000000000000, 0x4000000000000000}, {0x001fffffffffffff, 0x3fe0000000000000},
    {0x000fffffffffffff, 0x3ff0000000000001}, {0x8000000000000000, 0x8000000000000000},
    {0x0000000000000001, 0x7fefffffffffffff},
};

static const uint64_t triples_s[][3] = {
    {B(0x3f800000), B(0x3f800000), B(0x3f800000)}, {B(0x3f800001), B(0x3f800001), B(0xbf800000)},
    {B(0x7f800000), B(0x00000000), B(0x7fc00000)}, /* inf*0 + qNaN: invalid all the same */
    {B(0x7f800000), B(0x00000000), B(0x3f800000)}, {B(0x7f800000), B(0x3f800000), B(0xff800000)},
    {B(0x3f800000), B(0x7f800000), B(0xff800000)}, {B(0x7f800001), B(0x3f800000), B(0x3f800000)},
    {B(0x3f800000), B(0x3f800000), B(0x7f800001)}, {B(0x7fc00000), B(0x3f800000), B(0x3f800000)},
    {B(0x3f800000), B(0xbf800000), B(0x3f800000)}, {B(0x00000000), B(0x00000000), B(0x80000000)},
    {B(0x80000000), B(0x3f800000), B(0x00000000)}, {B(0x7f7fffff), B(0x40000000), B(0xff7fffff)},
    {B(0x7f7fffff), B(0x7f7fffff), B(0x00000000)}, {B(0x00800000), B(0x3f000000), B(0x00000000)},
    {B(0x00800000), B(0x3eaaaaab), B(0x00000000)}, {B(0x3eaaaaab), B(0x40400000), B(0xbf800000)},
    {B(0x3f800000), B(0x3f800000), B(0x33800000)}, {B(0xbf800000), B(0x3f800000), B(0xb3800000)},
    {B(0x00000001), B(0x00000001), B(0x00000000)}, {B(0x3f000000), B(0x00000001), B(0x00000000)},
    {B(0x3fc00000), B(0x3fc00000), B(0x00000000)}, {0x3f800000, B(0x3f800000), B(0x3f800000)},
};
static const uint64_t triples_d[][3] = {
    {0x3ff0000000000000, 0x3ff0000000000000, 0x3ff0000000000000},
    {0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000000},
    {0x7ff0000000000000, 0x0000000000000000, 0x7ff8000000000000},
    {0x7ff0000000000000, 0x0000000000000000, 0x3ff0000000000000},
    {0x7ff0000000000000, 0x3ff0000000000000, 0xfff0000000000000},
    {0x3ff0000000000000, 0x7ff0000000000000, 0xfff0000000000000},
    {0x7ff0000000000001, 0x3ff0000000000000, 0x3ff0000000000000},
    {0x3ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000001},
    {0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000},
    {0x3ff0000000000000, 0xbff0000000000000, 0x3ff0000000000000},
    {0x0000000000000000, 0x0000000000000000, 0x8000000000000000},
    {0x8000000000000000, 0x3ff0000000000000, 0x0000000000000000},
    {0x7fefffffffffffff, 0x4000000000000000, 0xffefffffffffffff},
    {0x7fefffffffffffff, 0x7fefffffffffffff, 0x0000000000000000},
    {0x0010000000000000, 0x3fe0000000000000, 0x0000000000000000},
    {0x0010000000000000, 0x3fd5555555555555, 0x0000000000000000},
    {0x3fd5555555555555, 0x4008000000000000, 0xbff0000000000000},
    {0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000},
    {0xbff0000000000000, 0x3ff0000000000000, 0xbca0000000000000},
    {0x0000000000000001, 0x0000000000000001, 0x0000000000000000},
    {0x3fe0000000000000, 0x0000000000000001, 0x0000000000000000},
    {0x3ff8000000000000, 0x3ff8000000000000, 0x0000000000000000},
    {0x3ff0000000000000, 0x3ff0000000000000, 0x380ffffff0000000},
};

/* One operand: sqrt, conversions to integers, classification, moves. */
static const uint64_t unary_s[] = {
    B(0), B(0x80000000), B(0x3f800000), B(0xbf800000), B(0x40800000), B(0x40000000), B(0x3f000000),
    B(0xbf000000), B(0x3fc00000), B(0x40200000), B(0xbfc00000), B(0xc0200000), B(0x3f7fffff),
    B(0x00000001), B(0x80000001), B(0x007fffff), B(0x00800000), B(0x7f7fffff), B(0xff7fffff),
    B(0x7f800000), B(0xff800000), B(0x7fc00000), B(0xffc00001), B(0x7f800001), B(0xff800001),
    B(0x4effffff), B(0x4f000000), B(0xcf000000), B(0xcf000001), B(0x4f800000), B(0x4f7fffff),
    B(0x5effffff), B(0x5f000000), B(0xdf000000), B(0xdf000001), B(0x5f800000), B(0x4b7fffff),
    0x3f800000, 0xfffffffe7f800000,
};
static const uint64_t unary_d[] = {
    0, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000, 0x4010000000000000,
    0x4000000000000000, 0x3fe0000000000000, 0xbfe0000000000000, 0x3ff8000000000000,
    0x4004000000000000, 0xbff8000000000000, 0xc004000000000000, 0x3fefffffffffffff,
    0x0000000000000001, 0x8000000000000001, 0x000fffffffffffff, 0x0010000000000000,
    0x7fefffffffffffff, 0xffefffffffffffff, 0x7ff0000000000000, 0xfff0000000000000,
    0x7ff8000000000000, 0xfff8000000000001, 0x7ff0000000000001, 0xfff0000000000001,
    0x41dfffffffc00000, 0x41dfffffffe00000, 0x41e0000000000000, 0xc1e0000000000000,
    0xc1e0000000100000, 0xc1e0000000200000, 0x41efffffffe00000, 0x41effffffff00000,
    0x41f0000000000000, 0x43dfffffffffffff, 0x43e0000000000000, 0xc3e0000000000000,
    0xc3e0000000000001, 0x43efffffffffffff, 0x43f0000000000000, 0x4340000000000001,
    /* for fcvt.s.d: single ties, the single overflow threshold, single subnormals, tininess */
    0x3ff0000010000000, 0x3ff0000030000000, 0x47efffffe0000000, 0x47effffff0000000,
    0x47efffffefffffff, 0x36a0000000000000, 0x3690000000000000, 0x3698000000000000,
    0x380ffffff0000000, 0x3fd5555555555555, 0xffffffff3f800000,
};

/* x-register operands of the conversions to float and of fmv.w.x / fmv.d.x. */
static const uint64_t ints[] = {
    0, 1, 0xffffffffffffffff, 0x7fffffff, 0x80000000, 0xffffffff80000000, 0xffffffff,
    0x1000001, 0x1000003, 0xffffffffff000001, 0x7fffffffffffffff, 0x8000000000000000,
    0x20000000000001, 0x20000000000003, 0x123456789abcdef0, 0x1ffffffff, 0xfffffffffffffbff,
    0x7fffff80, 0x7fffffc0, 0xfffffffffffff800, 0xfffffffffffffffe,
};

/* Comparisons, min/max: all pairs. */
static const uint64_t cmp_s[] = {B(0), B(0x80000000), B(0x3f800000), B(0xbf800000), B(0x00000001),
                                 B(0x7f800000), B(0xff800000), B(0x7fc00000), B(0x7f800001), 0x3f800000};
static const uint64_t cmp_d[] = {0, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000, 1,
                                 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
                                 0x7ff0000000000001, 0x3ff0000000000001};

/* Sign injection: all pairs; NaNs keep their payload, unboxed singles read as the canonical NaN. */
static const uint64_t sgnj_s[] = {B(0x3f800000), B(0xbfc00000), B(0x80000000), B(0x7fc00000),
                                  B(0xff800001), 0x00000000bf800000};
static const uint64_t sgnj_d[] = {0x3ff0000000000000, 0xbff8000000000000, 0x8000000000000000,
                                  0x7ff8000000000000, 0xfff0000000000001, 0xffffffff3f800000};

/* ---- the instruction sets of one precision ---- */

struct precision {
    const char *suffix;
    enum kind k;
    const op_fn *arith[4], *fused[4], *sqrt, *to_int[4], *from_int[4];
    op_fn sgnj[3], same_reg[3], min, max, eq, lt, le, fclass, mv_x, mv_f;
    const uint64_t *specials, (*pairs)[2], (*triples)[3], *unary, *cmp, *sgnj_vals;
    size_t n_specials, n_pairs, n_triples, n_unary, n_cmp, n_sgnj;
};

static const char *const arith_names[4] = {"fadd", "fsub", "fmul", "fdiv"};
static const char *const fused_names[4] = {"fmadd", "fmsub", "fnmsub", "fnmadd"};
static const char *const to_int_names[4] = {"fcvt.w", "fcvt.wu", "fcvt.l", "fcvt.lu"};
static const char *const from_int_names[4] = {"w", "wu", "l", "lu"};

static void test_precision(const struct precision *p)
{
    char name[32];
    const enum kind k = p->k;
    for (int op = 0; op < 4; op++) {
        snprintf(name, sizeof name, "%s.%s", arith_names[op], p->suffix);
        for (size_t i = 0; i < p->n_specials; i++)
            for (size_t j = 0; j < p->n_specials; j++)
                rounded(name, p->arith[op], k, k, 2, p->specials[i], p->specials[j], 0);
        for (size_t i = 0; i < p->n_pairs; i++) {
            rounded(name, p->arith[op], k, k, 2, p->pairs[i][0], p->pairs[i][1], 0);
            rounded(name, p->arith[op], k, k, 2, p->pairs[i][1], p->pairs[i][0], 0);
        }
    }
    for (int op = 0; op < 4; op++) {
        snprintf(name, sizeof name, "%s.%s", fused_names[op], p->suffix);
        for (size_t i = 0; i < p->n_triples; i++)
            rounded(name, p->fused[op], k, k, 3, p->triples[i][0], p->triples[i][1], p->triples[i][2]);
    }
    snprintf(name, sizeof name, "fsqrt.%s", p->suffix);
    for (size_t i = 0; i < p->n_unary; i++) rounded(name, p->sqrt, k, k, 1, p->unary[i], 0, 0);
    for (int op = 0; op < 4; op++) {
        snprintf(name, sizeof name, "%s.%s", to_int_names[op], p->suffix);
        for (size_t i = 0; i < p->n_unary; i++) rounded(name, p->to_int[op], X, k, 1, p->unary[i], 0, 0);
    }
    for (int op = 0; op < 4; op++) {
        snprintf(name, sizeof name, "fcvt.%s.%s", p->suffix, from_int_names[op]);
        for (size_t i = 0; i < COUNT(ints); i++) rounded(name, p->from_int[op], k, X, 1, ints[i], 0, 0);
    }
    /* Operations without an rm field: one line per operand (pair). fmv/fneg/fabs are sign
     * injection with rs1 == rs2. */
    for (size_t i = 0; i < p->n_unary; i++) {
        const uint64_t a = p->unary[i];
        printf("fclass/fmv.x.%s/fmv/fneg/fabs.%s", p->k == S ? "w" : "d", p->suffix);
        put(k, a);
        printf(":");
        put_res(X, p->fclass(a, 0, 0));
        put_res(X, p->mv_x(a, 0, 0));
        for (int op = 0; op < 3; op++) put_res(k, p->same_reg[op](a, 0, 0));
        printf("\n");
    }
    snprintf(name, sizeof name, "fmv.%s.x", p->k == S ? "w" : "d");
    for (size_t i = 0; i < COUNT(ints); i++) plain(name, p->mv_f, k, X, 1, ints[i], 0);
    for (size_t i = 0; i < p->n_cmp; i++)
        for (size_t j = 0; j < p->n_cmp; j++) {
            const uint64_t a = p->cmp[i], b = p->cmp[j];
            printf("feq/flt/fle/fmin/fmax.%s", p->suffix);
            put(k, a);
            put(k, b);
            printf(":");
            put_res(X, p->eq(a, b, 0));
            put_res(X, p->lt(a, b, 0));
            put_res(X, p->le(a, b, 0));
            put_res(k, p->min(a, b, 0));
            put_res(k, p->max(a, b, 0));
            printf("\n");
        }
    for (size_t i = 0; i < p->n_sgnj; i++)
        for (size_t j = 0; j < p->n_sgnj; j++) {
            const uint64_t a = p->sgnj_vals[i], b = p->sgnj_vals[j];
            printf("fsgnj/n/x.%s", p->suffix);
            put(k, a);
            put(k, b);
            printf(":");
            for (int op = 0; op < 3; op++) put_res(k, p->sgnj[op](a, b, 0));
            printf("\n");
        }
}

static const struct precision single = {
    "s", S,
    {fadd_s, fsub_s, fmul_s, fdiv_s}, {fmadd_s, fmsub_s, fnmsub_s, fnmadd_s}, fsqrt_s,
    {fcvt_w_s, fcvt_wu_s, fcvt_l_s, fcvt_lu_s}, {fcvt_s_w, fcvt_s_wu, fcvt_s_l, fcvt_s_lu},
    {fsgnj_s, fsgnjn_s, fsgnjx_s}, {fmv_s, fneg_s, fabs_s},
    fmin_s, fmax_s, feq_s, flt_s, fle_s, fclass_s, fmv_x_w, fmv_w_x,
    specials_s, pairs_s, triples_s, unary_s, cmp_s, sgnj_s,
    COUNT(specials_s), COUNT(pairs_s), COUNT(triples_s), COUNT(unary_s), COUNT(cmp_s), COUNT(sgnj_s),
};

static const struct precision dbl = {
    "d", D,
    {fadd_d, fsub_d, fmul_d, fdiv_d}, {fmadd_d, fmsub_d, fnmsub_d, fnmadd_d}, fsqrt_d,
    {fcvt_w_d, fcvt_wu_d, fcvt_l_d, fcvt_lu_d}, {fcvt_d_w, fcvt_d_wu, fcvt_d_l, fcvt_d_lu},
    {fsgnj_d, fsgnjn_d, fsgnjx_d}, {fmv_d, fneg_d, fabs_d},
    fmin_d, fmax_d, feq_d, flt_d, fle_d, fclass_d, fmv_x_d, fmv_d_x,
    specials_d, pairs_d, triples_d, unary_d, cmp_d, sgnj_d,
    COUNT(specials_d), COUNT(pairs_d), COUNT(triples_d), COUNT(unary_d), COUNT(cmp_d), COUNT(sgnj_d),
};

static void conversions_between_precisions(void)
{
    for (size_t i = 0; i < COUNT(unary_d); i++) rounded("fcvt.s.d", fcvt_s_d, S, D, 1, unary_d[i], 0, 0);
    for (size_t i = 0; i < COUNT(unary_s); i++) rounded("fcvt.d.s", fcvt_d_s, D, S, 1, unary_s[i], 0, 0);
}

/* fp_ops_misc.c */
void nan_boxing(void);
void loads_stores(void);
void flag_accrual(void);
void c_arithmetic(void);
void reserved_rounding_modes(void);

int main(void)
{
    test_precision(&single);
    test_precision(&dbl);
    conversions_between_precisions();
    nan_boxing();
    loads_stores();
    flag_accrual();
    c_arithmetic();
    reserved_rounding_modes();
    return 0;
}
