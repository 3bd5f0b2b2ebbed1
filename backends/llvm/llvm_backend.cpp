// The LLVM tier's Backend: lower, optimize, JIT, and wrap the function as a CompiledBlock.
#include "backends/llvm/llvm_backend.h"

#include <cinttypes>
#include <cstdio>

#include "backends/baseline/host_disasm.h"
#include "backends/llvm/jit.h"
#include "backends/llvm/lower.h"
#include "engine/log.h"

namespace mimic::jit {

namespace {

class JitBlock final : public CompiledBlock {
public:
    explicit JitBlock(JitFunction fn) : code_(reinterpret_cast<void*>(fn.address)), size_(fn.size) {}
    BlockExit run(CpuHeader* env) const override { return decode_exit(mimic_enter_generated(env, code_)); }
    size_t host_size() const override { return size_; }
    // Disassembled on demand: only -d out_asm asks.
    std::string dump() const override { return disassemble_host(code_, size_); }
    void* direct_entry() const override { return code_; }

private:
    void* code_;
    size_t size_;
};

}  // namespace

LlvmBackend::LlvmBackend(MemoryModel memory, Log* log, bool private_tlb)
    : memory_(memory), log_(log), private_tlb_(private_tlb) {}

LlvmBackend::~LlvmBackend() = default;

std::unique_ptr<CompiledBlock> LlvmBackend::compile(const ir::Block& block, ChainSlots* chain) {
    const std::vector<RegionBlock> unit{{&block, chain}};
    return std::move(compile_units({&unit, 1}, false).front());  // the tier a block is translated for: no lower one
}

std::unique_ptr<CompiledBlock> LlvmBackend::compile_region(const std::vector<RegionBlock>& blocks) {
    return std::move(compile_units({&blocks, 1}, true).front());
}

std::vector<std::unique_ptr<CompiledBlock>> LlvmBackend::compile_regions(
    std::span<const std::vector<RegionBlock>> regions) {
    return compile_units(regions, true);
}

std::vector<std::unique_ptr<CompiledBlock>> LlvmBackend::compile_units(std::span<const std::vector<RegionBlock>> units,
                                                                       bool retry_below) {
    std::vector<std::string> names;
    {
        std::lock_guard lock(mutex_);
        for (const std::vector<RegionBlock>& blocks : units)
            names.push_back("unit" + std::to_string(units_++) + "_" + std::to_string(blocks.front().block->guest_pc()));
    }
    auto context = std::make_unique<llvm::LLVMContext>();
    auto module = std::make_unique<llvm::Module>(names.front(), *context);
    const LowerOptions options{
        .time_helpers = log_ && log_->enabled(kLogStats), .retry_below = retry_below, .private_tlb = private_tlb_};
    for (size_t i = 0; i < units.size(); ++i) lower_unit(units[i], memory_, options, names[i], *module);
    const bool want_ir = log_ && log_->enabled(kLogLlvmIr);
    std::string ir;
    // LLJIT is made on first use: setting it up costs tens of milliseconds, which a short program
    // that never gets hot (tiered mode) should not pay at start-up.
    std::call_once(jit_once_, [this] { jit_ = std::make_unique<Jit>(); });
    const std::vector<JitFunction> fns =
        jit_->compile(std::move(module), std::move(context), names, want_ir ? &ir : nullptr);
    if (want_ir) {
        std::string units_text;  // the module's units
        for (const std::vector<RegionBlock>& blocks : units) {
            char unit[64];
            std::snprintf(unit, sizeof(unit), "%spc=0x%" PRIx64 " (%zu blocks)", units_text.empty() ? "" : ", ",
                          blocks.front().block->guest_pc(), blocks.size());
            units_text += unit;
        }
        log_->printf("LLVM IR: %s\n%s\n", units_text.c_str(), ir.c_str());
    }
    std::vector<std::unique_ptr<CompiledBlock>> code;
    for (const JitFunction& fn : fns) code.push_back(std::make_unique<JitBlock>(fn));
    return code;
}

}  // namespace mimic::jit
