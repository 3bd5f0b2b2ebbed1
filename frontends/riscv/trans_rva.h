// A extension: LR/SC and AMOs, each a call to a helper that works on a host pointer with the host's
// atomic instructions, so guest threads running on different host threads really are atomic.
#pragma once

#include "frontends/riscv/extension.h"

namespace mimic::riscv {

class RvA : public ExtensionTranslator {
public:
    using ExtensionTranslator::ExtensionTranslator;
    using Table = decoder::Table<RvA, uint32_t>;
    static const Table& table();

    bool LR_W(uint32_t rs1, uint32_t rd) { return load_reserved(kHelper_lr_w, rs1, rd); }
    bool LR_D(uint32_t rs1, uint32_t rd) { return load_reserved(kHelper_lr_d, rs1, rd); }
    bool SC_W(uint32_t rs2, uint32_t rs1, uint32_t rd) { return store_conditional(kHelper_sc_w, rs2, rs1, rd); }
    bool SC_D(uint32_t rs2, uint32_t rs1, uint32_t rd) { return store_conditional(kHelper_sc_d, rs2, rs1, rd); }
    bool AMOSWAP_W(uint32_t rs2, uint32_t rs1, uint32_t rd) { return amo(kHelper_amoswap_w, rs2, rs1, rd); }
    bool AMOADD_W(uint32_t rs2, uint32_t rs1, uint32_t rd) { return amo(kHelper_amoadd_w, rs2, rs1, rd); }
    bool AMOXOR_W(uint32_t rs2, uint32_t rs1, uint32_t rd) { return amo(kHelper_amoxor_w, rs2, rs1, rd); }
    bool AMOAND_W(uint32_t rs2, uint32_t rs1, uint32_t rd) { return amo(kHelper_amoand_w, rs2, rs1, rd); }
    bool AMOOR_W(uint32_t rs2, uint32_t rs1, uint32_t rd) { return amo(kHelper_amoor_w, rs2, rs1, rd); }
    bool AMOMIN_W(uint32_t rs2, uint32_t rs1, uint32_t rd) { return amo(kHelper_amomin_w, rs2, rs1, rd); }
    bool AMOMAX_W(uint32_t rs2, uint32_t rs1, uint32_t rd) { return amo(kHelper_amomax_w, rs2, rs1, rd); }
    bool AMOMINU_W(uint32_t rs2, uint32_t rs1, uint32_t rd) { return amo(kHelper_amominu_w, rs2, rs1, rd); }
    bool AMOMAXU_W(uint32_t rs2, uint32_t rs1, uint32_t rd) { return amo(kHelper_amomaxu_w, rs2, rs1, rd); }
    bool AMOSWAP_D(uint32_t rs2, uint32_t rs1, uint32_t rd) { return amo(kHelper_amoswap_d, rs2, rs1, rd); }
    bool AMOADD_D(uint32_t rs2, uint32_t rs1, uint32_t rd) { return amo(kHelper_amoadd_d, rs2, rs1, rd); }
    bool AMOXOR_D(uint32_t rs2, uint32_t rs1, uint32_t rd) { return amo(kHelper_amoxor_d, rs2, rs1, rd); }
    bool AMOAND_D(uint32_t rs2, uint32_t rs1, uint32_t rd) { return amo(kHelper_amoand_d, rs2, rs1, rd); }
    bool AMOOR_D(uint32_t rs2, uint32_t rs1, uint32_t rd) { return amo(kHelper_amoor_d, rs2, rs1, rd); }
    bool AMOMIN_D(uint32_t rs2, uint32_t rs1, uint32_t rd) { return amo(kHelper_amomin_d, rs2, rs1, rd); }
    bool AMOMAX_D(uint32_t rs2, uint32_t rs1, uint32_t rd) { return amo(kHelper_amomax_d, rs2, rs1, rd); }
    bool AMOMINU_D(uint32_t rs2, uint32_t rs1, uint32_t rd) { return amo(kHelper_amominu_d, rs2, rs1, rd); }
    bool AMOMAXU_D(uint32_t rs2, uint32_t rs1, uint32_t rd) { return amo(kHelper_amomaxu_d, rs2, rs1, rd); }

private:
    bool load_reserved(const ir::HelperInfo& helper, uint32_t rs1, uint32_t rd);
    bool store_conditional(const ir::HelperInfo& helper, uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool amo(const ir::HelperInfo& helper, uint32_t rs2, uint32_t rs1, uint32_t rd);
};

}  // namespace mimic::riscv
