// F and D extensions (RV64 forms). Arithmetic, conversions and comparisons call soft-float helpers
// (helpers_fp.cpp), which the compiling tiers compute on the host where a helper is one IEEE
// operation (ir::IeeeOp); loads, stores, moves and sign injection are plain IR. FpTranslator holds
// the code both precisions share, one gen_* per instruction shape; RvF and RvD only bind encodings
// to it.
#pragma once

#include <functional>

#include "frontends/riscv/extension.h"

namespace mimic::riscv {

class FpTranslator : public ExtensionTranslator {
public:
    using ExtensionTranslator::ExtensionTranslator;

protected:
    // Single-precision values live NaN-boxed (upper 32 bits all ones) in the 64-bit f registers.
    enum class Format { kSingle, kDouble };
    enum class SignOp { kCopy, kNegate, kXor };

    bool load(Format fmt, uint32_t imm, uint32_t rs1, uint32_t rd);
    bool store(Format fmt, uint32_t hi, uint32_t rs2, uint32_t rs1, uint32_t lo);
    bool sign_inject(Format fmt, SignOp op, uint32_t rs2, uint32_t rs1, uint32_t rd);

    // Operations with an rm field. A reserved static rm (5, 6) is rejected here; the helper reads
    // the mode from the instruction bits it is passed and checks a dynamic one against frm.
    bool unary(const ir::HelperInfo& h, uint32_t rs1, uint32_t rm, uint32_t rd);  // f -> f
    bool binary(const ir::HelperInfo& h, uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd);
    bool fused(const ir::HelperInfo& h, uint32_t rs3, uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd);
    bool to_int(const ir::HelperInfo& h, uint32_t rs1, uint32_t rm, uint32_t rd);    // f -> x
    bool from_int(const ir::HelperInfo& h, uint32_t rs1, uint32_t rm, uint32_t rd);  // x -> f

    // Operations without one.
    bool min_max(const ir::HelperInfo& h, uint32_t rs2, uint32_t rs1, uint32_t rd);  // f, f -> f
    bool compare(const ir::HelperInfo& h, uint32_t rs2, uint32_t rs1, uint32_t rd);  // f, f -> x
    bool classify(const ir::HelperInfo& h, uint32_t rs1, uint32_t rd);               // f -> x

private:
    static const ir::HelperInfo* rne_form(const ir::HelperInfo& h);
    void rounded(const ir::HelperInfo& h, uint32_t rm, const std::function<Value(const ir::HelperInfo&)>& rne,
                 const std::function<Value()>& general, uint32_t rd);
    Value address(uint32_t rs1, int64_t offset);
    Value unbox(Value reg);
};

class RvF : public FpTranslator {
public:
    using FpTranslator::FpTranslator;
    using Table = decoder::Table<RvF, uint32_t>;
    static const Table& table();

    bool FLW(uint32_t imm, uint32_t rs1, uint32_t rd) { return load(Format::kSingle, imm, rs1, rd); }
    bool FSW(uint32_t hi, uint32_t rs2, uint32_t rs1, uint32_t lo) { return store(Format::kSingle, hi, rs2, rs1, lo); }
    bool FMADD_S(uint32_t rs3, uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
        return fused(kHelper_fmadd_s, rs3, rs2, rs1, rm, rd);
    }
    bool FMSUB_S(uint32_t rs3, uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
        return fused(kHelper_fmsub_s, rs3, rs2, rs1, rm, rd);
    }
    bool FNMSUB_S(uint32_t rs3, uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
        return fused(kHelper_fnmsub_s, rs3, rs2, rs1, rm, rd);
    }
    bool FNMADD_S(uint32_t rs3, uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
        return fused(kHelper_fnmadd_s, rs3, rs2, rs1, rm, rd);
    }
    bool FADD_S(uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
        return binary(kHelper_fadd_s, rs2, rs1, rm, rd);
    }
    bool FSUB_S(uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
        return binary(kHelper_fsub_s, rs2, rs1, rm, rd);
    }
    bool FMUL_S(uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
        return binary(kHelper_fmul_s, rs2, rs1, rm, rd);
    }
    bool FDIV_S(uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
        return binary(kHelper_fdiv_s, rs2, rs1, rm, rd);
    }
    bool FSQRT_S(uint32_t rs1, uint32_t rm, uint32_t rd) { return unary(kHelper_fsqrt_s, rs1, rm, rd); }
    bool FSGNJ_S(uint32_t rs2, uint32_t rs1, uint32_t rd) {
        return sign_inject(Format::kSingle, SignOp::kCopy, rs2, rs1, rd);
    }
    bool FSGNJN_S(uint32_t rs2, uint32_t rs1, uint32_t rd) {
        return sign_inject(Format::kSingle, SignOp::kNegate, rs2, rs1, rd);
    }
    bool FSGNJX_S(uint32_t rs2, uint32_t rs1, uint32_t rd) {
        return sign_inject(Format::kSingle, SignOp::kXor, rs2, rs1, rd);
    }
    bool FMIN_S(uint32_t rs2, uint32_t rs1, uint32_t rd) { return min_max(kHelper_fmin_s, rs2, rs1, rd); }
    bool FMAX_S(uint32_t rs2, uint32_t rs1, uint32_t rd) { return min_max(kHelper_fmax_s, rs2, rs1, rd); }
    bool FCVT_W_S(uint32_t rs1, uint32_t rm, uint32_t rd) { return to_int(kHelper_fcvt_w_s, rs1, rm, rd); }
    bool FCVT_WU_S(uint32_t rs1, uint32_t rm, uint32_t rd) { return to_int(kHelper_fcvt_wu_s, rs1, rm, rd); }
    bool FCVT_L_S(uint32_t rs1, uint32_t rm, uint32_t rd) { return to_int(kHelper_fcvt_l_s, rs1, rm, rd); }
    bool FCVT_LU_S(uint32_t rs1, uint32_t rm, uint32_t rd) { return to_int(kHelper_fcvt_lu_s, rs1, rm, rd); }
    bool FEQ_S(uint32_t rs2, uint32_t rs1, uint32_t rd) { return compare(kHelper_feq_s, rs2, rs1, rd); }
    bool FLT_S(uint32_t rs2, uint32_t rs1, uint32_t rd) { return compare(kHelper_flt_s, rs2, rs1, rd); }
    bool FLE_S(uint32_t rs2, uint32_t rs1, uint32_t rd) { return compare(kHelper_fle_s, rs2, rs1, rd); }
    bool FCLASS_S(uint32_t rs1, uint32_t rd) { return classify(kHelper_fclass_s, rs1, rd); }
    bool FCVT_S_W(uint32_t rs1, uint32_t rm, uint32_t rd) { return from_int(kHelper_fcvt_s_w, rs1, rm, rd); }
    bool FCVT_S_WU(uint32_t rs1, uint32_t rm, uint32_t rd) { return from_int(kHelper_fcvt_s_wu, rs1, rm, rd); }
    bool FCVT_S_L(uint32_t rs1, uint32_t rm, uint32_t rd) { return from_int(kHelper_fcvt_s_l, rs1, rm, rd); }
    bool FCVT_S_LU(uint32_t rs1, uint32_t rm, uint32_t rd) { return from_int(kHelper_fcvt_s_lu, rs1, rm, rd); }
    bool FMV_X_W(uint32_t rs1, uint32_t rd);
    bool FMV_W_X(uint32_t rs1, uint32_t rd);
};

class RvD : public FpTranslator {
public:
    using FpTranslator::FpTranslator;
    using Table = decoder::Table<RvD, uint32_t>;
    static const Table& table();

    bool FLD(uint32_t imm, uint32_t rs1, uint32_t rd) { return load(Format::kDouble, imm, rs1, rd); }
    bool FSD(uint32_t hi, uint32_t rs2, uint32_t rs1, uint32_t lo) { return store(Format::kDouble, hi, rs2, rs1, lo); }
    bool FMADD_D(uint32_t rs3, uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
        return fused(kHelper_fmadd_d, rs3, rs2, rs1, rm, rd);
    }
    bool FMSUB_D(uint32_t rs3, uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
        return fused(kHelper_fmsub_d, rs3, rs2, rs1, rm, rd);
    }
    bool FNMSUB_D(uint32_t rs3, uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
        return fused(kHelper_fnmsub_d, rs3, rs2, rs1, rm, rd);
    }
    bool FNMADD_D(uint32_t rs3, uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
        return fused(kHelper_fnmadd_d, rs3, rs2, rs1, rm, rd);
    }
    bool FADD_D(uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
        return binary(kHelper_fadd_d, rs2, rs1, rm, rd);
    }
    bool FSUB_D(uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
        return binary(kHelper_fsub_d, rs2, rs1, rm, rd);
    }
    bool FMUL_D(uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
        return binary(kHelper_fmul_d, rs2, rs1, rm, rd);
    }
    bool FDIV_D(uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
        return binary(kHelper_fdiv_d, rs2, rs1, rm, rd);
    }
    bool FSQRT_D(uint32_t rs1, uint32_t rm, uint32_t rd) { return unary(kHelper_fsqrt_d, rs1, rm, rd); }
    bool FSGNJ_D(uint32_t rs2, uint32_t rs1, uint32_t rd) {
        return sign_inject(Format::kDouble, SignOp::kCopy, rs2, rs1, rd);
    }
    bool FSGNJN_D(uint32_t rs2, uint32_t rs1, uint32_t rd) {
        return sign_inject(Format::kDouble, SignOp::kNegate, rs2, rs1, rd);
    }
    bool FSGNJX_D(uint32_t rs2, uint32_t rs1, uint32_t rd) {
        return sign_inject(Format::kDouble, SignOp::kXor, rs2, rs1, rd);
    }
    bool FMIN_D(uint32_t rs2, uint32_t rs1, uint32_t rd) { return min_max(kHelper_fmin_d, rs2, rs1, rd); }
    bool FMAX_D(uint32_t rs2, uint32_t rs1, uint32_t rd) { return min_max(kHelper_fmax_d, rs2, rs1, rd); }
    bool FCVT_S_D(uint32_t rs1, uint32_t rm, uint32_t rd) { return unary(kHelper_fcvt_s_d, rs1, rm, rd); }
    bool FCVT_D_S(uint32_t rs1, uint32_t rm, uint32_t rd) { return unary(kHelper_fcvt_d_s, rs1, rm, rd); }
    bool FEQ_D(uint32_t rs2, uint32_t rs1, uint32_t rd) { return compare(kHelper_feq_d, rs2, rs1, rd); }
    bool FLT_D(uint32_t rs2, uint32_t rs1, uint32_t rd) { return compare(kHelper_flt_d, rs2, rs1, rd); }
    bool FLE_D(uint32_t rs2, uint32_t rs1, uint32_t rd) { return compare(kHelper_fle_d, rs2, rs1, rd); }
    bool FCLASS_D(uint32_t rs1, uint32_t rd) { return classify(kHelper_fclass_d, rs1, rd); }
    bool FCVT_W_D(uint32_t rs1, uint32_t rm, uint32_t rd) { return to_int(kHelper_fcvt_w_d, rs1, rm, rd); }
    bool FCVT_WU_D(uint32_t rs1, uint32_t rm, uint32_t rd) { return to_int(kHelper_fcvt_wu_d, rs1, rm, rd); }
    bool FCVT_L_D(uint32_t rs1, uint32_t rm, uint32_t rd) { return to_int(kHelper_fcvt_l_d, rs1, rm, rd); }
    bool FCVT_LU_D(uint32_t rs1, uint32_t rm, uint32_t rd) { return to_int(kHelper_fcvt_lu_d, rs1, rm, rd); }
    bool FCVT_D_W(uint32_t rs1, uint32_t rm, uint32_t rd) { return from_int(kHelper_fcvt_d_w, rs1, rm, rd); }
    bool FCVT_D_WU(uint32_t rs1, uint32_t rm, uint32_t rd) { return from_int(kHelper_fcvt_d_wu, rs1, rm, rd); }
    bool FCVT_D_L(uint32_t rs1, uint32_t rm, uint32_t rd) { return from_int(kHelper_fcvt_d_l, rs1, rm, rd); }
    bool FCVT_D_LU(uint32_t rs1, uint32_t rm, uint32_t rd) { return from_int(kHelper_fcvt_d_lu, rs1, rm, rd); }
    bool FMV_X_D(uint32_t rs1, uint32_t rd);
    bool FMV_D_X(uint32_t rs1, uint32_t rd);
};

}  // namespace mimic::riscv
