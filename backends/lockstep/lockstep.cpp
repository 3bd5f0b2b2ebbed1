// LockstepBackend: each block compiled by both tiers; each run of it runs both from the same state,
// the reference's memory effects journaled and undone, and the results compared.
#include "backends/lockstep/lockstep.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "backends/lockstep/journal.h"
#include "backends/lockstep/replay.h"

namespace mimic::lockstep {
namespace {

// The guest state a block may change: its exit, the pc, the exception fields and every global.
// (State outside the global table, such as system mode's privileged registers, is not covered.)
struct State {
    BlockExit exit{BlockExit::Kind::kLookup};
    uint64_t pc = 0;
    uint64_t exception_pending = 0, exception_cause = 0, exception_tval = 0;
    std::vector<uint64_t> globals;
};

uint64_t read_global(const CpuHeader* env, const ir::GlobalInfo& g) {
    const auto* p = reinterpret_cast<const uint8_t*>(env) + g.env_offset;
    if (g.type == ir::Type::kI32) {
        uint32_t v;
        std::memcpy(&v, p, 4);
        return v;
    }
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}

void write_global(CpuHeader* env, const ir::GlobalInfo& g, uint64_t v) {
    auto* p = reinterpret_cast<uint8_t*>(env) + g.env_offset;
    if (g.type == ir::Type::kI32) {
        const uint32_t w = uint32_t(v);
        std::memcpy(p, &w, 4);
    } else {
        std::memcpy(p, &v, 8);
    }
}

State capture(const CpuHeader* env, ir::GlobalTable globals) {
    State s;
    s.pc = env->pc;
    s.exception_pending = env->exception_pending;
    s.exception_cause = env->exception_cause;
    s.exception_tval = env->exception_tval;
    s.globals.reserve(globals.size());
    for (const ir::GlobalInfo& g : globals) s.globals.push_back(read_global(env, g));
    return s;
}

void restore(CpuHeader* env, ir::GlobalTable globals, const State& s) {
    env->pc = s.pc;
    env->exception_pending = uint32_t(s.exception_pending);
    env->exception_cause = s.exception_cause;
    env->exception_tval = s.exception_tval;
    for (size_t i = 0; i < globals.size(); ++i) write_global(env, globals[i], s.globals[i]);
}

std::string hex(uint64_t v, unsigned bytes = 0) {
    char text[24];
    std::snprintf(text, sizeof text, "0x%0*" PRIx64, int(2 * bytes), v);
    return text;
}

std::string exit_text(BlockExit e) {
    switch (e.kind) {
        case BlockExit::Kind::kGotoTb: return "goto_tb " + std::to_string(e.slot);
        case BlockExit::Kind::kLookup: return "lookup";
        case BlockExit::Kind::kExit: return "exit " + std::string(ir::exit_reason_name(e.reason));
        case BlockExit::Kind::kException: return "exception";
        case BlockExit::Kind::kHot: return "hot";
        case BlockExit::Kind::kRetry: return "retry";
    }
    return "?";
}

bool same_exit(BlockExit a, BlockExit b) {
    if (a.kind != b.kind) return false;
    if (a.kind == BlockExit::Kind::kGotoTb) return a.slot == b.slot;
    if (a.kind == BlockExit::Kind::kExit) return a.reason == b.reason;
    return true;
}

// Asks both tiers to come back after one block. A tier may run a block that jumps to itself as a
// loop inside its code, leaving only when the vCPU is asked to exit (the LLVM tier does so in
// units with chain slots, which lockstep does not give, but need not be relied on). The request
// is a bit of lockstep's own, so that one another thread makes meanwhile is kept.
class OneBlockOnly {
public:
    static constexpr uint32_t kRequest = 0x80000000u;
    explicit OneBlockOnly(CpuHeader* env) : env_(env) { env->exit_request.fetch_or(kRequest); }
    ~OneBlockOnly() { env_->exit_request.fetch_and(~kRequest); }
    OneBlockOnly(const OneBlockOnly&) = delete;
    OneBlockOnly& operator=(const OneBlockOnly&) = delete;

private:
    CpuHeader* env_;
};

[[noreturn]] void report_and_exit(const DivergenceReport& report) {
    std::fputs(format_report(report).c_str(), stderr);
    std::fflush(stderr);
    std::_Exit(1);  // other guest threads may be running: no destructors (the log is unbuffered)
}

}  // namespace

class LockstepBlock final : public CompiledBlock {
public:
    LockstepBlock(LockstepBackend& owner, const ir::Block& block, std::unique_ptr<CompiledBlock> reference,
                  std::unique_ptr<CompiledBlock> subject)
        : owner_(owner),
          globals_(block.globals()),
          pc_(block.guest_pc()),
          reference_(std::move(reference)),
          subject_(std::move(subject)) {}

    BlockExit run(CpuHeader* env) const override;
    size_t host_size() const override { return reference_->host_size() + subject_->host_size(); }
    std::string dump() const override {
        return "reference (" + std::string(owner_.reference_.name()) + "):\n" + reference_->dump() + "\nsubject (" +
               std::string(owner_.subject_.name()) + "):\n" + subject_->dump();
    }

private:
    std::vector<Difference> compare(const State& reference, const State& subject, const JournalPort& journal) const;
    std::string register_name(size_t index) const {
        const auto& name = owner_.options_.register_name;
        return name ? name(index, globals_[index]) : std::string(globals_[index].name);
    }

    LockstepBackend& owner_;
    ir::GlobalTable globals_;
    uint64_t pc_;
    std::unique_ptr<CompiledBlock> reference_;
    std::unique_ptr<CompiledBlock> subject_;
};

BlockExit LockstepBlock::run(CpuHeader* env) const {
    std::lock_guard lock(owner_.run_mutex_);
    owner_.checked_.fetch_add(1, std::memory_order_relaxed);
    OneBlockOnly one(env);
    const State entry = capture(env, globals_);
    ReplayScope replay;

    // The reference first, journaled; then everything it did is undone.
    JournalPort journal(*env->mem_port, env->mem_base, env->mem_limit);
    BlockExit reference_exit{BlockExit::Kind::kLookup};
    {
        SlowPathRedirect redirect(env, journal);
        reference_exit = reference_->run(env);
    }
    journal.finish();
    State reference = capture(env, globals_);
    reference.exit = reference_exit;
    journal.undo();
    restore(env, globals_, entry);

    // The subject as it would run alone: its effects stand.
    replay.start_replay();
    const BlockExit exit = subject_->run(env);
    State subject = capture(env, globals_);
    subject.exit = exit;

    std::vector<Difference> differences = compare(reference, subject, journal);
    if (!differences.empty()) {
        DivergenceReport report;
        report.block_pc = pc_;
        report.reference_tier = owner_.reference_.name();
        report.subject_tier = owner_.subject_.name();
        report.differences = std::move(differences);
        for (size_t i = 0; i < globals_.size(); ++i)
            if (entry.globals[i]) report.entry_registers.emplace_back(globals_[i].name, entry.globals[i]);
        if (owner_.options_.on_divergence)
            owner_.options_.on_divergence(report);
        else
            report_and_exit(report);
    }
    return exit;
}

std::vector<Difference> LockstepBlock::compare(const State& reference, const State& subject,
                                               const JournalPort& journal) const {
    std::vector<Difference> out;
    auto check = [&](std::string what, uint64_t a, uint64_t b) {
        if (a != b) out.push_back({std::move(what), hex(a), hex(b)});
    };
    if (!same_exit(reference.exit, subject.exit))
        out.push_back({"exit", exit_text(reference.exit), exit_text(subject.exit)});
    check("pc", reference.pc, subject.pc);
    check("exception_pending", reference.exception_pending, subject.exception_pending);
    check("exception_cause", reference.exception_cause, subject.exception_cause);
    check("exception_tval", reference.exception_tval, subject.exception_tval);
    for (size_t i = 0; i < globals_.size(); ++i)
        if (reference.globals[i] != subject.globals[i])
            out.push_back({register_name(i), hex(reference.globals[i]), hex(subject.globals[i])});
    // Memory: every location the reference wrote must now hold what it left there. (Where else the
    // subject wrote is not known: its stores took its own fast paths, unjournaled.)
    const auto& writes = journal.writes();
    for (size_t i = 0; i < writes.size(); ++i) {
        const JournalPort::Write& w = writes[i];
        const uint64_t now = read_bytes(w.host, w.size);
        const bool seen = std::any_of(writes.begin(), writes.begin() + i, [&](const JournalPort::Write& e) {
            return e.addr == w.addr && e.size == w.size;
        });
        if (now != w.after && !seen)
            out.push_back({"memory at " + hex(w.addr) + " (" + std::to_string(w.size) + " bytes)", hex(w.after, w.size),
                           hex(now, w.size)});
    }
    return out;
}

LockstepBackend::LockstepBackend(Backend& reference, Backend& subject, LockstepOptions options)
    : reference_(reference), subject_(subject), options_(std::move(options)) {}

std::unique_ptr<CompiledBlock> LockstepBackend::compile(const ir::Block& block) {
    // Both tiers compile the same IR, with replayed helpers' calls pointed at their stand-ins.
    std::optional<ir::Block> replaying;
    const auto& names = options_.replayed_helpers;
    for (size_t i = 0; i < block.insts().size() && !names.empty(); ++i) {
        const ir::Inst& in = block.insts()[i];
        if (in.op != ir::Opcode::kCall || block.is_erased(i)) continue;
        if (std::find(names.begin(), names.end(), in.helper()->name) == names.end()) continue;
        const ir::HelperInfo* stand_in = replay_stand_in(in.helper());
        if (stand_in == in.helper()) continue;
        if (!replaying) replaying.emplace(block);
        replaying->insts()[i].aux = reinterpret_cast<uint64_t>(stand_in);
    }
    const ir::Block& source = replaying ? *replaying : block;
    return std::make_unique<LockstepBlock>(*this, source, reference_.compile(source), subject_.compile(source));
}

std::string format_report(const DivergenceReport& r) {
    std::string out;
    for (size_t i = 0; i < r.differences.size(); ++i) {
        const Difference& d = r.differences[i];
        out += i == 0 ? "mimic: lockstep divergence in block " + hex(r.block_pc) + ": " : std::string("mimic:   also ");
        out += d.what + ": " + r.reference_tier + "=" + d.reference + " " + r.subject_tier + "=" + d.subject + "\n";
    }
    constexpr size_t kPerLine = 6;
    for (size_t i = 0; i < r.entry_registers.size(); ++i) {
        out += i == 0 ? "mimic:   on entry:" : i % kPerLine == 0 ? "\nmimic:            " : "";
        out += " " + r.entry_registers[i].first + "=" + hex(r.entry_registers[i].second);
    }
    if (!r.entry_registers.empty()) out += " (others zero)\n";
    return out;
}

}  // namespace mimic::lockstep
