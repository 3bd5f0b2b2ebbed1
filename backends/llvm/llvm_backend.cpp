// The LLVM tier's Backend: lower, optimize, JIT, and wrap the function as a CompiledBlock.
#include "backends/llvm/llvm_backend.h"

#include <cinttypes>

#include "backends/llvm/jit.h"
#include "backends/llvm/lower.h"
#include "engine/log.h"

namespace mimic::jit {

namespace {

class JitBlock final : public CompiledBlock {
public:
    using Fn = uint64_t (*)(CpuHeader*);
    JitBlock(Fn fn, std::string ir) : fn_(fn), ir_(std::move(ir)) {}
    BlockExit run(CpuHeader* env) const override { return decode_exit(fn_(env)); }
    size_t host_size() const override { return 0; }
    std::string dump() const override { return ir_; }
    void* direct_entry() const override { return reinterpret_cast<void*>(fn_); }

private:
    Fn fn_;
    std::string ir_;
};

}  // namespace

LlvmBackend::LlvmBackend(MemoryModel memory, Log* log) : memory_(memory), log_(log), jit_(std::make_unique<Jit>()) {}

LlvmBackend::~LlvmBackend() = default;

std::unique_ptr<CompiledBlock> LlvmBackend::compile(const ir::Block& block, ChainSlots* chain) {
    std::string name;
    {
        std::lock_guard lock(mutex_);
        name = "unit" + std::to_string(units_++) + "_" + std::to_string(block.guest_pc());
    }
    auto context = std::make_unique<llvm::LLVMContext>();
    auto module = lower_block(block, memory_, chain, name, *context);
    const bool want_ir = log_ && log_->enabled(kLogLlvmIr);
    std::string ir;
    const uint64_t address = jit_->compile(std::move(module), std::move(context), name, want_ir ? &ir : nullptr);
    if (want_ir) log_->printf("LLVM IR: pc=0x%" PRIx64 "\n%s\n", block.guest_pc(), ir.c_str());
    return std::make_unique<JitBlock>(reinterpret_cast<JitBlock::Fn>(address), std::move(ir));
}

}  // namespace mimic::jit
