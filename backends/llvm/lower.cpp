// IR → LLVM IR. A unit is one block or a region of several; guest registers used by the unit live
// in allocas (promoted to SSA by LLVM, across the region's internal jumps and loops) and are never
// reloaded from env but after helpers that may change them. A register is "dirty" where it may
// differ from env; dirty registers are written back only where the guest state must be exact: exits,
// the cold fault paths of loads, stores and raising helpers, and helpers that read them. A jump
// between the region's blocks writes nothing back, so a loop keeps its registers in host registers;
// what may be dirty where each block starts comes from a data-flow pass over the region's jumps.
#include "backends/llvm/lower.h"

#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/IntrinsicsX86.h>
#include <llvm/TargetParser/Host.h>

#include <cstddef>

#include "backends/llvm/llvm_backend.h"
#include "backends/llvm/loop_versioning.h"
#include "backends/llvm/lowering.h"
#include "engine/host_fp.h"

namespace mimic::jit {

using ir::Opcode;
using ir::Type;

llvm::Value* Lowering::value(ir::Value v) {
    if (v.is_const()) return llvm::ConstantInt::get(type(v.type()), v.const_value());
    return vals_[v.inst_index()];
}

llvm::Value* Lowering::value64(ir::Value v) {
    llvm::Value* x = value(v);
    return v.type() == Type::kI32 ? b_.CreateZExt(x, b_.getInt64Ty()) : x;
}

llvm::Value* Lowering::load_env(llvm::Type* t, size_t offset, bool invariant) {
    auto* load = b_.CreateLoad(t, env_field(offset));
    if (invariant) load->setMetadata(llvm::LLVMContext::MD_invariant_load, invariant_);
    return load;
}

void Lowering::store_env(llvm::Value* v, size_t offset) {
    b_.CreateStore(v, env_field(offset));
}

void Lowering::write_back(uint32_t g) {
    if (g == host_flags_) fold_host_flags();
    const ir::GlobalInfo& info = globals_info_[g];
    store_env(b_.CreateLoad(type(info.type), globals_[g]), info.env_offset);
}

void Lowering::reload(uint32_t g) {
    const ir::GlobalInfo& info = globals_info_[g];
    b_.CreateStore(load_env(type(info.type), info.env_offset), globals_[g]);
}

void Lowering::write_back_globals() {
    for (uint32_t g : std::exchange(dirty_, {})) write_back(g);
}

void Lowering::write_back_on_side_path() {
    const std::set<uint32_t> dirty = dirty_;  // the main path goes on without the side path's stores
    write_back_globals();
    dirty_ = dirty;
}

void Lowering::reload_globals() {
    for (const auto& [g, slot] : globals_) reload(g);
}

void Lowering::ret(BlockExit::Kind kind, unsigned slot, ir::ExitReason reason) {
    b_.CreateRet(b_.getInt64(encode_exit(kind, slot, reason)));
}

// Back to the dispatcher through this block's exit: exit_chain names the block that left.
void Lowering::leave(BlockExit::Kind kind, unsigned slot) {
    if (chain_) store_env(helper_pointer(chain_), offsetof(CpuHeader, exit_chain));
    ret(kind, slot);
}

// A cold call (a slow path) goes through a preserve_most wrapper made once per unit: the call
// then clobbers no general register but r11, so values that live across it need no spill or
// callee-saved register in the hot code around it; the wrapper saves what the C function may
// clobber, on the cold path only.
llvm::Value* Lowering::call_cold(const void* fn, llvm::FunctionType* type, const char* name,
                                 llvm::ArrayRef<llvm::Value*> args) {
    llvm::Function*& wrapper = cold_wrappers_[fn];
    if (!wrapper) {
        wrapper = llvm::Function::Create(type, llvm::Function::InternalLinkage, name, m_);
        wrapper->setCallingConv(llvm::CallingConv::PreserveMost);
        wrapper->addFnAttr(llvm::Attribute::NoUnwind);
        wrapper->addFnAttr(llvm::Attribute::NoInline);
        wrapper->addFnAttr(llvm::Attribute::Cold);
        llvm::IRBuilder<> wb(llvm::BasicBlock::Create(ctx_, "entry", wrapper));
        std::vector<llvm::Value*> forwarded;
        for (llvm::Argument& a : wrapper->args()) forwarded.push_back(&a);
        llvm::Value* target = wb.CreateIntToPtr(wb.getInt64(reinterpret_cast<uint64_t>(fn)), wb.getPtrTy());
        llvm::Value* result = wb.CreateCall(type, target, forwarded);
        if (type->getReturnType()->isVoidTy())
            wb.CreateRetVoid();
        else
            wb.CreateRet(result);
    }
    llvm::CallInst* call = b_.CreateCall(wrapper, args);
    call->setCallingConv(llvm::CallingConv::PreserveMost);
    calls_.push_back(call);
    return call;
}

void Lowering::tail_call(llvm::Value* entry) {
    auto* call = b_.CreateCall(fn_->getFunctionType(), entry, {env_});
    call->setTailCallKind(llvm::CallInst::TCK_MustTail);
    b_.CreateRet(call);
}

// Volatile, not an atomic load: x86's instruction selection folds a volatile load into the compare
// (`cmp dword ptr [rdi + 8], 0`, one micro-op on every loop's back edge), but not an atomic one (a
// mov, then a test). Volatile keeps it from being hoisted out of a loop, and on x86 it is the same
// plain 32-bit load; the request is only a hint the engine checks again once the unit has left.
llvm::Value* Lowering::exit_requested() {
    auto* request = b_.CreateAlignedLoad(b_.getInt32Ty(), env_field(offsetof(CpuHeader, exit_request)), llvm::Align(4));
    request->setVolatile(true);
    return b_.CreateIsNotNull(request);
}

// Tail-calls `entry` if it is not null, else continues on a fresh block.
void Lowering::tail_call_if_found(llvm::Value* entry, const char* name) {
    auto* hit = llvm::BasicBlock::Create(ctx_, name, fn_);
    auto* miss = llvm::BasicBlock::Create(ctx_, "miss", fn_);
    b_.CreateCondBr(b_.CreateIsNotNull(entry), hit, miss);
    b_.SetInsertPoint(hit);
    tail_call(entry);
    b_.SetInsertPoint(miss);
}

// A direct exit: tail-call the chained successor if there is one and nobody asked this vCPU to
// come back (an interrupt, a signal, another thread's invalidation). With its slot empty, an exit
// the engine links returns to it, to be linked (had it found its target in the jump cache, the
// engine would never see it); one it never links (system mode: to another page) probes the jump
// cache as an indirect jump does, and only a miss returns.
void Lowering::goto_tb(unsigned slot, llvm::Value* pc) {
    if (!chain_) return ret(BlockExit::Kind::kGotoTb, slot);
    // Two branches, the first weighted as rarely taken: as one (a select of null, or both
    // conditions ORed) it was six instructions besides the slot's load, where these are four, a
    // compare and a test that each fuse with their jump.
    auto* linked = llvm::BasicBlock::Create(ctx_, "linked", fn_);
    auto* unlinked = llvm::BasicBlock::Create(ctx_, "unlinked", fn_);
    b_.CreateCondBr(exit_requested(), unlinked, linked, mostly(false));
    b_.SetInsertPoint(linked);
    auto* next = b_.CreateAlignedLoad(b_.getPtrTy(), helper_pointer(&(*chain_)[slot]), llvm::Align(8));
    next->setAtomic(llvm::AtomicOrdering::Acquire);
    tail_call_if_found(next, "chain");
    b_.CreateBr(unlinked);
    b_.SetInsertPoint(unlinked);
    auto* target = llvm::dyn_cast<llvm::ConstantInt>(pc);
    if (!target || !engine_links(memory_, current_->block->guest_pc(), target->getZExtValue())) {
        auto* unchained = llvm::BasicBlock::Create(ctx_, "unchained", fn_);
        probe_jump_cache(pc, unchained);
        b_.SetInsertPoint(unchained);
    }
    leave(BlockExit::Kind::kGotoTb, slot);
}

// The vCPU's jump cache, inline (JumpCacheEntry): tail-calls the direct entry of the block for
// `pc` if it has one and no exit is requested, else branches to `miss`. The flags compared are
// the current block's: a frontend ends a block that changes them with an Exit, never a jump.
void Lowering::probe_jump_cache(llvm::Value* pc, llvm::BasicBlock* miss) {
    auto* same_pc = llvm::BasicBlock::Create(ctx_, "probe.pc", fn_);
    auto* found = llvm::BasicBlock::Create(ctx_, "probe.found", fn_);
    auto* hit = llvm::BasicBlock::Create(ctx_, "probe.hit", fn_);
    llvm::Value* entries = load_env(b_.getPtrTy(), offsetof(CpuHeader, jump_cache), true);
    llvm::Value* index = b_.CreateAnd(b_.CreateXor(b_.CreateLShr(pc, 1), b_.CreateLShr(pc, kJumpCacheBits + 1)),
                                      (uint64_t{1} << kJumpCacheBits) - 1);
    llvm::Value* entry =
        b_.CreateGEP(b_.getInt8Ty(), entries, b_.CreateMul(index, b_.getInt64(sizeof(JumpCacheEntry))));
    auto field = [&](llvm::Type* t, size_t offset) {
        const llvm::Align align(t->isIntegerTy(32) ? 4 : 8);
        return b_.CreateAlignedLoad(t, b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), entry, offset), align);
    };
    llvm::Value* match =
        b_.CreateAnd(b_.CreateICmpEQ(field(b_.getInt64Ty(), offsetof(JumpCacheEntry, pc)), pc),
                     b_.CreateICmpEQ(field(b_.getInt32Ty(), offsetof(JumpCacheEntry, flags)), b_.getInt32(flags_)));
    b_.CreateCondBr(match, same_pc, miss);
    b_.SetInsertPoint(same_pc);
    auto* target = b_.CreateAlignedLoad(b_.getPtrTy(), field(b_.getPtrTy(), offsetof(JumpCacheEntry, direct_entry)),
                                        llvm::Align(8));
    target->setAtomic(llvm::AtomicOrdering::Acquire);
    b_.CreateCondBr(b_.CreateIsNotNull(target), found, miss);
    b_.SetInsertPoint(found);
    b_.CreateCondBr(exit_requested(), miss, hit);
    b_.SetInsertPoint(hit);
    if (stats_) {
        const size_t count = offsetof(CpuHeader, inline_lookups);
        store_env(b_.CreateAdd(load_env(b_.getInt64Ty(), count), b_.getInt64(1)), count);
    }
    tail_call(target);
}

// Branches to `member`, a block of the region. On a backward jump (to a member that does not
// come later in the region's order) it first checks for a requested exit, and if there is one
// writes back and leaves by this block's exit: every loop inside the unit passes a backward jump,
// so interrupts still get in, while forward jumps cost nothing.
void Lowering::enter_member(uint64_t member_pc, BlockExit::Kind kind, unsigned slot, llvm::Value* pc) {
    llvm::BasicBlock* member = members_.at(member_pc);
    if (member_order_.at(member_pc) > member_order_.at(current_->block->guest_pc())) {
        b_.CreateBr(member);
        return;
    }
    auto* requested = llvm::BasicBlock::Create(ctx_, "exit.request", fn_);
    b_.CreateCondBr(exit_requested(), requested, member, mostly(false))
        ->setMetadata(kPollMetadata, llvm::MDNode::get(ctx_, {}));
    b_.SetInsertPoint(requested);
    write_back_on_side_path();
    store_env(pc, offsetof(CpuHeader, pc));
    leave(kind, slot);
}

// An indirect jump: to a block of the region, a branch (see RegionBlock::indirect_inside); else
// probe the vCPU's jump cache and tail-call the block found there if it has compiled code;
// otherwise return to the dispatcher, which looks up or translates. The probe is inline, so that
// each jump has an indirect branch of its own for the host's predictor (through one shared copy
// of the probe, interp spent 28% of its time there). A return names this block's
// chain slots in exit_chain, so the engine knows which block's indirect exit it follows.
void Lowering::lookup_and_goto(llvm::Value* pc) {
    if (chain_ && !current_->indirect_inside.empty()) {
        auto* outside = llvm::BasicBlock::Create(ctx_, "lookup", fn_);
        auto* sw = b_.CreateSwitch(pc, outside, unsigned(current_->indirect_inside.size()));
        for (uint64_t member_pc : current_->indirect_inside) {
            auto* hit = llvm::BasicBlock::Create(ctx_, "inside", fn_);
            sw->addCase(llvm::cast<llvm::ConstantInt>(llvm::ConstantInt::get(pc->getType(), member_pc)), hit);
            b_.SetInsertPoint(hit);
            enter_member(member_pc, BlockExit::Kind::kLookup, 0, pc);
        }
        b_.SetInsertPoint(outside);
    }
    write_back_globals();
    store_env(pc, offsetof(CpuHeader, pc));
    if (!chain_) return ret(BlockExit::Kind::kLookup);
    auto* miss = llvm::BasicBlock::Create(ctx_, "lookup.miss", fn_);
    probe_jump_cache(pc, miss);
    b_.SetInsertPoint(miss);
    leave(BlockExit::Kind::kLookup);
}

llvm::BasicBlock* Lowering::fault_block() {
    auto [it, fresh] = faults_.try_emplace({pc_, dirty_}, nullptr);
    if (!fresh) return it->second;
    auto* bb = llvm::BasicBlock::Create(ctx_, "fault", fn_);
    llvm::IRBuilderBase::InsertPointGuard guard(b_);
    b_.SetInsertPoint(bb);
    write_back_on_side_path();
    store_env(b_.getInt64(pc_), offsetof(CpuHeader, pc));
    ret(BlockExit::Kind::kException);
    return it->second = bb;
}

// After a terminator, code up to the next label is unreachable; give it a block of its own.
void Lowering::ensure_open_block() {
    if (!b_.GetInsertBlock()->getTerminator()) return;
    b_.SetInsertPoint(llvm::BasicBlock::Create(ctx_, "dead", fn_));
    restart_.reset();
}

void Lowering::begin_restart() {
    restart_.emplace();
    restart_->pc = pc_;
    for (uint32_t g : dirty_) restart_->dirty[g] = b_.CreateLoad(type(globals_info_[g].type), globals_[g]);
}

llvm::BasicBlock* Lowering::retry_block() {
    if (restart_->exit) return restart_->exit;
    auto* bb = llvm::BasicBlock::Create(ctx_, "retry", fn_);
    llvm::IRBuilderBase::InsertPointGuard guard(b_);
    b_.SetInsertPoint(bb);
    for (const auto& [g, value] : restart_->dirty) {
        // No IEEE operation in the group: what MXCSR holds accrued before its start.
        llvm::Value* v = g == host_flags_ ? b_.CreateOr(value, host_flag_bits(value->getType())) : value;
        store_env(v, globals_info_[g].env_offset);
    }
    store_env(b_.getInt64(restart_->pc), offsetof(CpuHeader, pc));
    ret(BlockExit::Kind::kRetry);
    return restart_->exit = bb;
}

llvm::Value* Lowering::lower_div(const ir::Inst& in) {
    llvm::Value* a = value(in.args[0]);
    llvm::Value* d = value(in.args[1]);
    llvm::Type* t = type(in.type);
    const unsigned w = ir::bit_width(in.type);
    llvm::Value* zero = llvm::ConstantInt::get(t, 0);
    llvm::Value* ones = llvm::ConstantInt::get(t, ~uint64_t(0));
    llvm::Value* by_zero = b_.CreateICmpEQ(d, zero);
    const bool is_signed = in.op == Opcode::kDivS || in.op == Opcode::kRemS;
    llvm::Value* overflow = b_.getFalse();
    if (is_signed)
        overflow = b_.CreateAnd(b_.CreateICmpEQ(a, llvm::ConstantInt::get(t, uint64_t(1) << (w - 1))),
                                b_.CreateICmpEQ(d, ones));
    llvm::Value* safe = b_.CreateSelect(b_.CreateOr(by_zero, overflow), llvm::ConstantInt::get(t, 1), d);
    switch (in.op) {
        case Opcode::kDivU: return b_.CreateSelect(by_zero, ones, b_.CreateUDiv(a, safe));
        case Opcode::kRemU: return b_.CreateSelect(by_zero, a, b_.CreateURem(a, safe));
        case Opcode::kDivS:  // MIN / -1 = MIN: dividing by 1 instead gives it
            return b_.CreateSelect(by_zero, ones, b_.CreateSDiv(a, safe));
        default:  // RemS: MIN % -1 = 0
            return b_.CreateSelect(by_zero, a, b_.CreateSelect(overflow, zero, b_.CreateSRem(a, safe)));
    }
}

llvm::Value* Lowering::lower_pure(const ir::Inst& in) {
    llvm::Type* t = type(in.type);
    const unsigned w = ir::bit_width(in.type);
    auto a = [&] { return value(in.args[0]); };
    auto c = [&] { return value(in.args[1]); };
    auto amount = [&] { return b_.CreateAnd(c(), llvm::ConstantInt::get(t, w - 1)); };
    auto mul_high = [&](bool sa, bool sb) {
        llvm::Type* wide = b_.getIntNTy(2 * w);
        llvm::Value* x = sa ? b_.CreateSExt(a(), wide) : b_.CreateZExt(a(), wide);
        llvm::Value* y = sb ? b_.CreateSExt(c(), wide) : b_.CreateZExt(c(), wide);
        return b_.CreateTrunc(b_.CreateLShr(b_.CreateMul(x, y), w), t);
    };
    auto intrinsic = [&](llvm::Intrinsic::ID id, std::vector<llvm::Value*> args) {
        return b_.CreateIntrinsic(id, {t}, args);
    };
    switch (in.op) {
        case Opcode::kAdd: return b_.CreateAdd(a(), c());
        case Opcode::kSub: return b_.CreateSub(a(), c());
        case Opcode::kMul: return b_.CreateMul(a(), c());
        case Opcode::kMulHighS: return mul_high(true, true);
        case Opcode::kMulHighU: return mul_high(false, false);
        case Opcode::kMulHighSU: return mul_high(true, false);
        case Opcode::kDivS:
        case Opcode::kDivU:
        case Opcode::kRemS:
        case Opcode::kRemU: return lower_div(in);
        case Opcode::kAnd: return b_.CreateAnd(a(), c());
        case Opcode::kOr: return b_.CreateOr(a(), c());
        case Opcode::kXor: return b_.CreateXor(a(), c());
        case Opcode::kShl: return b_.CreateShl(a(), amount());
        case Opcode::kShrU: return b_.CreateLShr(a(), amount());
        case Opcode::kShrS: return b_.CreateAShr(a(), amount());
        case Opcode::kRotL: return intrinsic(llvm::Intrinsic::fshl, {a(), a(), c()});
        case Opcode::kRotR: return intrinsic(llvm::Intrinsic::fshr, {a(), a(), c()});
        case Opcode::kClz: return intrinsic(llvm::Intrinsic::ctlz, {a(), b_.getFalse()});
        case Opcode::kCtz: return intrinsic(llvm::Intrinsic::cttz, {a(), b_.getFalse()});
        case Opcode::kPopcount: return intrinsic(llvm::Intrinsic::ctpop, {a()});
        case Opcode::kByteSwap: return intrinsic(llvm::Intrinsic::bswap, {a()});
        case Opcode::kSignExtend: return b_.CreateSExt(b_.CreateTrunc(a(), b_.getIntNTy(unsigned(in.aux))), t);
        case Opcode::kZeroExtend: return b_.CreateZExt(b_.CreateTrunc(a(), b_.getIntNTy(unsigned(in.aux))), t);
        case Opcode::kTruncate: return b_.CreateTrunc(a(), t);
        case Opcode::kExtendS: return b_.CreateSExt(a(), t);
        case Opcode::kExtendU: return b_.CreateZExt(a(), t);
        case Opcode::kCmp: {
            static constexpr llvm::CmpInst::Predicate kPred[] = {
                llvm::CmpInst::ICMP_EQ,  llvm::CmpInst::ICMP_NE,  llvm::CmpInst::ICMP_SLT, llvm::CmpInst::ICMP_SGE,
                llvm::CmpInst::ICMP_ULT, llvm::CmpInst::ICMP_UGE, llvm::CmpInst::ICMP_SLE, llvm::CmpInst::ICMP_SGT,
                llvm::CmpInst::ICMP_ULE, llvm::CmpInst::ICMP_UGT,
            };
            return b_.CreateZExt(b_.CreateICmp(kPred[unsigned(in.cond())], a(), c()), t);
        }
        case Opcode::kSelect: return b_.CreateSelect(b_.CreateIsNotNull(a()), value(in.args[1]), value(in.args[2]));
        default: return nullptr;
    }
}

// IEEE helpers run on the host's SSE unit, which raises the same exceptions (x86 also detects
// tininess after rounding) into MXCSR's sticky flags: cleared where the unit starts, after each
// call and where the guest writes the flags global, and folded into that global wherever it is read
// or written back. Constrained intrinsics with strict exceptions keep LLVM from folding, removing
// or moving an operation whose flags count. What differs is fixed up inline: a NaN result is the
// default NaN (x86 gives its own or an operand's), and an unboxed binary32 operand reads as it.
llvm::Value* Lowering::lower_ieee(const ir::Inst& in, const ir::IeeeOp& op) {
    using Kind = ir::IeeeOp::Kind;
    const bool single = op.width == 32;
    llvm::Type* bits = single ? b_.getInt32Ty() : b_.getInt64Ty();
    llvm::Type* fp = single ? b_.getFloatTy() : b_.getDoubleTy();
    constexpr uint64_t kBox = 0xffff'ffff'0000'0000;
    // The fix-ups are selects that almost never pick their fix: their weights say so, and then
    // CodeGenPrepare makes each a predicted branch, off the dependency chain from one operation to
    // the next. As a select (a masked move under AVX-512) it is on it: mandelbrot took twice as long.
    const auto weighted = [&](llvm::Value* select, bool usually) {
        if (auto* s = llvm::dyn_cast<llvm::SelectInst>(select))
            s->setMetadata(llvm::LLVMContext::MD_prof, mostly(usually));
        return select;
    };
    auto operand = [&](unsigned i) {
        llvm::Value* v = value64(in.args[i]);
        if (single)
            v = weighted(b_.CreateSelect(b_.CreateICmpUGE(v, b_.getInt64(kBox)), b_.CreateTrunc(v, bits),
                                         b_.getInt32(0x7fc0'0000)),
                         true);
        return b_.CreateBitCast(v, fp);
    };
    if (!op.accrues) return compare_without_flags(op, operand(0), operand(1));
    dirty_.insert(op.flags_global);
    llvm::Value* x = operand(0);
    llvm::Value* r = nullptr;
    switch (op.kind) {
        case Kind::kEq: return b_.CreateZExt(b_.CreateFCmp(llvm::CmpInst::FCMP_OEQ, x, operand(1)), b_.getInt64Ty());
        case Kind::kLt: return b_.CreateZExt(b_.CreateFCmpS(llvm::CmpInst::FCMP_OLT, x, operand(1)), b_.getInt64Ty());
        case Kind::kLe: return b_.CreateZExt(b_.CreateFCmpS(llvm::CmpInst::FCMP_OLE, x, operand(1)), b_.getInt64Ty());
        case Kind::kAdd: r = b_.CreateFAdd(x, operand(1)); break;
        case Kind::kSub: r = b_.CreateFSub(x, operand(1)); break;
        case Kind::kMul: r = b_.CreateFMul(x, operand(1)); break;
        case Kind::kDiv: r = b_.CreateFDiv(x, operand(1)); break;
        case Kind::kSqrt:
            r = b_.CreateConstrainedFPCall(
                llvm::Intrinsic::getDeclaration(&m_, llvm::Intrinsic::experimental_constrained_sqrt, {fp}), {x});
            break;
        case Kind::kMulAdd:
        case Kind::kMulSub:
        case Kind::kNegMulSub:
        case Kind::kNegMulAdd: {
            // Negating an operand flips a sign bit only, as negating the product or the sum does.
            const bool negate_product = op.kind == Kind::kNegMulSub || op.kind == Kind::kNegMulAdd;
            const bool negate_addend = op.kind == Kind::kMulSub || op.kind == Kind::kNegMulAdd;
            llvm::Value* a = negate_product ? b_.CreateFNeg(x) : x;
            llvm::Value* c = negate_addend ? b_.CreateFNeg(operand(2)) : operand(2);
            r = b_.CreateConstrainedFPCall(
                llvm::Intrinsic::getDeclaration(&m_, llvm::Intrinsic::experimental_constrained_fma, {fp}),
                {a, operand(1), c});
            break;
        }
        case Kind::kNone: break;
    }
    llvm::Value* nan = b_.CreateFCmp(llvm::CmpInst::FCMP_UNO, r, r);
    if (op.fused()) {
        // x86 raises no invalid for 0 * inf + a quiet NaN; IEEE 754 lets it, RISC-V requires it.
        // Checked on the (cold) NaN path only.
        auto* check = llvm::BasicBlock::Create(ctx_, "fma.nan", fn_);
        auto* done = llvm::BasicBlock::Create(ctx_, "fma.done", fn_);
        b_.CreateCondBr(nan, check, done, mostly(false));
        b_.SetInsertPoint(check);
        const uint64_t inf = single ? 0x7f80'0000 : 0x7ff0'0000'0000'0000;
        auto magnitude = [&](llvm::Value* v) {
            return b_.CreateAnd(b_.CreateBitCast(v, bits), llvm::ConstantInt::get(bits, inf | (inf - 1)));
        };
        llvm::Value* ma = magnitude(x);
        llvm::Value* mb = magnitude(operand(1));
        auto is = [&](llvm::Value* m, uint64_t v) { return b_.CreateICmpEQ(m, llvm::ConstantInt::get(bits, v)); };
        llvm::Value* invalid_product =
            b_.CreateOr(b_.CreateAnd(is(ma, 0), is(mb, inf)), b_.CreateAnd(is(ma, inf), is(mb, 0)));
        llvm::AllocaInst* slot = globals_.at(op.flags_global);
        llvm::Type* t = slot->getAllocatedType();
        llvm::Value* raised =
            b_.CreateSelect(invalid_product, llvm::ConstantInt::get(t, ir::kIeeeInvalid), llvm::ConstantInt::get(t, 0));
        b_.CreateStore(b_.CreateOr(b_.CreateLoad(t, slot), raised), slot);
        b_.CreateBr(done);
        b_.SetInsertPoint(done);
    }
    // In the FP domain, so that a value that only goes from one operation to the next can stay in
    // an SSE register: getNaN is the default NaN.
    r = weighted(b_.CreateSelect(nan, llvm::ConstantFP::getNaN(fp), r), false);
    llvm::Value* result = b_.CreateBitCast(r, bits);
    return single ? b_.CreateOr(b_.CreateZExt(result, b_.getInt64Ty()), b_.getInt64(kBox)) : result;
}

// A comparison's twin without flags (IeeeOp::accrues false) must not raise them on the host either,
// where MXCSR holds the unit's pending flags: a NaN operand, for which the host's compare would
// raise invalid, gives false without reaching it (a branch: a strict compare stays behind it).
llvm::Value* Lowering::compare_without_flags(const ir::IeeeOp& op, llvm::Value* x, llvm::Value* y) {
    const bool single = op.width == 32;
    llvm::Type* bits = single ? b_.getInt32Ty() : b_.getInt64Ty();
    const uint64_t inf = single ? 0x7f80'0000 : 0x7ff0'0000'0000'0000;
    auto is_nan = [&](llvm::Value* v) {
        llvm::Value* magnitude = b_.CreateAnd(b_.CreateBitCast(v, bits), llvm::ConstantInt::get(bits, inf | (inf - 1)));
        return b_.CreateICmpUGT(magnitude, llvm::ConstantInt::get(bits, inf));
    };
    llvm::BasicBlock* unordered = b_.GetInsertBlock();
    auto* ordered = llvm::BasicBlock::Create(ctx_, "cmp.ordered", fn_);
    auto* done = llvm::BasicBlock::Create(ctx_, "cmp.done", fn_);
    b_.CreateCondBr(b_.CreateOr(is_nan(x), is_nan(y)), done, ordered, mostly(false));
    b_.SetInsertPoint(ordered);
    using Kind = ir::IeeeOp::Kind;
    const auto pred = op.kind == Kind::kEq   ? llvm::CmpInst::FCMP_OEQ
                      : op.kind == Kind::kLt ? llvm::CmpInst::FCMP_OLT
                                             : llvm::CmpInst::FCMP_OLE;
    llvm::Value* result = b_.CreateZExt(b_.CreateFCmp(pred, x, y), b_.getInt64Ty());
    llvm::BasicBlock* compared = b_.GetInsertBlock();
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    auto* phi = b_.CreatePHI(b_.getInt64Ty(), 2);
    phi->addIncoming(b_.getInt64(0), unordered);
    phi->addIncoming(result, compared);
    return phi;
}

// The JIT targets the host, whose features do not change while the process runs: asked once.
static bool host_has_fma() {
    static const bool fma = llvm::sys::getHostCPUFeatures().lookup("fma");
    return fma;
}

// Fused multiply-adds need the host's FMA instructions: without them LLVM would call fma().
bool Lowering::on_host(const ir::IeeeOp& op) const {
    return op.kind != ir::IeeeOp::Kind::kNone && (!op.fused() || host_has_fma());
}

bool Lowering::raises_on_host(const ir::IeeeOp& op) const {
    return on_host(op) && op.accrues;
}

void Lowering::clear_host_flags() {
    b_.CreateStore(b_.getInt32(kMxcsrClear), mxcsr_slot_);
    b_.CreateIntrinsic(llvm::Intrinsic::x86_sse_ldmxcsr, {}, {mxcsr_slot_});
}

llvm::Value* Lowering::host_flag_bits(llvm::Type* t) {
    b_.CreateIntrinsic(llvm::Intrinsic::x86_sse_stmxcsr, {}, {mxcsr_slot_});
    llvm::Value* sticky = b_.CreateAnd(b_.CreateLoad(b_.getInt32Ty(), mxcsr_slot_), kMxcsrFlags);
    llvm::Value* table = helper_pointer(kMxcsrToIeee.data());
    auto* ieee = b_.CreateLoad(b_.getInt8Ty(), b_.CreateInBoundsGEP(b_.getInt8Ty(), table, {sticky}));
    ieee->setMetadata(llvm::LLVMContext::MD_invariant_load, invariant_);
    return b_.CreateZExt(ieee, t);
}

void Lowering::fold_host_flags() {
    llvm::AllocaInst* slot = globals_.at(*host_flags_);
    llvm::Type* t = slot->getAllocatedType();
    b_.CreateStore(b_.CreateOr(b_.CreateLoad(t, slot), host_flag_bits(t)), slot);
}

llvm::Value* Lowering::lower_call(const ir::Inst& in) {
    const ir::HelperInfo& h = *in.helper();
    if (on_host(h.ieee)) return lower_ieee(in, h.ieee);  // then the unit has host_flags_, if it raises
    // Flags accrued in MXCSR are folded first: the call may change MXCSR, which is cleared after it.
    if (host_flags_ && dirty_.count(*host_flags_) && !h.may_read_global(*host_flags_) &&
        !h.may_write_global(*host_flags_))
        fold_host_flags();
    // A register the helper may write is written back too: the reload after it must not lose a
    // value still dirty in SSA.
    for (auto it = dirty_.begin(); it != dirty_.end();) {
        if (h.may_read_global(*it) || h.may_write_global(*it)) {
            write_back(*it);
            it = dirty_.erase(it);
        } else {
            ++it;
        }
    }
    std::vector<llvm::Value*> args{env_};
    for (unsigned i = 0; i < 4; ++i) args.push_back(i < h.arg_count ? value64(in.args[i]) : b_.getInt64(0));
    auto* fn_type = llvm::FunctionType::get(
        b_.getInt64Ty(), {b_.getPtrTy(), b_.getInt64Ty(), b_.getInt64Ty(), b_.getInt64Ty(), b_.getInt64Ty()}, false);
    llvm::Value* start = stats_ ? b_.CreateIntrinsic(llvm::Intrinsic::readcyclecounter, {}, {}) : nullptr;
    auto* result = b_.CreateCall(fn_type, helper_pointer(reinterpret_cast<const void*>(h.fn)), args);
    calls_.push_back(result);
    if (stats_) {
        llvm::Value* spent = b_.CreateSub(b_.CreateIntrinsic(llvm::Intrinsic::readcyclecounter, {}, {}), start);
        const size_t total = offsetof(CpuHeader, helper_cycles);
        store_env(b_.CreateAdd(load_env(b_.getInt64Ty(), total), spent), total);
    }
    if (host_flags_) clear_host_flags();
    for (const auto& [g, slot] : globals_)
        if (h.may_write_global(g)) reload(g);
    if (h.flags & ir::kHelperMayRaise) {
        llvm::Value* pending = load_env(b_.getInt32Ty(), offsetof(CpuHeader, exception_pending));
        auto* next = llvm::BasicBlock::Create(ctx_, "call.ok", fn_);
        b_.CreateCondBr(b_.CreateIsNotNull(pending), fault_block(), next);
        b_.SetInsertPoint(next);
    }
    if (!in.has_result()) return nullptr;
    return in.type == Type::kI32 ? b_.CreateTrunc(result, b_.getInt32Ty()) : result;
}

// The registers that may be dirty where each member starts: the unit's entry brings none, and a
// jump from another member brings what may be dirty where that member started plus what it sets.
// Solved to a fixed point over the region's jumps (its loops).
std::map<uint64_t, std::set<uint32_t>> Lowering::dirty_at_member_entries() const {
    struct Node {
        std::set<uint32_t> sets;
        std::set<uint64_t> successors;  // members it jumps to
    };
    std::map<uint64_t, Node> nodes;
    for (const RegionBlock& member : blocks_) {
        auto [it, fresh] = nodes.try_emplace(member.block->guest_pc());
        if (!fresh) continue;  // a second block for the same pc is never lowered
        Node& node = it->second;
        if (member.chain) node.successors.insert(member.indirect_inside.begin(), member.indirect_inside.end());
        for (const ir::Inst& in : member.block->insts()) {
            if (in.op == Opcode::kSetGlobal) node.sets.insert(uint32_t(in.aux));
            if (in.op == Opcode::kCall && raises_on_host(in.helper()->ieee))
                node.sets.insert(in.helper()->ieee.flags_global);
            // Without chain slots (chaining off) every exit returns, even to this unit.
            if (member.chain && in.op == Opcode::kGotoTb && in.args[0].is_const() &&
                members_.count(in.args[0].const_value()))
                node.successors.insert(in.args[0].const_value());
        }
    }
    std::map<uint64_t, std::set<uint32_t>> in;
    for (const auto& [pc, node] : nodes) in[pc];
    for (bool changed = true; changed;) {
        changed = false;
        for (const auto& [pc, node] : nodes) {
            std::set<uint32_t> out = in[pc];
            out.insert(node.sets.begin(), node.sets.end());
            for (uint64_t next : node.successors) {
                const size_t before = in[next].size();
                in[next].insert(out.begin(), out.end());
                changed |= in[next].size() != before;
            }
        }
    }
    return in;
}

void Lowering::run(const std::string& name) {
    auto* fn_type = llvm::FunctionType::get(b_.getInt64Ty(), {b_.getPtrTy()}, false);
    fn_ = llvm::Function::Create(fn_type, llvm::Function::ExternalLinkage, name, m_);
    fn_->addParamAttr(0, llvm::Attribute::NoAlias);
    fn_->addFnAttr(llvm::Attribute::NoUnwind);
    // Generated code is entered only through mimic_enter_generated, which saves the callee-saved
    // registers for it (engine/backend.h): a unit need not save them again on every entry.
    fn_->addFnAttr("no_callee_saved_registers");
    env_ = fn_->getArg(0);
    invariant_ = llvm::MDNode::get(ctx_, {});

    auto* entry = llvm::BasicBlock::Create(ctx_, "entry", fn_);
    b_.SetInsertPoint(entry);
    slow_value_ = b_.CreateAlloca(b_.getInt64Ty(), nullptr, "slow.value");
    for (const RegionBlock& member : blocks_)
        for (const ir::Inst& in : member.block->insts())
            if (in.op == Opcode::kCall && raises_on_host(in.helper()->ieee))
                host_flags_ = in.helper()->ieee.flags_global;
    if (host_flags_) {
        // LLVM also inserts a wait after each guarded (inline assembly) access of a strictfp
        // function; measured, it costs nothing.
        fn_->addFnAttr(llvm::Attribute::StrictFP);
        b_.setIsFPConstrained(true);
        b_.setDefaultConstrainedExcept(llvm::fp::ebStrict);
        b_.setDefaultConstrainedRounding(llvm::RoundingMode::NearestTiesToEven);
        mxcsr_slot_ = b_.CreateAlloca(b_.getInt32Ty(), nullptr, "mxcsr");
        const uint32_t g = *host_flags_;
        globals_[g] = b_.CreateAlloca(type(globals_info_[g].type), nullptr, globals_info_[g].name);
    }
    for (const RegionBlock& member : blocks_) {
        if (!members_.count(member.block->guest_pc())) {
            member_order_[member.block->guest_pc()] = members_.size();
            members_[member.block->guest_pc()] = llvm::BasicBlock::Create(ctx_, "block", fn_);
        }
        for (const ir::Inst& in : member.block->insts()) {
            if (in.op != Opcode::kGetGlobal && in.op != Opcode::kSetGlobal) continue;
            const uint32_t g = uint32_t(in.aux);
            if (globals_.count(g)) continue;
            globals_[g] = b_.CreateAlloca(type(globals_info_[g].type), nullptr, globals_info_[g].name);
        }
    }
    const std::map<uint64_t, std::set<uint32_t>> entry_dirty = dirty_at_member_entries();
    reload_globals();
    if (host_flags_) clear_host_flags();
    b_.CreateBr(members_.at(blocks_.front().block->guest_pc()));

    for (const RegionBlock& member : blocks_) {
        llvm::BasicBlock* start = members_.at(member.block->guest_pc());
        if (!start->empty()) continue;  // a second block for the same pc: unreachable
        chain_ = member.chain;
        flags_ = member.block->mode_flags();
        current_ = &member;
        dirty_ = entry_dirty.at(member.block->guest_pc());
        label_dirty_.clear();
        b_.SetInsertPoint(start);
        restart_.reset();
        lower_block(*member.block);
    }
    forget_translations();
    // Blocks left open (unreachable code after the last exit, unused labels) end in unreachable.
    for (llvm::BasicBlock& bb : *fn_)
        if (!bb.getTerminator()) {
            b_.SetInsertPoint(&bb);
            b_.CreateUnreachable();
        }
}

void Lowering::lower_block(const ir::Block& block) {
    const auto& insts = block.insts();
    vals_.assign(insts.size(), nullptr);
    labels_.clear();
    for (uint32_t i = 0; i < block.label_count(); ++i)
        labels_.push_back(llvm::BasicBlock::Create(ctx_, "L" + std::to_string(i), fn_));

    for (uint32_t i = 0; i < insts.size(); ++i) {
        const ir::Inst& in = insts[i];
        if (block.is_erased(i)) continue;
        if (in.op != Opcode::kLabel) ensure_open_block();
        if (llvm::Value* v = lower_pure(in)) {
            vals_[i] = v;
            continue;
        }
        switch (in.op) {
            case Opcode::kGetGlobal:
                if (in.aux == host_flags_ && dirty_.count(uint32_t(in.aux))) fold_host_flags();
                vals_[i] = b_.CreateLoad(type(in.type), globals_[uint32_t(in.aux)]);
                break;
            case Opcode::kSetGlobal:
                b_.CreateStore(value(in.args[0]), globals_[uint32_t(in.aux)]);
                dirty_.insert(uint32_t(in.aux));
                if (in.aux == host_flags_) {
                    clear_host_flags();  // what MXCSR holds was overwritten
                    if (restart_) restart_->ended = true;
                }
                break;
            case Opcode::kLoad: vals_[i] = lower_load(in); break;
            case Opcode::kStore:
                lower_store(in);
                if (restart_) restart_->ended = true;
                break;
            case Opcode::kCall:
                vals_[i] = lower_call(in);
                if (restart_) restart_->ended = true;
                break;
            case Opcode::kInsnStart:
                pc_ = in.args[0].const_value();
                if (retry_below_ && (!restart_ || restart_->ended)) begin_restart();
                break;
            case Opcode::kLabel: {
                llvm::BasicBlock* target = labels_[in.aux];
                if (!b_.GetInsertBlock()->getTerminator())
                    b_.CreateBr(target);
                else
                    dirty_.clear();  // no fall-through: only the branches reach the label
                dirty_.merge(label_dirty_[in.aux]);
                b_.SetInsertPoint(target);
                restart_.reset();
                break;
            }
            case Opcode::kBranch:
                label_dirty_[in.aux].insert(dirty_.begin(), dirty_.end());
                b_.CreateBr(labels_[in.aux]);
                break;
            case Opcode::kBranchIf: {
                label_dirty_[in.aux].insert(dirty_.begin(), dirty_.end());
                auto* next = llvm::BasicBlock::Create(ctx_, "fall", fn_);
                b_.CreateCondBr(b_.CreateIsNotNull(value(in.args[0])), labels_[in.aux], next);
                b_.SetInsertPoint(next);
                break;
            }
            case Opcode::kGotoTb: {
                const ir::Value target = in.args[0];
                // Without chain slots (chaining off), every direct exit returns, even to this unit.
                if (chain_ && target.is_const() && members_.count(target.const_value())) {
                    enter_member(target.const_value(), BlockExit::Kind::kGotoTb, unsigned(in.aux), value(target));
                    break;
                }
                write_back_globals();
                store_env(value(target), offsetof(CpuHeader, pc));
                goto_tb(unsigned(in.aux), value(target));
                break;
            }
            case Opcode::kLookupAndGoto: lookup_and_goto(value(in.args[0])); break;
            case Opcode::kExit:
                write_back_globals();
                store_env(value(in.args[0]), offsetof(CpuHeader, pc));
                ret(BlockExit::Kind::kExit, 0, ir::ExitReason(in.aux));
                break;
            case Opcode::kRaise:
                write_back_globals();
                store_env(value(in.args[0]), offsetof(CpuHeader, pc));
                store_env(b_.getInt32(1), offsetof(CpuHeader, exception_pending));
                store_env(value64(in.args[1]), offsetof(CpuHeader, exception_cause));
                store_env(value64(in.args[2]), offsetof(CpuHeader, exception_tval));
                ret(BlockExit::Kind::kException);
                break;
            default: break;  // pure ops were handled above
        }
    }
}

void lower_unit(const std::vector<RegionBlock>& blocks, MemoryModel memory, LowerOptions options,
                const std::string& name, llvm::Module& module) {
    Lowering(blocks, memory, options, module).run(name);
}

}  // namespace mimic::jit
