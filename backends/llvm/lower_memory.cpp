// The memory models in generated code: the inline fast path of loads and stores (user mode's flat
// guest base, checked by the host's page protection; system mode's TLB lookup), and the
// out-of-line slow paths through the MemoryPort, whose faults leave with the instruction's exact pc.
#include <llvm/IR/InlineAsm.h>

#include <bit>
#include <cstddef>
#include <string>
#include <utility>

#include "backends/llvm/jit.h"
#include "backends/llvm/loop_versioning.h"
#include "backends/llvm/lower.h"
#include "backends/llvm/lowering.h"
#include "softmmu/memory_port.h"
#include "softmmu/tlb.h"

namespace mimic::jit {

using ir::Type;

static_assert(sizeof(softmmu::TlbEntry) == 32, "the generated TLB lookup assumes 32-byte entries");
static_assert(offsetof(softmmu::TlbEntry, read) == 0 && offsetof(softmmu::TlbEntry, addend) == 24);

// The TLB entry of `page` for op's MMU index: its tag for the access (a store's is atomic: other
// vCPUs mark code pages) and its addend. The addend is loaded now, but used only on a hit.
std::pair<llvm::Value*, llvm::Value*> Lowering::tlb_entry(llvm::Value* page, ir::MemOp op, bool store) {
    llvm::Value* tlb = load_env(b_.getPtrTy(), offsetof(CpuHeader, tlb), true);
    llvm::Value* index = b_.CreateAnd(b_.CreateLShr(page, kGuestPageBits), softmmu::SoftTlb::kMask);
    index = b_.CreateAdd(index, b_.getInt64(uint64_t(op.mmu_index) << softmmu::SoftTlb::kBits));
    llvm::Value* entry = b_.CreateGEP(b_.getInt8Ty(), tlb, b_.CreateShl(index, 5));
    const size_t tag_offset = store ? offsetof(softmmu::TlbEntry, write) : offsetof(softmmu::TlbEntry, read);
    auto* tag = b_.CreateLoad(b_.getInt64Ty(), b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), entry, tag_offset));
    tag->setAlignment(llvm::Align(8));  // the module has no data layout yet: say it
    if (store) tag->setAtomic(llvm::AtomicOrdering::Monotonic);
    llvm::Value* addend = b_.CreateLoad(b_.getInt64Ty(), b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), entry, 24));
    return {tag, addend};
}

// A loop over memory in system mode translates the same page on every iteration: two dependent
// loads from the TLB and a compare, per access. A load site with a cache remembers the page and
// addend of its last TLB hit, and an access to that page again needs a compare only. The TLB's
// read entries change only in this vCPU's own calls (a fill, a flush, sfence.vma, satp, PMP;
// other threads change only write tags, when a page gains code), so a call ends what every
// cache knows (forget_translations). A store caches only when no other thread changes its TLB
// (LowerOptions::private_tlb): its write tag is where they say that a page gained code.
llvm::Value* Lowering::fast_path(llvm::Value* addr, ir::MemOp op, bool store, llvm::BasicBlock* slow, bool cache) {
    const unsigned size = op.size();
    if (op.big_endian) {
        b_.CreateBr(slow);
        return nullptr;
    }
    llvm::Value* ok = nullptr;
    llvm::Value* host = nullptr;
    if (memory_ == MemoryModel::kFlat) {
        // Only the limit: the guard past its end catches an access that starts below it and
        // crosses it, and the host's page protection, which mirrors the guest's, the rest. A
        // branch, not a clamp to the limit (umin): the compare and branch fuse into one
        // micro-op, off the chain from address to loaded value, which a cmov would lengthen
        // (crc32's table loop and sort's compares are that chain).
        llvm::Value* limit = load_env(b_.getInt64Ty(), offsetof(CpuHeader, mem_limit), true);
        llvm::Value* base = load_env(b_.getPtrTy(), offsetof(CpuHeader, mem_base), true);
        ok = b_.CreateICmpULT(addr, limit);
        host = b_.CreateGEP(b_.getInt8Ty(), base, addr);
    } else {  // within one page
        ok = b_.CreateICmpULE(b_.CreateAnd(addr, kGuestPageSize - 1), b_.getInt64(kGuestPageSize - size));
    }
    if (op.aligned && size > 1) ok = b_.CreateAnd(ok, b_.CreateIsNull(b_.CreateAnd(addr, size - 1)));
    if (memory_ == MemoryModel::kSoftTlb) {
        llvm::Value* page = b_.CreateAnd(addr, ~(kGuestPageSize - 1));
        if (cache && (store ? private_tlb_ && cached_stores_ < kCachedStores : cached_loads_ < kCachedLoads))
            return cached_translation(addr, page, ok, op, store, slow);
        auto [tag, addend] = tlb_entry(page, op, store);
        ok = b_.CreateAnd(ok, b_.CreateICmpEQ(tag, page));
        host = b_.CreateIntToPtr(b_.CreateAdd(addr, addend), b_.getPtrTy());
    }
    auto* fast = llvm::BasicBlock::Create(ctx_, store ? "store.fast" : "load.fast", fn_);
    auto* guard = b_.CreateCondBr(ok, fast, slow, mostly(true));
    if (versionable(op)) guard->setMetadata(kGuardMetadata, llvm::MDNode::get(ctx_, {}));
    b_.SetInsertPoint(fast);
    return host;
}

// A user-mode access that a versioned loop (loop_versioning.h) may make a plain load or store when
// its whole range is known accessible: its guard checks nothing else (no alignment).
bool Lowering::versionable(ir::MemOp op) const {
    return memory_ == MemoryModel::kFlat && !op.aligned && !op.big_endian;
}

llvm::Value* Lowering::cached_translation(llvm::Value* addr, llvm::Value* page, llvm::Value* ok, ir::MemOp op,
                                          bool store, llvm::BasicBlock* slow) {
    TlbCache cache;
    {
        llvm::IRBuilder<> entry(fn_->getEntryBlock().getTerminator());  // for SROA
        cache = {entry.CreateAlloca(b_.getInt64Ty(), nullptr, "tlb.page"),
                 entry.CreateAlloca(b_.getInt64Ty(), nullptr, "tlb.addend")};
        entry.CreateStore(entry.getInt64(kNoPage), cache.page);
        entry.CreateStore(entry.getInt64(0), cache.addend);
    }
    tlb_caches_.push_back(cache);
    ++(store ? cached_stores_ : cached_loads_);
    llvm::Value* cached_addend = b_.CreateLoad(b_.getInt64Ty(), cache.addend);
    // One compare: the address's page and its alignment bits against the cached page, whose low
    // bits are clear. An aligned access cannot cross its page; a misaligned one (rare) takes the
    // lookup, which checks `ok`.
    const uint64_t mask = ~(kGuestPageSize - 1) | (op.size() - 1);
    llvm::Value* same = b_.CreateICmpEQ(b_.CreateAnd(addr, mask), b_.CreateLoad(b_.getInt64Ty(), cache.page));
    llvm::BasicBlock* from_cache = b_.GetInsertBlock();
    auto* lookup = llvm::BasicBlock::Create(ctx_, "tlb.lookup", fn_);
    auto* refill = llvm::BasicBlock::Create(ctx_, "tlb.refill", fn_);
    auto* fast = llvm::BasicBlock::Create(ctx_, store ? "store.fast" : "load.fast", fn_);
    b_.CreateCondBr(same, fast, lookup, mostly(true));
    b_.SetInsertPoint(lookup);
    auto [tag, addend] = tlb_entry(page, op, store);
    b_.CreateCondBr(b_.CreateAnd(ok, b_.CreateICmpEQ(tag, page)), refill, slow, mostly(true));
    b_.SetInsertPoint(refill);
    b_.CreateStore(page, cache.page);
    b_.CreateStore(addend, cache.addend);
    b_.CreateBr(fast);
    b_.SetInsertPoint(fast);
    auto* phi = b_.CreatePHI(b_.getInt64Ty(), 2);
    phi->addIncoming(cached_addend, from_cache);
    phi->addIncoming(addend, refill);
    return b_.CreateIntToPtr(b_.CreateAdd(addr, phi), b_.getPtrTy());
}

void Lowering::forget_translations() {
    if (tlb_caches_.empty()) return;
    for (llvm::Instruction* call : calls_) {
        llvm::IRBuilder<> after(call->getParent(), std::next(call->getIterator()));
        for (const TlbCache& cache : tlb_caches_) after.CreateStore(after.getInt64(kNoPage), cache.page);
    }
}

// User mode's access: one instruction, listed in kRecoverySection with the slow path as where it
// resumes if the host refuses it. The slow path then does the access again with every check, and
// raises the guest's fault with exact state, or writes a page protected for its translated code.
// Returns a load's value, zero- or sign-extended to i64, and ends the block with a branch to done.
llvm::Value* Lowering::guarded_access(llvm::Value* host, ir::MemOp op, llvm::Value* data, llvm::BasicBlock* slow,
                                      llvm::BasicBlock* done) {
    static constexpr const char* kLoads[2][4] = {
        {"movzbl $1, ${0:k}", "movzwl $1, ${0:k}", "movl $1, ${0:k}", "movq $1, $0"},
        {"movsbq $1, $0", "movswq $1, $0", "movslq $1, $0", "movq $1, $0"}};
    static constexpr const char* kStores[4] = {"movb ${0:b}, $1", "movw ${0:w}, $1", "movl ${0:k}, $1", "movq $0, $1"};
    const int log2_size = std::countr_zero(op.size());
    const std::string text = std::string("1: ") + (data ? kStores[log2_size] : kLoads[op.sign][log2_size]) +
                             "\n.pushsection " + kRecoverySection + ",\"a\"\n.quad 1b, ${2:l}\n.popsection";
    llvm::Type* i64 = b_.getInt64Ty();
    auto* type = data ? llvm::FunctionType::get(b_.getVoidTy(), {i64, b_.getPtrTy()}, false)
                      : llvm::FunctionType::get(i64, {b_.getPtrTy()}, false);
    // Side effects, so that a load whose value is unused still faults.
    auto* access = llvm::InlineAsm::get(type, text, data ? "r,*m,!i" : "=r,*m,!i", true);
    llvm::CallBrInst* call = data ? b_.CreateCallBr(type, access, done, {slow}, {data, host})
                                  : b_.CreateCallBr(type, access, done, {slow}, {host});
    call->addParamAttr(data ? 1 : 0,
                       llvm::Attribute::get(ctx_, llvm::Attribute::ElementType, b_.getIntNTy(8 * op.size())));
    if (versionable(op))
        call->setMetadata(kAccessMetadata,
                          llvm::MDNode::get(ctx_, {llvm::ConstantAsMetadata::get(b_.getInt32(op.size())),
                                                   llvm::ConstantAsMetadata::get(b_.getInt1(op.sign))}));
    return data ? nullptr : call;
}

// The access itself, after fast_path's checks: a load gives its value, extended to i64. Ends the
// block with a branch to done.
llvm::Value* Lowering::fast_access(llvm::Value* host, ir::MemOp op, llvm::Value* data, llvm::BasicBlock* slow,
                                   llvm::BasicBlock* done) {
    if (memory_ == MemoryModel::kFlat) return guarded_access(host, op, data, slow, done);
    llvm::Type* mem_type = b_.getIntNTy(8 * op.size());
    llvm::Value* loaded = nullptr;
    if (data) {
        b_.CreateAlignedStore(b_.CreateTrunc(data, mem_type), host, llvm::MaybeAlign(1));
    } else {
        llvm::Value* raw = b_.CreateAlignedLoad(mem_type, host, llvm::MaybeAlign(1));
        loaded = op.size() == 8 ? raw
                 : op.sign      ? b_.CreateSExt(raw, b_.getInt64Ty())
                                : b_.CreateZExt(raw, b_.getInt64Ty());
    }
    b_.CreateBr(done);
    return loaded;
}

// Emits an access's fast path, which ends in a branch to done. Returns a load's value and, with
// `from`, sets *from to the block that branches, or to null if there is no fast path (the access
// then always goes to slow).
llvm::Value* Lowering::fast_path_to(llvm::Value* addr, ir::MemOp op, llvm::Value* data, llvm::BasicBlock* slow,
                                    llvm::BasicBlock* done, llvm::BasicBlock** from, bool cache) {
    llvm::Value* host = fast_path(addr, op, data != nullptr, slow, cache);
    llvm::Value* loaded = host ? fast_access(host, op, data, slow, done) : nullptr;
    if (from) *from = host ? b_.GetInsertBlock() : nullptr;
    return loaded;
}

// An access in a group with a retry exit (Restart): whatever its fast path does not do (the
// host's refusal, a TLB miss, MMIO, a failed check) leaves through the exit.
bool Lowering::retries(ir::MemOp op) const {
    return restart_ && !restart_->ended && !op.big_endian;
}

llvm::Value* Lowering::lower_load(const ir::Inst& in) {
    const ir::MemOp op = in.memop();
    llvm::Value* addr = value(in.args[0]);
    if (retries(op)) {
        auto* done = llvm::BasicBlock::Create(ctx_, "load.done", fn_);
        llvm::Value* loaded = fast_path_to(addr, op, nullptr, retry_block(), done, nullptr, true);
        b_.SetInsertPoint(done);
        return in.type == Type::kI32 ? b_.CreateTrunc(loaded, b_.getInt32Ty()) : loaded;
    }
    auto* slow = llvm::BasicBlock::Create(ctx_, "load.slow", fn_);
    auto* done = llvm::BasicBlock::Create(ctx_, "load.done", fn_);
    llvm::BasicBlock* fast = nullptr;
    llvm::Value* fast_value = fast_path_to(addr, op, nullptr, slow, done, &fast);

    b_.SetInsertPoint(slow);
    llvm::Value* slot = slow_value_;
    auto* slow_fn = llvm::FunctionType::get(b_.getInt1Ty(),
                                            {b_.getPtrTy(), b_.getInt64Ty(), b_.getInt64Ty(), b_.getPtrTy()}, false);
    llvm::Value* ok = call_cold(reinterpret_cast<const void*>(&generated_load_slow), slow_fn, "load_slow",
                                {env_, addr, b_.getInt64(op.encode()), slot});
    // Read before the branch (the slot is ours, so harmless on a fault): no block of its own.
    llvm::Value* slow_value = b_.CreateLoad(b_.getInt64Ty(), slot);
    b_.CreateCondBr(ok, done, fault_block());

    b_.SetInsertPoint(done);
    auto* phi = b_.CreatePHI(b_.getInt64Ty(), 2);
    if (fast) phi->addIncoming(fast_value, fast);
    phi->addIncoming(slow_value, slow);
    return in.type == Type::kI32 ? b_.CreateTrunc(phi, b_.getInt32Ty()) : phi;
}

void Lowering::lower_store(const ir::Inst& in) {
    const ir::MemOp op = in.memop();
    llvm::Value* addr = value(in.args[0]);
    llvm::Value* data = value64(in.args[1]);
    if (retries(op)) {  // the store has not happened when it leaves
        auto* done = llvm::BasicBlock::Create(ctx_, "store.done", fn_);
        fast_path_to(addr, op, data, retry_block(), done, nullptr, true);
        b_.SetInsertPoint(done);
        return;
    }
    auto* slow = llvm::BasicBlock::Create(ctx_, "store.slow", fn_);
    auto* done = llvm::BasicBlock::Create(ctx_, "store.done", fn_);
    fast_path_to(addr, op, data, slow, done, nullptr);

    b_.SetInsertPoint(slow);
    auto* slow_fn = llvm::FunctionType::get(b_.getInt1Ty(),
                                            {b_.getPtrTy(), b_.getInt64Ty(), b_.getInt64Ty(), b_.getInt64Ty()}, false);
    llvm::Value* ok = call_cold(reinterpret_cast<const void*>(&generated_store_slow), slow_fn, "store_slow",
                                {env_, addr, b_.getInt64(op.encode()), data});
    b_.CreateCondBr(ok, done, fault_block());
    b_.SetInsertPoint(done);
}

}  // namespace mimic::jit
