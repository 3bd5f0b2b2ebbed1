// The LLVM tier's Backend: lower, optimize, JIT, and wrap the function as a CompiledBlock.
#include "backends/llvm/llvm_backend.h"

#include <cinttypes>

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

LlvmBackend::LlvmBackend(MemoryModel memory, Log* log) : memory_(memory), log_(log) {}

LlvmBackend::~LlvmBackend() = default;

std::unique_ptr<CompiledBlock> LlvmBackend::compile(const ir::Block& block, ChainSlots* chain) {
    return compile_unit({{&block, chain}}, false);  // the tier a block is translated for: no lower one
}

std::unique_ptr<CompiledBlock> LlvmBackend::compile_region(const std::vector<RegionBlock>& blocks) {
    return compile_unit(blocks, true);
}

std::unique_ptr<CompiledBlock> LlvmBackend::compile_unit(const std::vector<RegionBlock>& blocks, bool retry_below) {
    const ir::Block& block = *blocks.front().block;
    std::string name;
    {
        std::lock_guard lock(mutex_);
        name = "unit" + std::to_string(units_++) + "_" + std::to_string(block.guest_pc());
    }
    auto context = std::make_unique<llvm::LLVMContext>();
    auto module =
        lower_region(blocks, memory_, {.time_helpers = log_ && log_->enabled(kLogStats), .retry_below = retry_below},
                     name, *context);
    const bool want_ir = log_ && log_->enabled(kLogLlvmIr);
    std::string ir;
    // LLJIT is made on first use: setting it up costs tens of milliseconds, which a short program
    // that never gets hot (tiered mode) should not pay at start-up.
    std::call_once(jit_once_, [this] { jit_ = std::make_unique<Jit>(); });
    const JitFunction fn = jit_->compile(std::move(module), std::move(context), name, want_ir ? &ir : nullptr);
    if (want_ir)
        log_->printf("LLVM IR: pc=0x%" PRIx64 " (%zu blocks)\n%s\n", block.guest_pc(), blocks.size(), ir.c_str());
    return std::make_unique<JitBlock>(fn);
}

}  // namespace mimic::jit
