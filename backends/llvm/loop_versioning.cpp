// Versioned counted loops (loop_versioning.h).
//
// In user mode, each guest access of a compiled loop checks the address against the limit of guest
// memory and is a piece of inline assembly that the host's fault handler resumes from; each
// backward jump checks for an exit request. All three leave the loop, and LLVM vectorizes no loop
// with more than one exit. When the loop is counted (its exit compares an induction variable with a
// bound that does not change in the loop) and every access's address moves by a constant stride,
// each access's range over the whole loop is known where the loop starts. There one check chooses
// between the loop and a copy of it without those exits: plain loads and stores, no guard, no poll,
// and an exit on a counter from zero that LLVM's vectorizer can count.
//
// The copy does what the loop would: its accesses are the loop's, to addresses the check proved
// accessible in ranges nothing else can change while it runs (MemoryPort::stable_range, which
// holds only while one thread uses the memory), so the guards it dropped would all have passed and
// no access can fault. It leaves in the iteration the loop would. An exit request waits until it
// leaves, at most kMaxTrips iterations.
#include "backends/llvm/loop_versioning.h"

#include <llvm/Analysis/AssumptionCache.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Operator.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/Local.h>
#include <llvm/Transforms/Utils/LoopUtils.h>
#include <llvm/Transforms/Utils/SSAUpdater.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>
#include <llvm/Transforms/Utils/ValueMapper.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "softmmu/memory_port.h"

namespace mimic::jit {

namespace {

// The iterations a versioned loop may run: longer loops run with their checks. It bounds how long
// an exit request waits, and keeps every address computation of the check far from wrapping.
constexpr uint64_t kMaxTrips = uint64_t{1} << 20;
// Loops shorter than this run with their checks: the range checks would cost more than they save.
constexpr uint64_t kMinTrips = 16;
// Strides beyond this (in bytes per iteration) are not versioned: with kMaxTrips, an access's range
// then spans less than 2^36 bytes, so a range that wraps around 2^64 shows as first > end.
constexpr int64_t kMaxStride = int64_t{1} << 16;
// Accesses with the same stride whose starts differ by at most this share one range check.
constexpr int64_t kMergeDistance = 4096;

struct GuestAccess {
    llvm::CallBrInst* call;
    unsigned size;
    bool sign;
    bool store;
};

// Bytes [start + lo, start + hi) + stride * k are accessed in iteration k.
struct Range {
    const llvm::SCEV* start;
    int64_t stride;
    int64_t lo, hi;
    bool write;
};

// The loop's one exit and its count: it leaves from `exiting` in the first iteration k (from 0)
// where the induction variable start + step * k meets `exit_when` against `bound`.
struct CountedExit {
    llvm::BranchInst* exiting;
    bool leaves_on_true;  // successor 0 is outside the loop
    llvm::CmpInst::Predicate exit_when;
    const llvm::SCEV* start;
    int64_t step;
    const llvm::SCEV* bound;
};

struct Plan {
    CountedExit exit;
    std::vector<GuestAccess> accesses;
    std::vector<Range> ranges;
    std::vector<llvm::BranchInst*> guards, polls;
};

bool has(const llvm::Instruction* inst, const char* kind) {
    return inst->getMetadata(kind) != nullptr;
}

// The recurrence's step if it is a constant within ±kMaxStride, else 0.
int64_t bounded_step(const llvm::SCEVAddRecExpr* rec, llvm::ScalarEvolution& se) {
    const auto* step = llvm::dyn_cast<llvm::SCEVConstant>(rec->getStepRecurrence(se));
    if (!step || step->getAPInt().getSignificantBits() > 64) return 0;
    const int64_t value = step->getAPInt().getSExtValue();
    return value > kMaxStride || value < -kMaxStride ? 0 : value;
}

class Versioner {
public:
    explicit Versioner(llvm::Function& fn) : fn_(fn), tlii_(llvm::Triple(fn.getParent()->getTargetTriple())) {}

    bool run() {
        std::vector<llvm::BasicBlock*> headers;
        {
            llvm::DominatorTree dt(fn_);
            llvm::LoopInfo li(dt);
            for (llvm::Loop* loop : li.getLoopsInPreorder())
                if (loop->isInnermost()) headers.push_back(loop->getHeader());
        }
        bool changed = false;
        for (llvm::BasicBlock* header : headers) changed |= try_header(header);
        return changed;
    }

private:
    // Fresh analyses for each loop: versioning one changes the function.
    bool try_header(llvm::BasicBlock* header) {
        llvm::DominatorTree dt(fn_);
        llvm::LoopInfo li(dt);
        llvm::TargetLibraryInfo tli(tlii_);
        llvm::AssumptionCache ac(fn_);
        llvm::ScalarEvolution se(fn_, tli, ac, dt, li);
        llvm::Loop* loop = li.getLoopFor(header);
        if (!loop || loop->getHeader() != header || !loop->isInnermost()) return false;
        std::optional<Plan> plan = analyze(*loop, dt, se);
        if (!plan) return false;
        if (!loop->getLoopPreheader() && !llvm::InsertPreheaderForLoop(loop, &dt, &li, nullptr, false)) return false;
        version(*loop, *plan, dt, li, se);
        return true;
    }

    std::optional<Plan> analyze(llvm::Loop& loop, llvm::DominatorTree& dt, llvm::ScalarEvolution& se);
    std::optional<CountedExit> counted_exit(llvm::Loop& loop, llvm::BranchInst* exiting, llvm::ScalarEvolution& se);
    void version(llvm::Loop& loop, const Plan& plan, llvm::DominatorTree& dt, llvm::LoopInfo& li,
                 llvm::ScalarEvolution& se);
    llvm::Value* trip_count(llvm::IRBuilder<>& b, const CountedExit& exit, llvm::Value* start, llvm::Value* bound,
                            llvm::Value** valid);

    llvm::Function& fn_;
    llvm::TargetLibraryInfoImpl tlii_;
};

// Adds the bytes `access` reaches at `addr` in each iteration to the plan's ranges: false unless the
// address is invariant or steps by a constant stride.
bool add_stream(Plan& plan, llvm::Loop& loop, llvm::ScalarEvolution& se, const llvm::SCEV* addr,
                const GuestAccess& access) {
    const llvm::SCEV* start = addr;
    int64_t stride = 0;
    if (!se.isLoopInvariant(addr, &loop)) {
        const auto* rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(addr);
        if (!rec || rec->getLoop() != &loop || !rec->isAffine()) return false;
        stride = bounded_step(rec, se);
        if (stride == 0) return false;
        start = rec->getStart();
    }
    const auto size = int64_t(access.size);
    for (Range& range : plan.ranges) {
        if (range.stride != stride) continue;
        const auto* diff = llvm::dyn_cast<llvm::SCEVConstant>(se.getMinusSCEV(start, range.start));
        if (!diff || diff->getAPInt().getSignificantBits() > 64) continue;
        const int64_t offset = diff->getAPInt().getSExtValue();
        if (offset > kMergeDistance || offset < -kMergeDistance) continue;
        range.lo = std::min(range.lo, offset);
        range.hi = std::max(range.hi, offset + size);
        range.write |= access.store;
        return true;
    }
    plan.ranges.push_back({start, stride, 0, size, access.store});
    return true;
}

// Whether `loop` can be versioned, and how: its fast blocks (those the loop runs through when no
// guard fails and no exit is requested) must leave it by one counted exit, access guest memory only
// with marked accesses at constant strides, and call nothing but intrinsics.
std::optional<Plan> Versioner::analyze(llvm::Loop& loop, llvm::DominatorTree& dt, llvm::ScalarEvolution& se) {
    Plan plan;
    std::set<std::pair<const llvm::BasicBlock*, const llvm::BasicBlock*>> dropped;
    for (llvm::BasicBlock* block : loop.blocks()) {
        llvm::Instruction* term = block->getTerminator();
        if (auto* br = llvm::dyn_cast<llvm::BranchInst>(term); br && br->isConditional()) {
            if (has(br, kGuardMetadata)) dropped.insert({block, br->getSuccessor(1)});
            if (has(br, kPollMetadata)) dropped.insert({block, br->getSuccessor(0)});
        } else if (auto* call = llvm::dyn_cast<llvm::CallBrInst>(term); call && has(call, kAccessMetadata)) {
            for (llvm::BasicBlock* target : call->getIndirectDests()) dropped.insert({block, target});
        }
    }
    std::set<llvm::BasicBlock*> fast;
    std::vector<llvm::BasicBlock*> work{loop.getHeader()};
    llvm::BranchInst* exiting = nullptr;
    while (!work.empty()) {
        llvm::BasicBlock* block = work.back();
        work.pop_back();
        if (!fast.insert(block).second) continue;
        for (llvm::BasicBlock* next : llvm::successors(block)) {
            if (dropped.count({block, next})) continue;
            if (loop.contains(next)) {
                work.push_back(next);
                continue;
            }
            auto* br = llvm::dyn_cast<llvm::BranchInst>(block->getTerminator());
            if (exiting || !br || !br->isConditional()) return std::nullopt;  // one exit, a compare's
            exiting = br;
        }
    }
    llvm::BasicBlock* latch = loop.getLoopLatch();
    if (!exiting || has(exiting, kGuardMetadata) || has(exiting, kPollMetadata) || !latch || !fast.count(latch) ||
        !dt.dominates(exiting->getParent(), latch))
        return std::nullopt;

    for (llvm::BasicBlock* block : loop.blocks()) {
        if (!fast.count(block)) continue;
        for (llvm::Instruction& inst : *block) {
            if (auto* call = llvm::dyn_cast<llvm::CallBrInst>(&inst)) {
                llvm::MDNode* md = call->getMetadata(kAccessMetadata);
                if (!md) return std::nullopt;
                const bool store = call->getType()->isVoidTy();
                plan.accesses.push_back(
                    {call, unsigned(llvm::mdconst::extract<llvm::ConstantInt>(md->getOperand(0))->getZExtValue()),
                     llvm::mdconst::extract<llvm::ConstantInt>(md->getOperand(1))->isOne(), store});
            } else if (auto* call = llvm::dyn_cast<llvm::CallBase>(&inst)) {
                if (!call->getCalledFunction() || !call->getCalledFunction()->isIntrinsic()) return std::nullopt;
            } else if (auto* load = llvm::dyn_cast<llvm::LoadInst>(&inst)) {
                if (load->isAtomic()) return std::nullopt;
                if (load->isVolatile()) {  // only an exit request's, for a poll
                    if (!load->hasOneUse()) return std::nullopt;
                    auto* test = llvm::dyn_cast<llvm::Instruction>(*load->user_begin());
                    if (!test || !test->hasOneUse()) return std::nullopt;
                    auto* br = llvm::dyn_cast<llvm::BranchInst>(*test->user_begin());
                    if (!br || !has(br, kPollMetadata)) return std::nullopt;
                }
            } else if (auto* store = llvm::dyn_cast<llvm::StoreInst>(&inst); store && !store->isSimple()) {
                return std::nullopt;
            } else if (inst.isAtomic() || llvm::isa<llvm::FenceInst>(inst)) {
                return std::nullopt;
            }
            if (auto* br = llvm::dyn_cast<llvm::BranchInst>(&inst)) {
                if (has(br, kGuardMetadata)) plan.guards.push_back(br);
                if (has(br, kPollMetadata)) plan.polls.push_back(br);
            } else if (inst.isTerminator() && !llvm::isa<llvm::CallBrInst>(inst)) {
                return std::nullopt;
            }
        }
    }
    if (plan.accesses.empty()) return std::nullopt;

    std::optional<CountedExit> exit = counted_exit(loop, exiting, se);
    if (!exit) return std::nullopt;
    plan.exit = *exit;

    for (const GuestAccess& access : plan.accesses) {
        // The lowering's host address: a byte GEP from the guest base by the guest address.
        auto* gep = llvm::dyn_cast<llvm::GEPOperator>(access.call->getArgOperand(access.store ? 1 : 0));
        if (!gep || gep->getNumIndices() != 1 || !gep->getSourceElementType()->isIntegerTy(8)) return std::nullopt;
        llvm::Value* addr = gep->getOperand(1);
        if (add_stream(plan, loop, se, se.getSCEV(addr), access)) continue;
        // An address the previous iteration computed (a copy loop's destination, advanced before
        // its last store): its value on entry, then the stream of the value carried around.
        auto* phi = llvm::dyn_cast<llvm::PHINode>(addr);
        if (!phi || phi->getParent() != loop.getHeader() || phi->getNumIncomingValues() != 2) return std::nullopt;
        llvm::BasicBlock* preheader = loop.getLoopPreheader();
        llvm::BasicBlock* latch = loop.getLoopLatch();
        if (!preheader || phi->getBasicBlockIndex(preheader) < 0 || phi->getBasicBlockIndex(latch) < 0 ||
            !add_stream(plan, loop, se, se.getSCEV(phi->getIncomingValueForBlock(preheader)), access) ||
            !add_stream(plan, loop, se, se.getSCEV(phi->getIncomingValueForBlock(latch)), access))
            return std::nullopt;
    }
    llvm::SCEVExpander expander(se, fn_.getParent()->getDataLayout(), "versioned");
    for (const Range& range : plan.ranges)
        if (!expander.isSafeToExpand(range.start)) return std::nullopt;
    if (!expander.isSafeToExpand(plan.exit.start) || !expander.isSafeToExpand(plan.exit.bound)) return std::nullopt;
    return plan;
}

// The exit's compare, as an induction variable against a bound: one the trip count follows from.
std::optional<CountedExit> Versioner::counted_exit(llvm::Loop& loop, llvm::BranchInst* exiting,
                                                   llvm::ScalarEvolution& se) {
    // The guest's compare, under the lowering's test of its i64 result (icmp ne (zext c), 0).
    llvm::Value* condition = exiting->getCondition();
    bool inverted = false;
    for (;;) {
        auto* test = llvm::dyn_cast<llvm::ICmpInst>(condition);
        auto* zero = test ? llvm::dyn_cast<llvm::ConstantInt>(test->getOperand(1)) : nullptr;
        auto* widened = test ? llvm::dyn_cast<llvm::ZExtInst>(test->getOperand(0)) : nullptr;
        if (!zero || !zero->isZero() || !widened || !test->isEquality() ||
            !widened->getOperand(0)->getType()->isIntegerTy(1))
            break;
        inverted ^= test->getPredicate() == llvm::CmpInst::ICMP_EQ;
        condition = widened->getOperand(0);
    }
    auto* cmp = llvm::dyn_cast<llvm::ICmpInst>(condition);
    if (!cmp || !cmp->getOperand(0)->getType()->isIntegerTy(64)) return std::nullopt;
    CountedExit exit{exiting, !loop.contains(exiting->getSuccessor(0)), cmp->getPredicate(), nullptr, 0, nullptr};
    if (exit.leaves_on_true == inverted) exit.exit_when = llvm::CmpInst::getInversePredicate(exit.exit_when);
    const llvm::SCEV* lhs = se.getSCEV(cmp->getOperand(0));
    const llvm::SCEV* rhs = se.getSCEV(cmp->getOperand(1));
    if (se.isLoopInvariant(lhs, &loop)) {
        std::swap(lhs, rhs);
        exit.exit_when = llvm::CmpInst::getSwappedPredicate(exit.exit_when);
    }
    const auto* rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(lhs);
    if (!rec || rec->getLoop() != &loop || !rec->isAffine() || !se.isLoopInvariant(rhs, &loop)) return std::nullopt;
    exit.step = bounded_step(rec, se);
    exit.start = rec->getStart();
    exit.bound = rhs;
    if (exit.step == 0) return std::nullopt;
    using P = llvm::CmpInst::Predicate;
    switch (exit.exit_when) {
        case P::ICMP_EQ: return exit;  // until it reaches the bound
        case P::ICMP_UGE:
        case P::ICMP_SGE: return exit.step > 0 ? std::optional(exit) : std::nullopt;  // while below
        case P::ICMP_ULE:
        case P::ICMP_SLE: return exit.step < 0 ? std::optional(exit) : std::nullopt;  // while above
        default: return std::nullopt;
    }
}

// The iteration k in which the loop leaves, and in *valid whether the count is exact and at most
// kMaxTrips. The induction variable is start + step * k; it must reach the bound without wrapping.
llvm::Value* Versioner::trip_count(llvm::IRBuilder<>& b, const CountedExit& exit, llvm::Value* start,
                                   llvm::Value* bound, llvm::Value** valid) {
    const uint64_t stride = uint64_t(exit.step > 0 ? exit.step : -exit.step);
    llvm::Value* distance = exit.step > 0 ? b.CreateSub(bound, start) : b.CreateSub(start, bound);
    llvm::Value* in_reach = b.CreateICmpULE(distance, b.getInt64(kMaxTrips * stride));
    using P = llvm::CmpInst::Predicate;
    if (exit.exit_when == P::ICMP_EQ) {
        *valid = b.CreateAnd(in_reach, b.CreateICmpEQ(b.CreateURem(distance, b.getInt64(stride)), b.getInt64(0)));
        return b.CreateUDiv(distance, b.getInt64(stride));
    }
    // While below (above) the bound: none if it starts at or past it, else the first step at or
    // past it, which must not wrap: the bound at most 2^64 - stride from the top (bottom).
    const bool is_signed = llvm::CmpInst::isSigned(exit.exit_when);
    llvm::Value* past = b.CreateICmp(exit.exit_when, start, bound);
    llvm::Value* no_wrap = nullptr;
    if (exit.step > 0)
        no_wrap = is_signed ? b.CreateICmpSLE(bound, b.getInt64(uint64_t(INT64_MAX) - stride + 1))
                            : b.CreateICmpULE(bound, b.getInt64(-stride));
    else
        no_wrap = is_signed ? b.CreateICmpSGE(bound, b.getInt64(uint64_t(INT64_MIN) + stride))
                            : b.CreateICmpUGE(bound, b.getInt64(stride));
    *valid = b.CreateOr(past, b.CreateAnd(in_reach, no_wrap));
    llvm::Value* steps = b.CreateUDiv(b.CreateAdd(distance, b.getInt64(stride - 1)), b.getInt64(stride));
    return b.CreateSelect(past, b.getInt64(0), steps);
}

void Versioner::version(llvm::Loop& loop, const Plan& plan, llvm::DominatorTree& dt, llvm::LoopInfo& li,
                        llvm::ScalarEvolution& se) {
    llvm::LLVMContext& ctx = fn_.getContext();
    llvm::Type* i64 = llvm::Type::getInt64Ty(ctx);
    const std::vector<llvm::BasicBlock*> original(loop.blocks().begin(), loop.blocks().end());
    llvm::BasicBlock* check = loop.getLoopPreheader();
    llvm::BasicBlock* preheader = llvm::SplitBlock(check, check->getTerminator(), &dt, &li, nullptr, "checked.ph");
    llvm::ValueToValueMapTy map;
    llvm::SmallVector<llvm::BasicBlock*, 16> copies;
    llvm::Loop* copy = llvm::cloneLoopWithPreheader(preheader, check, &loop, map, ".versioned", &li, &dt, copies);
    llvm::remapInstructionsInBlocks(copies, map);
    llvm::BasicBlock* copy_preheader = copy->getLoopPreheader();
    const std::set<llvm::BasicBlock*> in_copy(copies.begin(), copies.end());
    auto drop_edge = [&](llvm::BasicBlock* from, llvm::BasicBlock* to) {
        if (in_copy.count(to)) to->removePredecessor(from);
    };
    auto replace_branch = [&](llvm::Instruction* old, llvm::BasicBlock* to) {
        llvm::Value* condition =
            llvm::isa<llvm::BranchInst>(old) ? llvm::cast<llvm::BranchInst>(old)->getCondition() : nullptr;
        llvm::BranchInst::Create(to, old);
        old->eraseFromParent();
        if (condition) llvm::RecursivelyDeleteTriviallyDeadInstructions(condition);
    };

    // The check, in the old preheader: the count, then each range, each branching to the checked
    // loop when it fails.
    llvm::IRBuilder<> b(check->getTerminator());
    llvm::SCEVExpander expander(se, fn_.getParent()->getDataLayout(), "versioned");
    llvm::Value* start = expander.expandCodeFor(plan.exit.start, i64, check->getTerminator());
    llvm::Value* bound = expander.expandCodeFor(plan.exit.bound, i64, check->getTerminator());
    std::vector<llvm::Value*> range_starts;
    for (const Range& range : plan.ranges)
        range_starts.push_back(expander.expandCodeFor(range.start, i64, check->getTerminator()));
    llvm::Value* valid = nullptr;
    llvm::Value* trips = trip_count(b, plan.exit, start, bound, &valid);
    valid = b.CreateAnd(valid, b.CreateICmpUGE(trips, b.getInt64(kMinTrips)));
    check->getTerminator()->eraseFromParent();
    llvm::BasicBlock* test = check;
    auto next_test = [&](llvm::Value* passed, const char* name) {
        auto* next = llvm::BasicBlock::Create(ctx, name, &fn_, copy_preheader);
        llvm::IRBuilder<>(test).CreateCondBr(passed, next, preheader);
        test = next;
        b.SetInsertPoint(test);
    };
    next_test(valid, "versioned.ranges");
    auto* fn_type = llvm::FunctionType::get(b.getInt1Ty(), {b.getPtrTy(), i64, i64, i64}, false);
    llvm::Value* stable_range =
        b.CreateIntToPtr(b.getInt64(reinterpret_cast<uint64_t>(&generated_stable_range)), b.getPtrTy());
    for (size_t i = 0; i < plan.ranges.size(); ++i) {
        const Range& range = plan.ranges[i];
        llvm::Value* moved = b.CreateMul(trips, b.getInt64(uint64_t(range.stride)));  // the last iteration's offset
        llvm::Value* first = b.CreateAdd(range_starts[i], b.getInt64(uint64_t(range.lo)));
        llvm::Value* end = b.CreateAdd(range_starts[i], b.getInt64(uint64_t(range.hi)));
        if (range.stride > 0)
            end = b.CreateAdd(end, moved);
        else
            first = b.CreateAdd(first, moved);
        llvm::Value* stable = b.CreateCall(fn_type, stable_range, {fn_.getArg(0), first, end, b.getInt64(range.write)});
        next_test(stable, i + 1 < plan.ranges.size() ? "versioned.ranges" : "versioned.go");
    }
    b.CreateBr(copy_preheader);

    // The copy: plain accesses, no guards, no polls.
    for (const GuestAccess& access : plan.accesses) {
        auto* call = llvm::cast<llvm::CallBrInst>(map[access.call]);
        llvm::IRBuilder<> at(call);
        llvm::Type* type = at.getIntNTy(8 * access.size);
        if (access.store) {
            at.CreateAlignedStore(at.CreateTrunc(call->getArgOperand(0), type), call->getArgOperand(1),
                                  llvm::MaybeAlign(1));
        } else {
            llvm::Value* raw = at.CreateAlignedLoad(type, call->getArgOperand(0), llvm::MaybeAlign(1));
            call->replaceAllUsesWith(access.size == 8 ? raw
                                     : access.sign    ? at.CreateSExt(raw, i64)
                                                      : at.CreateZExt(raw, i64));
        }
        for (llvm::BasicBlock* target : call->getIndirectDests()) drop_edge(call->getParent(), target);
        replace_branch(call, call->getDefaultDest());
    }
    for (llvm::BranchInst* guard : plan.guards) {
        auto* br = llvm::cast<llvm::BranchInst>(map[guard]);
        drop_edge(br->getParent(), br->getSuccessor(1));
        replace_branch(br, br->getSuccessor(0));
    }
    for (llvm::BranchInst* poll : plan.polls) {
        auto* br = llvm::cast<llvm::BranchInst>(map[poll]);
        auto* request = llvm::cast<llvm::Instruction>(llvm::cast<llvm::Instruction>(br->getCondition())->getOperand(0));
        drop_edge(br->getParent(), br->getSuccessor(0));
        replace_branch(br, br->getSuccessor(1));
        if (request->use_empty()) request->eraseFromParent();  // volatile: not trivially dead
    }
    // Its exit: a counter from zero, one step in each pass through the exiting block (which
    // dominates the latch), reaching `trips` in the iteration that leaves.
    auto* exiting = llvm::cast<llvm::BranchInst>(map[plan.exit.exiting]);
    llvm::BasicBlock* header = copy->getHeader();
    auto* counter = llvm::PHINode::Create(i64, 2, "trip", header->begin());
    llvm::IRBuilder<> at_exit(exiting);
    llvm::Value* next = at_exit.CreateAdd(counter, at_exit.getInt64(1), "trip.next", true, true);
    llvm::Value* old_condition = exiting->getCondition();
    exiting->setCondition(plan.exit.leaves_on_true ? at_exit.CreateICmpEQ(counter, trips)
                                                   : at_exit.CreateICmpNE(counter, trips));
    llvm::RecursivelyDeleteTriviallyDeadInstructions(old_condition);
    // The exit's target gains the copy's exiting block as a predecessor.
    llvm::BasicBlock* target = exiting->getSuccessor(plan.exit.leaves_on_true ? 0 : 1);
    for (llvm::PHINode& phi : target->phis()) {
        llvm::Value* v = phi.getIncomingValueForBlock(plan.exit.exiting->getParent());
        llvm::Value* twin = map.lookup(v);
        phi.addIncoming(twin ? twin : v, exiting->getParent());
    }
    for (llvm::BasicBlock* pred : llvm::predecessors(header))
        counter->addIncoming(pred == copy_preheader ? static_cast<llvm::Value*>(at_exit.getInt64(0)) : next, pred);
    llvm::removeUnreachableBlocks(fn_);

    // Values of the loop used after it now come from either version.
    for (llvm::BasicBlock* block : original) {
        for (llvm::Instruction& inst : *block) {
            llvm::Value* twin = map.lookup(&inst);
            std::vector<llvm::Use*> outside;
            for (llvm::Use& use : inst.uses()) {
                auto* user = llvm::cast<llvm::Instruction>(use.getUser());
                llvm::BasicBlock* where = user->getParent();
                if (auto* phi = llvm::dyn_cast<llvm::PHINode>(user)) where = phi->getIncomingBlock(use);
                if (!loop.contains(where) && !in_copy.count(where)) outside.push_back(&use);
            }
            if (outside.empty() || !twin) continue;
            auto* twin_inst = llvm::dyn_cast<llvm::Instruction>(twin);
            if (!twin_inst) continue;
            llvm::SSAUpdater updater;
            updater.Initialize(inst.getType(), inst.getName());
            updater.AddAvailableValue(block, &inst);
            updater.AddAvailableValue(twin_inst->getParent(), twin_inst);
            for (llvm::Use* use : outside) updater.RewriteUse(*use);
        }
    }
}

}  // namespace

bool version_counted_loops(llvm::Function& fn) {
    // Only the lowering's marked accesses can be versioned: without one (system mode, a unit
    // without guest memory accesses) there is no loop to analyze.
    for (llvm::BasicBlock& block : fn)
        for (llvm::Instruction& inst : block)
            if (has(&inst, kAccessMetadata)) return Versioner(fn).run();
    return false;
}

}  // namespace mimic::jit
