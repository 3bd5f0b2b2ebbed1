// The baseline tier's templates: one x86-64 sequence per interpreter op (see baseline.h).
//
// Register use inside a block: rdi holds env for the whole block, as it arrives; rax, rcx, rdx,
// rsi, r8 and xmm0/xmm1 are scratch within one op; r9, r10, r11 and, in blocks with more, r15,
// r14 and r13 hold the block's most used temporaries (words the interpreter's lowering gives
// values that live only inside the block), which then have no env word to go through. A call
// saves env and the caller-saved ones around itself (pushes that also keep the stack aligned).
// The other callee-saved registers, which generated code need not preserve
// (mimic_enter_generated), cache guest registers: see GuestRegCache.
//
// A block is a function `uint64_t(CpuHeader*)` returning encode_exit(), the same ABI as the LLVM
// tier's units, so either tier's code can tail-jump into the other's with nothing to save or
// restore.
#include "backends/baseline/baseline.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <tuple>
#include <unordered_map>

#include "backends/baseline/code_arena.h"
#include "backends/baseline/host_disasm.h"
#include "backends/baseline/x64_emitter.h"
#include "backends/interp/operands.h"
#include "backends/interp/ops.h"
#include "engine/host_fp.h"
#include "engine/translation_block.h"
#include "softmmu/memory_port.h"
#include "softmmu/tlb.h"

namespace mimic::baseline {

namespace {

using interp::IOp;
using interp::Op;

static_assert(sizeof(JumpCacheEntry) == 32, "the jump cache probe scales the index by 32");

template <typename T>
uint64_t address_of(T* f) {
    return reinterpret_cast<uint64_t>(reinterpret_cast<void*>(f));
}

constexpr Reg kEnv = rdi;

Mem word(uint32_t w) {
    return {kEnv, int32_t(w * 8)};
}
Mem field(size_t offset) {
    return {kEnv, int32_t(offset)};
}

// ALU group 1 and shift group 2 extensions.
constexpr unsigned kAdd = 0, kOr = 1, kAnd = 4, kSub = 5, kXor = 6, kCmp = 7;
constexpr unsigned kRol = 0, kRor = 1, kShl = 4, kShr = 5, kSar = 7;

class BaselineBlock final : public CompiledBlock {
public:
    BaselineBlock(std::shared_ptr<CodeArena> arena, const std::vector<uint8_t>& code,
                  std::span<const CodeArena::Guarded> guarded,
                  std::vector<std::unique_ptr<interp::InterpretedBlock>> steps, bool counts)
        : arena_(std::move(arena)),
          code_(arena_->add(code.data(), code.size(), guarded)),
          size_(code.size()),
          steps_(std::move(steps)),
          counts_(counts) {}
    ~BaselineBlock() override { arena_->free(code_); }
    BlockExit run(CpuHeader* env) const override { return decode_exit(mimic_enter_generated(env, code_)); }
    size_t host_size() const override { return size_; }
    std::string dump() const override { return disassemble_host(code_, size_); }
    void* direct_entry() const override { return code_; }
    bool counts_runs() const override { return counts_; }

private:
    std::shared_ptr<CodeArena> arena_;
    void* code_;
    size_t size_;
    std::vector<std::unique_ptr<interp::InterpretedBlock>> steps_;  // the fallback ops' one-op runs
    bool counts_;
};

// Guest registers (words of env past the scratch area) the block has lately loaded or stored, in
// those of rbx, rbp and r12-r15 that temporaries leave free (calls preserve them all).
// Write-through: env always holds the value too, so a fault or an exit needs nothing written back,
// and forgetting is free. The emitter forgets what another path may have changed: everything where
// branches meet and after a helper that may write guest registers, and the word an interpreted op
// wrote. Cold code does not use the cache: it runs from an earlier point of the block than the
// one it is emitted after.
class GuestRegCache {
public:
    static bool cacheable(uint32_t w) { return w >= interp::kScratchWord + CpuHeader::kScratchWords; }
    // The register holding w, or kNoReg.
    Reg find(uint32_t w) {
        for (size_t i = 0; i < size_; ++i)
            if (words_[i] == w) {
                last_use_[i] = ++tick_;
                return kRegs[i];
            }
        return kNoReg;
    }
    // A register that is to hold w from now on: its own, a free one or the least recently used.
    Reg take(uint32_t w) {
        size_t victim = 0;
        for (size_t i = 0; i < size_; ++i) {
            if (words_[i] == w) {
                victim = i;
                break;
            }
            if (last_use_[i] < last_use_[victim]) victim = i;
        }
        words_[victim] = w;
        last_use_[victim] = ++tick_;
        return kRegs[victim];
    }
    void forget(uint32_t w) {
        for (size_t i = 0; i < size_; ++i)
            if (words_[i] == w) words_[i] = 0, last_use_[i] = 0;
    }
    void forget_all() { words_.fill(0), last_use_.fill(0); }
    // The registers past the first n go to temporaries instead.
    void limit(size_t n) { size_ = std::min(n, kRegs.size()); }

    static constexpr std::array<Reg, 6> kRegs = {rbx, rbp, r12, r13, r14, r15};

private:
    size_t size_ = kRegs.size();
    std::array<uint32_t, kRegs.size()> words_{};  // 0: free
    std::array<uint64_t, kRegs.size()> last_use_{};
    uint64_t tick_ = 0;
};

class Emitter {
public:
    Emitter(const interp::InterpretedBlock& ops, const ir::Block& block, MemoryModel memory, ChainSlots* chain,
            uint64_t hot_threshold)
        : ops_(ops), block_(block), memory_(memory), chain_(chain), hot_threshold_(chain ? hot_threshold : 0) {}

    std::vector<uint8_t> emit();
    std::vector<std::unique_ptr<interp::InterpretedBlock>> take_steps() { return std::move(steps_); }
    // After emit(): the guarded accesses, for the arena's recovery table.
    std::vector<CodeArena::Guarded> guarded() const {
        std::vector<CodeArena::Guarded> out;
        for (const auto& [at, slow] : guarded_) out.push_back({uint32_t(at), uint32_t(slow->position())});
        return out;
    }
    bool counts() const { return hot_threshold_ != 0; }

private:
    bool is_const(uint32_t w) const { return w >= interp::kScratchWord && w < interp::kScratchWord + ops_.const_count; }
    // The register holding temporary `w`, or kNoReg if it lives in its word.
    Reg home(uint32_t w) const {
        for (size_t i = 0; i < used_temp_regs_; ++i)
            if (temps_[i] == w) return kTempRegs[i];
        return kNoReg;
    }
    void assign_temps();
    // Every scratch word past the constants holds a temporary (the lowering reuses them as values die).
    bool is_temp(uint32_t w) const {
        return w >= interp::kScratchWord + ops_.const_count && w < interp::kScratchWord + CpuHeader::kScratchWords;
    }
    bool read_from(uint32_t w, size_t k, std::vector<bool>& seen) const;
    uint64_t const_of(uint32_t w) const { return ops_.consts[w - interp::kScratchWord]; }
    // The register a word is in (a temporary's, or a cached guest register's), or kNoReg.
    Reg reg_of(uint32_t w) {
        if (const Reg h = home(w); h != kNoReg) return h;
        return caching_ && GuestRegCache::cacheable(w) ? cache_.find(w) : kNoReg;
    }
    // Returns true when it reused rax instead, whose high half a 32-bit load would have cleared:
    // the few ops that read a 64-bit value as 32 bits and keep all of rax clear it themselves.
    bool load(Reg r, uint32_t w, bool w64 = true) {
        // Straight after the op before stored this word from rax, and nothing can jump in between.
        if (r == rax && w == stored_word_ && a_.size() == stored_at_ && !target_[current_]) return true;
        if (is_const(w)) {
            a_.mov_imm(r, w64 ? const_of(w) : uint32_t(const_of(w)));
        } else if (const Reg h = reg_of(w); h != kNoReg) {
            a_.mov(r, h, w64);
        } else {
            a_.mov(r, word(w), w64);
            // Only a whole word is worth keeping: a 32-bit load leaves the high half zero.
            if (w64 && caching_ && GuestRegCache::cacheable(w)) a_.mov(cache_.take(w), r);
        }
        return false;
    }
    void store(uint32_t w, Reg r) {
        if (const Reg h = home(w); h != kNoReg) {
            a_.mov(h, r);
        } else {
            a_.mov(word(w), r);
            if (caching_ && GuestRegCache::cacheable(w)) a_.mov(cache_.take(w), r);
        }
        if (r == rax) stored_word_ = w, stored_at_ = a_.size();
    }
    // A guest register's word that code other than this block's own templates may have written.
    void forget(uint32_t w) { cache_.forget(w); }
    // Temporaries among an op's operands go to their words, for code that reads them there (the
    // interpreter); reload_temp takes the op's result back.
    void spill_temps(const Op& op) {
        for (uint32_t w : {op.a, op.b, op.c, op.d})
            if (const Reg h = home(w); h != kNoReg) a_.mov(word(w), h);
    }
    void reload_temp(uint32_t w) {
        if (const Reg h = home(w); h != kNoReg) a_.mov(h, word(w));
    }
    // An operand that fits an instruction's imm32 (sign-extended for 64-bit operations).
    bool imm32_operand(uint32_t w, bool w64, int32_t* imm) const {
        if (!is_const(w)) return false;
        const uint64_t v = const_of(w);
        if (w64 && int64_t(v) != int64_t(int32_t(v))) return false;
        *imm = int32_t(uint32_t(v));
        return true;
    }
    Label& cold() { return cold_labels_.emplace_back(); }
    void defer(std::function<void()> f) { deferred_.push_back(std::move(f)); }

    void leave(uint64_t code) {
        a_.mov_imm(rax, code);
        a_.ret();
    }
    // Back to the dispatcher, naming this block's chain slots (CpuHeader::exit_chain).
    void leave_via_chain(uint64_t code) {
        if (chain_) {
            a_.mov_imm(rax, reinterpret_cast<uint64_t>(chain_));
            a_.mov(field(offsetof(CpuHeader, exit_chain)), rax);
        }
        leave(code);
    }
    // Calls keep env (also their first argument) and the temporaries' caller-saved registers
    // across themselves; an odd number of pushes keeps the stack 16-byte aligned.
    void save() {
        a_.push(kEnv);
        for (size_t i = 0; i < saved_temp_regs(); ++i) a_.push(kTempRegs[i]);
        if (saved_temp_regs() % 2) a_.push(kEnv);
    }
    void restore() {
        if (saved_temp_regs() % 2) a_.pop(kEnv);
        for (size_t i = saved_temp_regs(); i-- > 0;) a_.pop(kTempRegs[i]);
        a_.pop(kEnv);
    }
    void call(uint64_t fn) {
        save();
        a_.mov_imm(rax, fn);
        a_.call(rax);
        restore();
    }
    void exit_requested_jump(Label& to) {
        a_.alu_imm(kCmp, field(offsetof(CpuHeader, exit_request)), 0, false);
        a_.jcc(Cc::ne, to);
    }
    Label& raise_at(uint64_t pc);
    void fold_flags();
    bool keeps_flags_pending(const Op& op) const;
    static const ir::IeeeOp& ieee_of(const Op& op) { return reinterpret_cast<const ir::HelperInfo*>(op.imm)->ieee; }
    // An IEEE operation computed on the host (ieee()); fused multiply-adds, and the comparisons'
    // twins without flags, call their helper.
    static bool is_ieee(const Op& op) {
        if (op.kind != IOp::kCall && op.kind != IOp::kCallRaise) return false;
        const ir::IeeeOp& ieee = ieee_of(op);
        return ieee.kind != ir::IeeeOp::Kind::kNone && !ieee.fused() && ieee.accrues;
    }
    static bool is_global_access(const Op& op) {
        return op.kind == IOp::kGetGlobal32 || op.kind == IOp::kGetGlobal64 || op.kind == IOp::kSetGlobal32 ||
               op.kind == IOp::kSetGlobal64;
    }
    // Whether a global access names the flags global's field (by byte offset; a 64-bit one may
    // span two words).
    bool names_flags_global(const Op& op) const {
        return is_global_access(op) && (op.imm / 8 == flags_word_ || (op.imm + 7) / 8 == flags_word_);
    }
    // Whether op, not an IEEE operation, reads or writes the flags global: as an operand word (a
    // global read may be folded into its users, which then read the word), or by name.
    bool touches_flags_global(const Op& op) const {
        if (!flags_word_ || is_ieee(op)) return false;
        for (uint32_t w : {op.a, op.b, op.c, op.d, op.dst})
            if (w == flags_word_) return true;
        return names_flags_global(op);
    }
    bool writes_flags_global(const Op& op) const {
        if (!flags_word_ || is_ieee(op)) return false;
        const bool set = op.kind == IOp::kSetGlobal32 || op.kind == IOp::kSetGlobal64;
        return op.dst == flags_word_ || (set && names_flags_global(op));
    }
    void cold_call(uint64_t fn, bool flags_pending);
    Label& raised();

    void prologue();
    void op(size_t i);
    void binary(const Op& op, bool w64);
    void shift(const Op& op, unsigned ext, bool w64);
    void compare(const Op& op, Cc cc, bool w64);
    void host_load(const Mem& host, unsigned size, bool sign, bool w64);
    void host_store(const Mem& host, Reg r, unsigned size);
    void finish_load(const Op& op, Label& slow, Label& done, bool w64);
    void finish_store(const Op& op, Label& slow, Label& done);
    void flat_load(const Op& op, unsigned size, bool sign);
    void flat_store(const Op& op, unsigned size);
    Mem tlb_host(const Op& op, ir::MemOp m, bool store, Label& slow);
    void tlb_load(const Op& op, bool w64);
    void tlb_store(const Op& op);
    void address(const Op& op);
    Mem guarded_host(const Op& op, Label& slow);
    void call(const Op& op, bool may_raise);
    void ieee(const Op& op, const ir::IeeeOp& ieee);
    void host_flags();
    void unbox_single(Reg r);
    void load_xmm(Xmm x, uint32_t w);
    void store_xmm(uint32_t w, Xmm x);
    void goto_tb(const Op& op);
    void probe_jump_cache(Label& miss);
    void fallback(const Op& op);

    // The caller-saved ones first; then callee-saved ones the guest register cache gives up.
    static constexpr std::array<Reg, 6> kTempRegs = {r9, r10, r11, r15, r14, r13};
    static constexpr size_t kCallerSavedTempRegs = 3;
    size_t saved_temp_regs() const { return std::min(used_temp_regs_, kCallerSavedTempRegs); }

    const interp::InterpretedBlock& ops_;
    const ir::Block& block_;
    GuestRegCache cache_;
    bool caching_ = true;                             // false in cold code
    std::array<uint32_t, kTempRegs.size()> temps_{};  // the temporary each register holds
    size_t used_temp_regs_ = 0;                       // ... in the first this many
    MemoryModel memory_;
    ChainSlots* chain_;
    uint64_t hot_threshold_;
    X64 a_;
    std::vector<Label> at_op_;
    std::vector<bool> target_;  // ops a branch jumps to
    size_t current_ = 0;        // the op being emitted
    bool fused_ = false;        // the current op, a BranchIf, was emitted with the compare before it
    uint32_t stored_word_ = 0;
    size_t stored_at_ = SIZE_MAX;
    // MXCSR and the flags global (see ieee()). pending: IEEE operations have raised flags into
    // MXCSR that are not yet in the global. clean: MXCSR holds nothing but the global's flags and
    // the pending ones (no host code ran, the guest did not write the global, since the check).
    bool flags_pending_ = false;
    bool mxcsr_clean_ = false;
    uint32_t flags_word_ = 0;  // the flags global's word, once an IEEE operation has named it
    // The words xmm0 and xmm1 hold, between binary64 IEEE operations with nothing else between
    // them (kNoWord otherwise): the next one reads its operands there. Through a general register,
    // each value's trip out of xmm and back costs the dependency chain 4-6 cycles, and nbody's
    // chain is most of its time.
    static constexpr uint32_t kNoWord = UINT32_MAX;
    std::array<uint32_t, 2> xmm_holds_ = {kNoWord, kNoWord};
    std::deque<Label> cold_labels_;
    std::vector<std::function<void()>> deferred_;
    std::vector<std::tuple<uint64_t, bool, Label*>> raises_;  // pc, flags pending, stub
    Label* raised_ = nullptr;
    std::vector<std::unique_ptr<interp::InterpretedBlock>> steps_;
    std::vector<std::pair<size_t, Label*>> guarded_;  // a guarded access's offset, and its slow path
};

std::vector<uint8_t> Emitter::emit() {
    at_op_.resize(ops_.ops.size());
    target_.assign(ops_.ops.size() + 1, false);
    for (const Op& o : ops_.ops)
        if (o.kind == IOp::kBranch || o.kind == IOp::kBranchIf) target_[o.imm] = true;
    assign_temps();
    prologue();
    for (size_t i = 0; i < ops_.ops.size(); ++i) {
        current_ = i;
        if (target_[i]) {  // every path arrives with the flags folded: branches fold before they jump
            fold_flags();
            mxcsr_clean_ = false;
        }
        a_.bind(at_op_[i]);
        if (target_[i]) cache_.forget_all();
        if (target_[i] || !is_ieee(ops_.ops[i]) || ieee_of(ops_.ops[i]).width != 64) xmm_holds_ = {kNoWord, kNoWord};
        if (fused_) {
            fused_ = false;
            continue;
        }
        const Op& o = ops_.ops[i];
        if (!keeps_flags_pending(o)) fold_flags();
        op(i);
        if (writes_flags_global(o)) mxcsr_clean_ = false;  // MXCSR may hold flags the new value has not
    }
    // Cold paths after the block's straight line (deferred code may defer more). Those that
    // fold flags say whether they have some pending.
    caching_ = false;
    flags_pending_ = false;
    for (size_t i = 0; i < deferred_.size(); ++i) deferred_[i]();
    return a_.bytes();
}

// The most used temporaries get registers. None is read before the block writes it or after it
// leaves.
void Emitter::assign_temps() {
    std::unordered_map<uint32_t, size_t> uses;
    for (const Op& o : ops_.ops)
        for (uint32_t w : {o.dst, o.a, o.b, o.c, o.d})
            if (is_temp(w)) ++uses[w];
    std::vector<std::pair<size_t, uint32_t>> by_uses;
    for (auto [w, n] : uses) by_uses.emplace_back(n, w);
    std::sort(by_uses.begin(), by_uses.end(), std::greater<>());
    used_temp_regs_ = std::min(by_uses.size(), kTempRegs.size());
    for (size_t i = 0; i < used_temp_regs_; ++i) temps_[i] = by_uses[i].second;
    cache_.limit(GuestRegCache::kRegs.size() - (used_temp_regs_ - saved_temp_regs()));
}

// Whether some path from op k reads temporary w before writing it (temporaries are dead where the
// block ends). Conservative where a branch goes back, which lowering does not produce.
bool Emitter::read_from(uint32_t w, size_t k, std::vector<bool>& seen) const {
    for (; k < ops_.ops.size(); ++k) {
        if (seen[k]) return false;  // that path is being or has been looked at
        seen[k] = true;
        const Op& o = ops_.ops[k];
        if (o.a == w || o.b == w || o.c == w || o.d == w) return true;
        switch (o.kind) {
            case IOp::kBranch:
            case IOp::kBranchIf:
                if (o.imm <= k) return true;
                if (read_from(w, o.imm, seen)) return true;
                if (o.kind == IOp::kBranch) return false;
                break;
            case IOp::kGotoTb:
            case IOp::kLookupAndGoto:
            case IOp::kExit:
            case IOp::kRaise:
            case IOp::kReturn: return false;
            default: break;
        }
        if (o.dst == w) return false;
    }
    return false;
}

// Counting (tiered mode): ++exec_count; at half the threshold, and from the threshold on while
// the block is not queued, leave with kHot before running anything.
void Emitter::prologue() {
    if (!hot_threshold_) return;
    TranslationBlock* tb = TranslationBlock::from_chain(chain_);
    Label& hot = cold();
    Label& past = cold();
    Label& body = cold();
    const auto count_at = reinterpret_cast<uint64_t>(&tb->exec_count);
    a_.load_rax_absolute(count_at);
    a_.alu_imm(kAdd, rax, 1);
    a_.store_rax_absolute(count_at);
    for (auto [count, cc, to] : {std::tuple{hot_threshold_ / 2, Cc::e, &hot}, {hot_threshold_, Cc::ae, &past}}) {
        if (count <= uint64_t(INT32_MAX)) {
            a_.alu_imm(kCmp, rax, int32_t(count));
        } else {
            a_.mov_imm(rdx, count);
            a_.alu(kCmp, rax, rdx);
        }
        a_.jcc(cc, *to);
    }
    a_.bind(body);
    defer([this, tb, &hot, &past, &body] {
        a_.bind(past);
        a_.mov_imm(rax, reinterpret_cast<uint64_t>(&tb->queued));
        a_.rm(false, {0x80}, 7, Mem{rax});  // cmp byte [rax], 0
        a_.byte(0);
        a_.jcc(Cc::ne, body);
        a_.bind(hot);
        a_.mov_imm(rax, block_.guest_pc());
        a_.mov(field(offsetof(CpuHeader, pc)), rax);
        leave_via_chain(encode_exit(BlockExit::Kind::kHot));
    });
}

// A native slow path's failure: the faulting op's pc, then kException (one stub per pc).
Label& Emitter::raise_at(uint64_t pc) {
    const bool pending = flags_pending_;
    for (auto& [p, f, l] : raises_)
        if (p == pc && f == pending) return *l;
    Label& l = cold();
    raises_.emplace_back(pc, pending, &l);
    defer([this, pc, pending, &l] {
        a_.bind(l);
        flags_pending_ = pending;
        fold_flags();
        a_.mov_imm(rax, pc);
        a_.mov(field(offsetof(CpuHeader, pc)), rax);
        leave(encode_exit(BlockExit::Kind::kException));
    });
    return l;
}

// The interpreter raised in a fallback op and already set the pc.
Label& Emitter::raised() {
    if (raised_) return *raised_;
    raised_ = &cold();
    defer([this] {
        a_.bind(*raised_);
        leave(encode_exit(BlockExit::Kind::kException));
    });
    return *raised_;
}

void Emitter::binary(const Op& op, bool w64) {
    unsigned ext = 0;
    switch (op.kind) {
        case IOp::kAdd32:
        case IOp::kAdd64: ext = kAdd; break;
        case IOp::kSub32:
        case IOp::kSub64: ext = kSub; break;
        case IOp::kAnd32:
        case IOp::kAnd64: ext = kAnd; break;
        case IOp::kOr32:
        case IOp::kOr64: ext = kOr; break;
        default: ext = kXor; break;
    }
    // In place when the result replaces its first operand and that is in a register: a guest
    // register's cache (then written through) or a temporary's home.
    const Reg in_place = w64 && op.dst == op.a ? reg_of(op.a) : kNoReg;
    const Reg acc = in_place != kNoReg ? in_place : rax;
    if (in_place == kNoReg) load(rax, op.a, w64);
    int32_t imm = 0;
    if (imm32_operand(op.b, w64, &imm)) {
        a_.alu_imm(ext, acc, imm, w64);
    } else if (is_const(op.b)) {
        load(rcx, op.b, w64);
        a_.alu(ext, acc, rcx, w64);
    } else if (const Reg h = reg_of(op.b); h != kNoReg) {
        a_.alu(ext, acc, h, w64);
    } else {
        a_.alu(ext, acc, word(op.b), w64);
    }
    if (in_place == kNoReg) return store(op.dst, rax);
    if (home(op.dst) == kNoReg) a_.mov(word(op.dst), in_place);
}

void Emitter::shift(const Op& op, unsigned ext, bool w64) {
    if (const Reg h = w64 && op.dst == op.a && is_const(op.b) ? reg_of(op.a) : kNoReg; h != kNoReg) {
        a_.shift_imm(ext, h, uint8_t(const_of(op.b) & 63), true);  // in place, as binary() does
        if (home(op.dst) == kNoReg) a_.mov(word(op.dst), h);
        return;
    }
    load(rax, op.a, w64);
    if (is_const(op.b)) {
        a_.shift_imm(ext, rax, uint8_t(const_of(op.b) & (w64 ? 63 : 31)), w64);
    } else {
        load(rcx, op.b, false);
        a_.shift_cl(ext, rax, w64);
    }
    store(op.dst, rax);
}

void Emitter::compare(const Op& op, Cc cc, bool w64) {
    load(rax, op.a, w64);
    int32_t imm = 0;
    if (imm32_operand(op.b, w64, &imm)) {
        a_.alu_imm(kCmp, rax, imm, w64);
    } else if (const Reg h = reg_of(op.b); h != kNoReg) {
        a_.alu(kCmp, rax, h, w64);
    } else {
        load(rcx, op.b, w64);
        a_.alu(kCmp, rax, rcx, w64);
    }
    // A branch on the result right after, which nothing else jumps to: the flags are still there,
    // and if that branch is the result's only reader, the result itself is not needed.
    const size_t next = current_ + 1;
    const bool fuses =
        next < ops_.ops.size() && ops_.ops[next].kind == IOp::kBranchIf && ops_.ops[next].a == op.dst && !target_[next];
    std::vector<bool> seen(ops_.ops.size() + 1, false);
    const auto read_after_branch = [&] {
        return read_from(op.dst, size_t(ops_.ops[next].imm), seen) || read_from(op.dst, next + 1, seen);
    };
    if (!fuses || !is_temp(op.dst) || read_after_branch()) {
        a_.setcc(cc, rax);
        a_.movzx8(rax, rax);
        store(op.dst, rax);
    }
    if (fuses) {
        a_.jcc(cc, at_op_[ops_.ops[next].imm]);
        fused_ = true;
    }
}

// movq/movd between a general register and xmm (66 [REX.W] 0F 6E / 7E).
void to_xmm(X64& a, Xmm x, Reg r, bool f64) {
    a.rr(f64, {0x0F, 0x6E}, x, r, 0x66);
}
void from_xmm(X64& a, Reg r, Xmm x, bool f64) {
    a.rr(f64, {0x0F, 0x7E}, x, r, 0x66);
}

// rsi = the access's guest address.
void Emitter::address(const Op& op) {
    if (const Reg h = reg_of(op.a); h != kNoReg && op.disp) return a_.lea(rsi, Mem{h, op.disp});
    load(rsi, op.a);
    if (op.disp) a_.lea(rsi, Mem{rsi, op.disp});
}

// User mode's access below mem_limit, with the host's page protection, which mirrors the guest's,
// checking the rest (as in the LLVM tier): the access is entered in the arena's recovery table,
// so that a refused one resumes at `slow`, which does it again with every check and raises the
// guest's fault with exact state, or writes a page protected for its translated code. Leaves
// rcx = mem_base, rsi = the guest address.
Mem Emitter::guarded_host(const Op& op, Label& slow) {
    address(op);
    a_.alu(kCmp, rsi, field(offsetof(CpuHeader, mem_limit)));
    a_.jcc(Cc::ae, slow);
    a_.mov(rcx, field(offsetof(CpuHeader, mem_base)));
    return {rcx, 0, rsi};
}

// The host access itself: a load into rax, extended to 64 bits (or, for an i32 result, to 32,
// with the high half zero), or a store of r's low `size` bytes.
void Emitter::host_load(const Mem& host, unsigned size, bool sign, bool w64) {
    switch (size) {
        case 1: a_.rm(w64, {0x0F, uint8_t(sign ? 0xBE : 0xB6)}, rax, host); break;
        case 2: a_.rm(w64, {0x0F, uint8_t(sign ? 0xBF : 0xB7)}, rax, host); break;
        case 4:
            if (sign && w64)
                a_.rm(true, {0x63}, rax, host);  // movsxd
            else
                a_.mov(rax, host, false);
            break;
        default: a_.mov(rax, host, w64); break;
    }
}

void Emitter::host_store(const Mem& host, Reg r, unsigned size) {
    switch (size) {
        case 1: a_.rm(false, {0x88}, r, host, 0, true); break;
        case 2: a_.rm(false, {0x89}, r, host, 0x66); break;
        case 4: a_.mov(host, r, false); break;
        default: a_.mov(host, r); break;
    }
}

// After a load's fast path: `done`, where the slow path rejoins, and the value to its word. The
// slow path, through the memory port, raises at the op's pc or leaves the value in the word.
void Emitter::finish_load(const Op& op, Label& slow, Label& done, bool w64) {
    a_.bind(done);
    store(op.dst, rax);
    defer([this, &op, &slow, &done, w64, pending = flags_pending_] {
        a_.bind(slow);
        flags_pending_ = pending;  // for raise_at
        a_.mov_imm(rdx, op.imm);
        a_.lea(rcx, word(op.dst));
        cold_call(address_of(&generated_load_slow), pending);
        a_.test(rax, rax, false);
        a_.jcc(Cc::e, raise_at(op.pc));
        a_.mov(rax, word(op.dst), w64);  // the value, which then goes where the fast path's goes
        a_.jmp(done);
    });
}

void Emitter::finish_store(const Op& op, Label& slow, Label& done) {
    a_.bind(done);
    defer([this, &op, &slow, &done, pending = flags_pending_] {
        a_.bind(slow);
        flags_pending_ = pending;  // for raise_at
        a_.mov_imm(rdx, op.imm);
        load(rcx, op.b);
        cold_call(address_of(&generated_store_slow), pending);
        a_.test(rax, rax, false);
        a_.jcc(Cc::e, raise_at(op.pc));
        a_.jmp(done);
    });
}

void Emitter::flat_load(const Op& op, unsigned size, bool sign) {
    Label& slow = cold();
    Label& done = cold();
    const Mem host = guarded_host(op, slow);
    guarded_.emplace_back(a_.size(), &slow);
    host_load(host, size, sign, true);
    finish_load(op, slow, done, true);
}

void Emitter::flat_store(const Op& op, unsigned size) {
    Label& slow = cold();
    Label& done = cold();
    load(rdx, op.b);  // before the branch to the slow path, which must find the cache as it was there
    const Mem host = guarded_host(op, slow);
    guarded_.emplace_back(a_.size(), &slow);
    host_store(host, rdx, size);
    finish_store(op, slow, done);
}

// System mode's access through the soft TLB (softmmu/tlb.h, tlb_load/tlb_store): within one page,
// aligned if the op must be, and the entry's tag for the access equal to the page's address; then
// the host address is the guest's plus the entry's addend. Leaves rsi = the guest address.
Mem Emitter::tlb_host(const Op& op, ir::MemOp m, bool store, Label& slow) {
    using softmmu::SoftTlb;
    using softmmu::TlbEntry;
    const unsigned size = m.size();
    address(op);
    a_.mov(rax, rsi, false);
    a_.alu_imm(kAnd, rax, int32_t(kGuestPageSize - 1), false);
    a_.alu_imm(kCmp, rax, int32_t(kGuestPageSize - size), false);
    a_.jcc(Cc::a, slow);
    if (m.aligned && size > 1) {
        a_.mov(rax, rsi, false);
        a_.alu_imm(kAnd, rax, int32_t(size - 1), false);
        a_.jcc(Cc::ne, slow);
    }
    a_.mov(rdx, field(offsetof(CpuHeader, tlb)));
    a_.mov(rax, rsi);
    a_.shift_imm(kShr, rax, kGuestPageBits);
    a_.alu_imm(kAnd, rax, int32_t(SoftTlb::kMask), false);
    a_.shift_imm(kShl, rax, 5);
    a_.alu(kAdd, rdx, rax);
    const auto table = int32_t(offsetof(SoftTlb, entries) + m.mmu_index * sizeof(SoftTlb::entries[0]));
    a_.mov(rcx, rsi);
    a_.alu_imm(kAnd, rcx, -int32_t(kGuestPageSize));
    a_.alu(kCmp, rcx, Mem{rdx, table + int32_t(store ? offsetof(TlbEntry, write) : offsetof(TlbEntry, read))});
    a_.jcc(Cc::ne, slow);
    a_.mov(rcx, Mem{rdx, table + int32_t(offsetof(TlbEntry, addend))});
    return {rcx, 0, rsi};
}

void Emitter::tlb_load(const Op& op, bool w64) {
    const ir::MemOp m = ir::MemOp::decode(op.imm);
    if (m.big_endian) return fallback(op);
    Label& slow = cold();
    Label& done = cold();
    host_load(tlb_host(op, m, false, slow), m.size(), m.sign, w64);
    finish_load(op, slow, done, w64);
}

void Emitter::tlb_store(const Op& op) {
    const ir::MemOp m = ir::MemOp::decode(op.imm);
    if (m.big_endian) return fallback(op);
    Label& slow = cold();
    Label& done = cold();
    load(r8, op.b);  // before the branches to the slow path
    host_store(tlb_host(op, m, true, slow), r8, m.size());
    finish_store(op, slow, done);
}

// A binary32 operand that is not NaN-boxed reads as the default NaN (ir::IeeeOp).
void Emitter::unbox_single(Reg r) {
    Label boxed;
    a_.mov_imm(rdx, 0xffff'ffff'0000'0000);
    a_.alu(kCmp, r, rdx);
    a_.jcc(Cc::ae, boxed);
    a_.mov_imm(r, 0x7fc0'0000);
    a_.bind(boxed);
}

// xmm = a binary64 operand: where the operation before left it in xmm, or straight from the
// register it is in (a temporary's or a cached guest register's) or from its word (movq xmm, m64).
// FP values are not cached in general registers: a loop of FP code has more of them than the
// cache has registers, and they would evict the integer ones (nbody's pointers).
void Emitter::load_xmm(Xmm x, uint32_t w) {
    const Xmm other = x == xmm0 ? xmm1 : xmm0;
    if (xmm_holds_[x] == w) return;
    if (xmm_holds_[other] == w) {
        a_.rr(false, {0x0F, 0x28}, x, other, 0x66);  // movapd
    } else if (const Reg h = reg_of(w); h != kNoReg) {
        to_xmm(a_, x, h, true);
    } else if (is_const(w)) {
        a_.mov_imm(rax, const_of(w));
        to_xmm(a_, x, rax, true);
    } else {
        a_.rm(false, {0x0F, 0x7E}, x, word(w), 0xF3);
    }
    xmm_holds_[x] = w;
}

// A binary64 result from xmm to its word (movq m64, xmm), or to its temporary's register: no
// trip through rax, and (see load_xmm) no cache register.
void Emitter::store_xmm(uint32_t w, Xmm x) {
    if (const Reg h = home(w); h != kNoReg) return from_xmm(a_, h, x, true);
    a_.rm(false, {0x0F, 0xD6}, x, word(w), 0x66);
    forget(w);
}

// rcx = MXCSR's sticky flags as kIeee* bits.
void Emitter::host_flags() {
    a_.stmxcsr(field(offsetof(CpuHeader, mxcsr_after)));
    a_.mov(rcx, field(offsetof(CpuHeader, mxcsr_after)), false);
    a_.alu_imm(kAnd, rcx, kMxcsrFlags, false);
    a_.mov_imm(rdx, reinterpret_cast<uint64_t>(kMxcsrToIeee.data()));
    a_.rm(false, {0x0F, 0xB6}, rcx, Mem{rdx, 0, rcx});
}

// An IEEE helper (ir::IeeeOp) on the host's SSE unit, which raises the same exceptions, as the
// LLVM tier computes it: the flags MXCSR has after the operation are ORed into the flags global. A
// NaN result is the default NaN (x86 gives its own or an operand's). MXCSR is cleared first only
// when it holds a flag the global does not (after the guest cleared the global, or host code
// raised one): loading MXCSR is slow, while in the common case it holds inexact, and so does the
// global. Straight after another IEEE operation, which nothing else jumps to, the check is known
// to pass: that operation's flags were just ORed in.
void Emitter::ieee(const Op& op, const ir::IeeeOp& ieee) {
    using Kind = ir::IeeeOp::Kind;
    const bool f64 = ieee.width == 64;
    const uint32_t flags = block_.globals()[ieee.flags_global].env_offset / 8;
    flags_word_ = flags;
    if (!mxcsr_clean_) {
        host_flags();
        load(rdx, flags);
        a_.mov(r8, rdx);
        a_.alu(kOr, rdx, rcx);
        Label& clear = cold();
        Label& cleared = cold();
        a_.alu(kCmp, rdx, r8);  // MXCSR has a flag the global does not
        a_.jcc(Cc::ne, clear);
        defer([this, &clear, &cleared] {
            a_.bind(clear);
            a_.ldmxcsr(field(offsetof(CpuHeader, mxcsr_clear)));
            a_.jmp(cleared);
        });
        a_.bind(cleared);
        mxcsr_clean_ = true;
    }
    if (f64) {
        // The second operand first if it is in xmm0, where the first goes.
        if (!ieee.unary() && xmm_holds_[xmm0] == op.b && op.a != op.b) load_xmm(xmm1, op.b);
        load_xmm(xmm0, op.a);
        if (!ieee.unary()) load_xmm(xmm1, op.b);
    } else {
        load(rax, op.a);
        unbox_single(rax);
        to_xmm(a_, xmm0, rax, false);
        if (!ieee.unary()) {
            load(rcx, op.b);
            unbox_single(rcx);
            to_xmm(a_, xmm1, rcx, false);
        }
    }
    for (uint32_t& w : xmm_holds_)  // the operation writes op.dst: an xmm register's copy is stale
        if (w == op.dst) w = kNoWord;
    const uint8_t scalar = f64 ? 0xF2 : 0xF3, packed = f64 ? 0x66 : 0;
    if (ieee.comparison()) {
        // ucomis (quiet) for ==, comis (signaling: invalid for any NaN) for < and <=, the operands
        // swapped so that "above" is the answer; unordered sets ZF, PF and CF.
        if (ieee.kind == Kind::kEq) {
            a_.rr(false, {0x0F, 0x2E}, xmm0, xmm1, packed);
            a_.setcc(Cc::e, rax);
            a_.setcc(Cc::np, rcx);
            a_.alu(kAnd, rax, rcx, false);
        } else {
            a_.rr(false, {0x0F, 0x2F}, xmm1, xmm0, packed);
            a_.setcc(ieee.kind == Kind::kLt ? Cc::a : Cc::ae, rax);
        }
        a_.movzx8(rax, rax);
    } else {
        static_assert(size_t(Kind::kAdd) == 1 && size_t(Kind::kSqrt) == 5, "kOpcodes follows Kind");
        static constexpr uint8_t kOpcodes[] = {0, 0x58, 0x5C, 0x59, 0x5E, 0x51};  // by Kind, kAdd..kSqrt
        const uint8_t opcode = kOpcodes[size_t(ieee.kind)];
        a_.rr(false, {0x0F, opcode}, xmm0, ieee.unary() ? xmm0 : xmm1, scalar);
        a_.rr(false, {0x0F, 0x2E}, xmm0, xmm0, packed);  // unordered: a NaN
        if (f64) {
            // The default NaN on a cold path, and the result straight from xmm0.
            Label& nan = cold();
            Label& number = cold();
            a_.jcc(Cc::p, nan);
            defer([this, &nan, &number] {
                a_.bind(nan);
                a_.mov_imm(rax, 0x7ff8'0000'0000'0000);
                to_xmm(a_, xmm0, rax, true);
                a_.jmp(number);
            });
            a_.bind(number);
            store_xmm(op.dst, xmm0);
            xmm_holds_[xmm0] = op.dst;
            flags_pending_ = true;
            return;
        }
        Label number;
        from_xmm(a_, rax, xmm0, false);
        a_.jcc(Cc::np, number);
        a_.mov_imm(rax, 0x7fc0'0000);
        a_.bind(number);
        a_.mov_imm(rcx, 0xffff'ffff'0000'0000);
        a_.alu(kOr, rax, rcx);
    }
    store(op.dst, rax);
    flags_pending_ = true;
}

// ORs what MXCSR has raised into the flags global, if an IEEE operation has raised anything
// since the last fold.
void Emitter::fold_flags() {
    if (!flags_pending_) return;
    host_flags();
    load(rdx, flags_word_);
    a_.alu(kOr, rdx, rcx);
    store(flags_word_, rdx);
    flags_pending_ = false;
}

// Whether op may run with flags still pending in MXCSR: it neither calls host code (but on a cold
// path: cold_call), nor leaves or branches, nor reads or writes the flags global.
bool Emitter::keeps_flags_pending(const Op& op) const {
    if (!flags_pending_) return true;
    if (touches_flags_global(op)) return false;
    switch (op.kind) {
        case IOp::kCall:
        case IOp::kCallRaise: return is_ieee(op);
        case IOp::kGetGlobal32:
        case IOp::kGetGlobal64:
        case IOp::kSetGlobal32:
        case IOp::kSetGlobal64:
        case IOp::kAdd32:
        case IOp::kSub32:
        case IOp::kAnd32:
        case IOp::kOr32:
        case IOp::kXor32:
        case IOp::kAdd64:
        case IOp::kSub64:
        case IOp::kAnd64:
        case IOp::kOr64:
        case IOp::kXor64:
        case IOp::kMul32:
        case IOp::kMul64:
        case IOp::kShl32:
        case IOp::kShl64:
        case IOp::kShrU32:
        case IOp::kShrU64:
        case IOp::kShrS32:
        case IOp::kShrS64:
        case IOp::kRotL32:
        case IOp::kRotL64:
        case IOp::kRotR32:
        case IOp::kRotR64:
        case IOp::kTruncate:
        case IOp::kExtendU:
        case IOp::kExtendS:
        case IOp::kSignExtend32:
        case IOp::kSignExtend64:
        case IOp::kZeroExtend32:
        case IOp::kZeroExtend64:
        case IOp::kSelect:
        case IOp::kLoadU8:
        case IOp::kLoadS8:
        case IOp::kLoadU16:
        case IOp::kLoadS16:
        case IOp::kLoadU32:
        case IOp::kLoadS32:
        case IOp::kLoadX64:
        case IOp::kStore8:
        case IOp::kStore16:
        case IOp::kStoreX32:
        case IOp::kStoreX64:
        case IOp::kTlbLoad32:
        case IOp::kTlbLoad64:
        case IOp::kTlbStore: return true;
        default: return false;  // compares too: a branch may be fused into one
    }
}

// A slow path's call into C++, which may run host floating point: MXCSR, with the flags still
// pending, is kept around it.
void Emitter::cold_call(uint64_t fn, bool flags_pending) {
    if (flags_pending) a_.stmxcsr(field(offsetof(CpuHeader, mxcsr_saved)));
    call(fn);
    if (flags_pending) a_.ldmxcsr(field(offsetof(CpuHeader, mxcsr_saved)));
}

void Emitter::call(const Op& op, bool may_raise) {
    const auto* h = reinterpret_cast<const ir::HelperInfo*>(op.imm);
    // Fused multiply-adds call their helper: this encoder has no VEX forms.
    if (is_ieee(op)) return ieee(op, h->ieee);
    load(rsi, op.a);
    load(rdx, op.b);
    load(rcx, op.c);
    load(r8, op.d);
    call(address_of(h->fn));
    mxcsr_clean_ = false;  // host code, which may raise flags, or the guest's write of the global
    if (!(h->flags & ir::kHelperNoWriteGlobals)) cache_.forget_all();
    if (may_raise) {
        a_.alu_imm(kCmp, field(offsetof(CpuHeader, exception_pending)), 0, false);
        a_.jcc(Cc::ne, raise_at(op.pc));
    }
    if (h->result == ir::Type::kI32) a_.mov(rax, rax, false);
    store(op.dst, rax);
}

// The vCPU's jump cache for the pc in rsi (engine/backend.h, JumpCacheEntry): tail-jump to the
// block's direct entry if it has one and no exit is requested, else fall through to `miss`.
void Emitter::probe_jump_cache(Label& miss) {
    a_.mov(rdx, field(offsetof(CpuHeader, jump_cache)));
    a_.test(rdx, rdx);
    a_.jcc(Cc::e, miss);
    a_.mov(rcx, rsi);
    a_.shift_imm(kShr, rcx, 1);
    a_.mov(rax, rsi);
    a_.shift_imm(kShr, rax, kJumpCacheBits + 1);
    a_.alu(kXor, rcx, rax);
    a_.alu_imm(kAnd, rcx, (1 << kJumpCacheBits) - 1);
    a_.shift_imm(kShl, rcx, 5);
    a_.alu(kAdd, rdx, rcx);
    a_.alu(kCmp, rsi, Mem{rdx, int32_t(offsetof(JumpCacheEntry, pc))});
    a_.jcc(Cc::ne, miss);
    a_.alu_imm(kCmp, Mem{rdx, int32_t(offsetof(JumpCacheEntry, flags))}, int32_t(block_.mode_flags()), false);
    a_.jcc(Cc::ne, miss);
    a_.mov(rax, Mem{rdx, int32_t(offsetof(JumpCacheEntry, direct_entry))});
    a_.mov(rax, Mem{rax});
    a_.test(rax, rax);
    a_.jcc(Cc::e, miss);
    exit_requested_jump(miss);
    a_.jmp(rax);
}

// A direct exit: tail-jump through the chain slot; else return to the engine, which links the
// slot, or (system mode, to another page: never linked) try the jump cache first.
void Emitter::goto_tb(const Op& op) {
    if (!chain_) {
        a_.mov_imm(rax, op.pc);
        a_.mov(field(offsetof(CpuHeader, pc)), rax);
        return leave(encode_exit(BlockExit::Kind::kGotoTb, unsigned(op.imm)));
    }
    Label unchained;
    a_.load_rax_absolute(reinterpret_cast<uint64_t>(&(*chain_)[op.imm]));
    a_.test(rax, rax);
    a_.jcc(Cc::e, unchained);
    exit_requested_jump(unchained);
    a_.jmp(rax);
    a_.bind(unchained);
    a_.mov_imm(rsi, op.pc);  // the chained successor knows its pc; the dispatcher needs it
    a_.mov(field(offsetof(CpuHeader, pc)), rsi);
    if (!engine_links(memory_, block_.guest_pc(), op.pc)) {
        Label miss;
        probe_jump_cache(miss);
        a_.bind(miss);
    }
    leave_via_chain(encode_exit(BlockExit::Kind::kGotoTb, unsigned(op.imm)));
}

// Any op without a template: the interpreter runs it alone (a one-op block ending in Return).
// Its constant operands are written to their words first, since this tier never copies them.
void Emitter::fallback(const Op& op) {
    auto step = std::make_unique<interp::InterpretedBlock>();
    const void* const* labels = nullptr;
    interp::execute(nullptr, nullptr, &labels);
    step->ops.push_back(op);
    Op ret;
    ret.kind = IOp::kReturn;
    ret.handler = labels[size_t(IOp::kReturn)];
    step->ops.push_back(ret);
    for (uint32_t w : {op.a, op.b, op.c, op.d}) {
        if (!is_const(w)) continue;
        a_.mov_imm(rax, const_of(w));
        store(w, rax);
    }
    spill_temps(op);
    save();
    a_.mov(rsi, kEnv);
    a_.mov_imm(rdi, reinterpret_cast<uint64_t>(step.get()));
    a_.alu(kXor, rdx, rdx, false);
    a_.mov_imm(rax, address_of(&interp::execute));
    a_.call(rax);
    restore();
    mxcsr_clean_ = false;
    a_.alu_imm(kAnd, rax, 0xff, false);  // BlockExit::kind
    a_.alu_imm(kCmp, rax, int32_t(BlockExit::Kind::kException), false);
    a_.jcc(Cc::e, raised());
    reload_temp(op.dst);
    forget(op.dst);
    steps_.push_back(std::move(step));
}

void Emitter::op(size_t i) {
    const Op& op = ops_.ops[i];
    switch (op.kind) {
        case IOp::kAdd32:
        case IOp::kSub32:
        case IOp::kAnd32:
        case IOp::kOr32:
        case IOp::kXor32: return binary(op, false);
        case IOp::kAdd64:
        case IOp::kSub64:
        case IOp::kAnd64:
        case IOp::kOr64:
        case IOp::kXor64: return binary(op, true);
        case IOp::kMul32:
        case IOp::kMul64: {
            const bool w64 = op.kind == IOp::kMul64;
            load(rax, op.a, w64);
            load(rcx, op.b, w64);
            a_.imul(rax, rcx, w64);
            return store(op.dst, rax);
        }
        case IOp::kShl32: return shift(op, kShl, false);
        case IOp::kShl64: return shift(op, kShl, true);
        case IOp::kShrU32: return shift(op, kShr, false);
        case IOp::kShrU64: return shift(op, kShr, true);
        case IOp::kShrS32: return shift(op, kSar, false);
        case IOp::kShrS64: return shift(op, kSar, true);
        case IOp::kRotL32: return shift(op, kRol, false);
        case IOp::kRotL64: return shift(op, kRol, true);
        case IOp::kRotR32: return shift(op, kRor, false);
        case IOp::kRotR64: return shift(op, kRor, true);

#define CMP(name, cc)                                        \
    case IOp::kCmp##name##32: return compare(op, cc, false); \
    case IOp::kCmp##name##64: return compare(op, cc, true);
            CMP(Eq, Cc::e)
            CMP(Ne, Cc::ne)
            CMP(LtS, Cc::l)
            CMP(GeS, Cc::ge)
            CMP(LtU, Cc::b)
            CMP(GeU, Cc::ae)
            CMP(LeS, Cc::le)
            CMP(GtS, Cc::g)
            CMP(LeU, Cc::be)
            CMP(GtU, Cc::a)
#undef CMP

        case IOp::kTruncate:  // an i64 to i32: the value stored is zero-extended, as every i32 is
            if (load(rax, op.a, false)) a_.mov(rax, rax, false);
            return store(op.dst, rax);
        case IOp::kExtendU: load(rax, op.a, false); return store(op.dst, rax);
        case IOp::kExtendS:
            load(rax, op.a, false);
            a_.movsxd(rax, rax);
            return store(op.dst, rax);
        case IOp::kSignExtend32:
        case IOp::kSignExtend64: {
            const bool w64 = op.kind == IOp::kSignExtend64;
            const unsigned shift = (w64 ? 64 : 32) - unsigned(op.imm);
            load(rax, op.a, w64);
            if (w64 && shift == 32) {
                a_.movsxd(rax, rax);
            } else if (shift && shift < (w64 ? 64u : 32u)) {
                a_.shift_imm(kShl, rax, uint8_t(shift), w64);
                a_.shift_imm(kSar, rax, uint8_t(shift), w64);
            }
            return store(op.dst, rax);
        }
        case IOp::kZeroExtend32:
        case IOp::kZeroExtend64: {
            const bool w64 = op.kind == IOp::kZeroExtend64;
            const unsigned bits = unsigned(op.imm);
            load(rax, op.a, w64);
            if (bits < 32) {
                a_.alu_imm(kAnd, rax, int32_t((uint32_t{1} << bits) - 1), false);
            } else if (w64 && bits == 32) {
                a_.mov(rax, rax, false);
            } else if (w64 && bits < 64) {
                a_.mov_imm(rcx, (uint64_t{1} << bits) - 1);
                a_.alu(kAnd, rax, rcx);
            }
            return store(op.dst, rax);
        }
        case IOp::kSelect: {
            load(rax, op.c);
            load(rcx, op.b);
            load(rdx, op.a);
            a_.test(rdx, rdx);
            a_.cmov(Cc::ne, rax, rcx);
            return store(op.dst, rax);
        }
        case IOp::kGetGlobal32:
        case IOp::kGetGlobal64: {
            const bool w64 = op.kind == IOp::kGetGlobal64;
            if (op.imm % 8 == 0) {
                if (load(rax, uint32_t(op.imm / 8), w64) && !w64) a_.mov(rax, rax, false);
            } else {
                a_.mov(rax, field(op.imm), w64);
            }
            return store(op.dst, rax);
        }
        case IOp::kSetGlobal32:
            load(rax, op.a, false);
            a_.mov(field(op.imm), rax, false);
            return forget(uint32_t(op.imm / 8));  // the word that holds the field's four bytes
        case IOp::kSetGlobal64:
            load(rax, op.a);
            if (op.imm % 8 == 0) return store(uint32_t(op.imm / 8), rax);
            a_.mov(field(op.imm), rax);
            forget(uint32_t(op.imm / 8));
            return forget(uint32_t(op.imm / 8 + 1));

        case IOp::kLoadU8: return flat_load(op, 1, false);
        case IOp::kLoadS8: return flat_load(op, 1, true);
        case IOp::kLoadU16: return flat_load(op, 2, false);
        case IOp::kLoadS16: return flat_load(op, 2, true);
        case IOp::kLoadU32: return flat_load(op, 4, false);
        case IOp::kLoadS32: return flat_load(op, 4, true);
        case IOp::kLoadX64: return flat_load(op, 8, false);
        case IOp::kStore8: return flat_store(op, 1);
        case IOp::kStore16: return flat_store(op, 2);
        case IOp::kStoreX32: return flat_store(op, 4);
        case IOp::kStoreX64: return flat_store(op, 8);
        case IOp::kTlbLoad32: return tlb_load(op, false);
        case IOp::kTlbLoad64: return tlb_load(op, true);
        case IOp::kTlbStore: return tlb_store(op);

        case IOp::kCall: return call(op, false);
        case IOp::kCallRaise: return call(op, true);

        case IOp::kBranch: return a_.jmp(at_op_[op.imm]);
        case IOp::kBranchIf:
            load(rax, op.a);
            a_.test(rax, rax);
            return a_.jcc(Cc::ne, at_op_[op.imm]);
        case IOp::kGotoTb: return goto_tb(op);
        case IOp::kLookupAndGoto: {
            load(rsi, op.a);
            a_.mov(field(offsetof(CpuHeader, pc)), rsi);
            if (!chain_) return leave(encode_exit(BlockExit::Kind::kLookup));
            // Inline, so that each jump has an indirect branch of its own for the host's predictor.
            Label miss;
            probe_jump_cache(miss);
            a_.bind(miss);
            return leave_via_chain(encode_exit(BlockExit::Kind::kLookup));
        }
        case IOp::kExit:
            load(rax, op.a);
            a_.mov(field(offsetof(CpuHeader, pc)), rax);
            return leave(encode_exit(BlockExit::Kind::kExit, 0, ir::ExitReason(op.imm)));
        case IOp::kRaise:
            load(rax, op.a);
            a_.mov(field(offsetof(CpuHeader, pc)), rax);
            a_.mov_imm(rax, 1);
            a_.mov(field(offsetof(CpuHeader, exception_pending)), rax, false);
            load(rax, op.b);
            a_.mov(field(offsetof(CpuHeader, exception_cause)), rax);
            load(rax, op.c);
            a_.mov(field(offsetof(CpuHeader, exception_tval)), rax);
            return leave(encode_exit(BlockExit::Kind::kException));

        default: return fallback(op);
    }
}

}  // namespace

BaselineBackend::BaselineBackend(MemoryModel memory, uint64_t hot_threshold)
    : memory_(memory), hot_threshold_(hot_threshold), ops_(memory), arena_(std::make_shared<CodeArena>()) {}

BaselineBackend::~BaselineBackend() = default;

std::unique_ptr<CompiledBlock> BaselineBackend::compile(const ir::Block& block, ChainSlots* chain) {
    const std::unique_ptr<CompiledBlock> lowered = ops_.compile(block);
    const auto& ops = static_cast<const interp::InterpretedBlock&>(*lowered);
    Emitter emitter(ops, block, memory_, chain, hot_threshold_);
    const std::vector<uint8_t> code = emitter.emit();
    const bool counts = emitter.counts();
    return std::make_unique<BaselineBlock>(arena_, code, emitter.guarded(), emitter.take_steps(), counts);
}

}  // namespace mimic::baseline
