// Names of the CSRs Mimic implements, as assemblers and QEMU's logs spell them.
#include <array>
#include <string>

#include "frontends/riscv/priv_csr.h"

namespace mimic::riscv {
namespace {

struct NameTable {
    std::array<std::string, 4096> names;

    NameTable() {
        const std::pair<unsigned, const char*> fixed[] = {
            {0x001, "fflags"},   {0x002, "frm"},        {0x003, "fcsr"},       {0x100, "sstatus"},
            {0x104, "sie"},      {0x105, "stvec"},      {0x106, "scounteren"}, {0x10a, "senvcfg"},
            {0x140, "sscratch"}, {0x141, "sepc"},       {0x142, "scause"},     {0x143, "stval"},
            {0x144, "sip"},      {0x14d, "stimecmp"},   {0x180, "satp"},       {0x300, "mstatus"},
            {0x301, "misa"},     {0x302, "medeleg"},    {0x303, "mideleg"},    {0x304, "mie"},
            {0x305, "mtvec"},    {0x306, "mcounteren"}, {0x30a, "menvcfg"},    {0x320, "mcountinhibit"},
            {0x340, "mscratch"}, {0x341, "mepc"},       {0x342, "mcause"},     {0x343, "mtval"},
            {0x344, "mip"},      {0xb00, "mcycle"},     {0xb02, "minstret"},   {0xc00, "cycle"},
            {0xc01, "time"},     {0xc02, "instret"},    {0xf11, "mvendorid"},  {0xf12, "marchid"},
            {0xf13, "mimpid"},   {0xf14, "mhartid"},    {0xf15, "mconfigptr"},
        };
        for (const auto& [csr, name] : fixed) names[csr] = name;
        for (unsigned i = 3; i < 32; ++i) {
            names[0x320 + i] = "mhpmevent" + std::to_string(i);
            names[0xb00 + i] = "mhpmcounter" + std::to_string(i);
            names[0xc00 + i] = "hpmcounter" + std::to_string(i);
        }
        // Every architectural PMP name, including those of registers this hart lacks.
        for (unsigned i = 0; i < 16; ++i) names[0x3a0 + i] = "pmpcfg" + std::to_string(i);
        for (unsigned i = 0; i < 64; ++i) names[0x3b0 + i] = "pmpaddr" + std::to_string(i);
    }
};

}  // namespace

const char* priv_csr_name(unsigned csr) {
    static const NameTable kTable;
    if (csr >= kTable.names.size() || kTable.names[csr].empty()) return nullptr;
    return kTable.names[csr].c_str();
}

}  // namespace mimic::riscv
