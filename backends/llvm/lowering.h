// The lowering of IR to LLVM IR (lower.h), shared by its source files: lower.cpp (units, exits,
// chaining, arithmetic, helpers) and lower_memory.cpp (the memory models' fast and slow paths).
// Internal to backends/llvm.
#pragma once

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/backend.h"
#include "ir/block.h"

namespace mimic::jit {

// One unit's lowering: one LLVM function for the region's blocks (lower_unit builds one).
class Lowering {
public:
    // With options.time_helpers, helper calls are timed and inline jump cache hits counted.
    Lowering(const std::vector<RegionBlock>& blocks, MemoryModel memory, LowerOptions options, llvm::Module& module)
        : blocks_(blocks),
          globals_info_(blocks.front().block->globals()),
          memory_(memory),
          stats_(options.time_helpers),
          retry_below_(options.retry_below),
          private_tlb_(options.private_tlb),
          m_(module),
          ctx_(module.getContext()),
          b_(ctx_) {}

    void run(const std::string& name);

private:
    llvm::Type* type(ir::Type t) { return t == ir::Type::kI32 ? b_.getInt32Ty() : b_.getInt64Ty(); }
    llvm::Value* value(ir::Value v);
    llvm::Value* value64(ir::Value v);  // zero-extended to i64
    llvm::Value* env_field(size_t offset) { return b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), env_, offset); }
    llvm::Value* load_env(llvm::Type* t, size_t offset, bool invariant = false);
    void store_env(llvm::Value* v, size_t offset);
    // Branch weights (of a branch or a select) for a condition that is almost always `usually`.
    llvm::MDNode* mostly(bool usually) {
        return llvm::MDBuilder(ctx_).createBranchWeights(usually ? 1000 : 1, usually ? 1 : 1000);
    }
    llvm::Value* helper_pointer(const void* fn) {
        return b_.CreateIntToPtr(b_.getInt64(reinterpret_cast<uint64_t>(fn)), b_.getPtrTy());
    }

    void write_back(uint32_t g);  // stores global g's current value in env
    void reload(uint32_t g);
    void write_back_globals();       // the dirty ones, on the current path: they are in sync after it
    void write_back_on_side_path();  // the same on a branch off the path, which stays dirty
    void reload_globals();
    void ret(BlockExit::Kind kind, unsigned slot = 0, ir::ExitReason reason = {});
    void goto_tb(unsigned slot, llvm::Value* pc);
    void enter_member(uint64_t member_pc, BlockExit::Kind kind, unsigned slot, llvm::Value* pc);
    void leave(BlockExit::Kind kind, unsigned slot = 0);
    llvm::Value* call_cold(const void* fn, llvm::FunctionType* type, const char* name,
                           llvm::ArrayRef<llvm::Value*> args);
    void tail_call(llvm::Value* entry);
    void tail_call_if_found(llvm::Value* entry, const char* name);
    llvm::Value* exit_requested();  // i1: env->exit_request is set
    void lookup_and_goto(llvm::Value* pc);
    void probe_jump_cache(llvm::Value* pc, llvm::BasicBlock* miss);
    std::map<uint64_t, std::set<uint32_t>> dirty_at_member_entries() const;
    void lower_block(const ir::Block& block);
    llvm::BasicBlock* fault_block();  // leaves with the current instruction's pc
    void begin_restart();
    llvm::BasicBlock* retry_block();  // leaves with kRetry and the state at restart_'s start
    void ensure_open_block();

    llvm::Value* lower_pure(const ir::Inst& in);
    llvm::Value* lower_div(const ir::Inst& in);
    llvm::Value* lower_load(const ir::Inst& in);
    void lower_store(const ir::Inst& in);
    llvm::Value* lower_call(const ir::Inst& in);
    llvm::Value* lower_ieee(const ir::Inst& in, const ir::IeeeOp& op);
    llvm::Value* compare_without_flags(const ir::IeeeOp& op, llvm::Value* x, llvm::Value* y);
    bool on_host(const ir::IeeeOp& op) const;
    bool raises_on_host(const ir::IeeeOp& op) const;  // on the host, into MXCSR's flags
    void clear_host_flags();
    void fold_host_flags();
    llvm::Value* host_flag_bits(llvm::Type* t);  // the flags MXCSR holds, as the flags global's bits
    bool retries(ir::MemOp op) const;
    bool versionable(ir::MemOp op) const;  // marked for version_counted_loops
    // Branches to `slow` unless the fast path may access [addr, addr+size); returns the host
    // address, with the insert point on the fast path. Null if there is no fast path for `op` (the
    // branch to `slow` is then unconditional). With `cache`, a system-mode access first tries the
    // page its site last translated (TlbCache): only an access whose miss leaves the unit (kRetry),
    // and a store only with private_tlb_.
    llvm::Value* fast_path(llvm::Value* addr, ir::MemOp op, bool store, llvm::BasicBlock* slow, bool cache = false);
    void forget_translations();  // after the lowering: resets every TlbCache after every call
    std::pair<llvm::Value*, llvm::Value*> tlb_entry(llvm::Value* page, ir::MemOp op, bool store);
    llvm::Value* cached_translation(llvm::Value* addr, llvm::Value* page, llvm::Value* ok, ir::MemOp op, bool store,
                                    llvm::BasicBlock* slow);
    // A TlbCache's page when it has none: an address masked to its page and alignment bits (see
    // cached_translation) never has bit 11 set.
    static constexpr uint64_t kNoPage = 0x800;
    // The first load sites of a unit get a cache, no more: each is two more values live around
    // a loop. With one per site, nbody's loop of many loads ran 1.3-1.4x as long (register
    // pressure); with two per unit it ran as before, and crc32 and strsearch in 0.7-0.8x the time.
    static constexpr size_t kCachedLoads = 2;
    // And the first store site: merge sort's and memops' copy loops store to one page at a time.
    static constexpr size_t kCachedStores = 1;
    llvm::Value* fast_access(llvm::Value* host, ir::MemOp op, llvm::Value* data, llvm::BasicBlock* slow,
                             llvm::BasicBlock* done);
    llvm::Value* guarded_access(llvm::Value* host, ir::MemOp op, llvm::Value* data, llvm::BasicBlock* slow,
                                llvm::BasicBlock* done);
    llvm::Value* fast_path_to(llvm::Value* addr, ir::MemOp op, llvm::Value* data, llvm::BasicBlock* slow,
                              llvm::BasicBlock* done, llvm::BasicBlock** from, bool cache = false);

    const std::vector<RegionBlock>& blocks_;
    ir::GlobalTable globals_info_;
    MemoryModel memory_;
    bool stats_;
    bool retry_below_;
    bool private_tlb_;
    const RegionBlock* current_ = nullptr;
    ChainSlots* chain_ = nullptr;                    // the current block's
    uint32_t flags_ = 0;                             // ... and its mode flags
    std::map<uint64_t, llvm::BasicBlock*> members_;  // the region's blocks by guest pc
    std::map<uint64_t, size_t> member_order_;        // ... and their place in the region's order
    llvm::Module& m_;
    llvm::LLVMContext& ctx_;
    llvm::IRBuilder<> b_;
    llvm::Function* fn_ = nullptr;
    llvm::Value* env_ = nullptr;
    std::vector<llvm::Value*> vals_;
    std::vector<llvm::BasicBlock*> labels_;
    std::map<uint32_t, llvm::AllocaInst*> globals_;       // used guest registers
    std::set<uint32_t> dirty_;                            // ... that may differ from env here
    std::map<uint32_t, std::set<uint32_t>> label_dirty_;  // dirty on the branches to each label
    std::map<std::pair<uint64_t, std::set<uint32_t>>, llvm::BasicBlock*> faults_;  // per pc and dirty set
    uint64_t pc_ = 0;                                                              // the current instruction's guest pc
    // With retry_below_: the group of instructions the current one belongs to, which starts at an
    // instruction and goes on while none has a side effect (a store, a call, or a write of the
    // flags MXCSR accrues). Running it again from its start is then invisible, so an access that
    // its fast path does not do leaves with its start's state (kRetry): one exit per group, no
    // slow path per access. A store ends the group after itself. A label starts a new one (its
    // start's values must dominate the exit).
    struct Restart {
        uint64_t pc = 0;
        std::map<uint32_t, llvm::Value*> dirty;  // the dirty globals' values at pc
        llvm::BasicBlock* exit = nullptr;        // made by the first access that needs it
        bool ended = false;                      // a side effect since pc
    };
    std::optional<Restart> restart_;
    llvm::MDNode* invariant_ = nullptr;
    std::map<const void*, llvm::Function*> cold_wrappers_;  // call_cold's, per C function
    llvm::Value* slow_value_ = nullptr;                     // where load slow paths put the value (one static alloca)
    // A system-mode access's last translation (cached_translation in lower_memory.cpp): per
    // site, the page and addend of its last TLB hit, in allocas that SROA makes loop-carried
    // values. Every call may change the TLB, so each cache's page is reset after each of them
    // (forget_translations).
    struct TlbCache {
        llvm::AllocaInst* page;
        llvm::AllocaInst* addend;
    };
    std::vector<TlbCache> tlb_caches_;
    size_t cached_loads_ = 0, cached_stores_ = 0;  // sites with a cache
    std::vector<llvm::Instruction*> calls_;        // every call a cache must not outlive
    // The flags global of the IEEE helpers the unit computes on the host (ir::IeeeOp), when it has
    // any: their exceptions accrue in MXCSR, not yet in the global, where it is dirty.
    std::optional<uint32_t> host_flags_;
    llvm::Value* mxcsr_slot_ = nullptr;  // an i32 for ldmxcsr and stmxcsr
};

}  // namespace mimic::jit
