// Engine: the dispatch loop, translation on a miss, chaining, and invalidation.
#include "engine/engine.h"

#include <algorithm>
#include <chrono>
#include <cinttypes>

#include "engine/host_cycles.h"
#include "ir/passes/passes.h"
#include "ir/verifier.h"

namespace mimic {

namespace {
uint64_t now_ns() {
    return uint64_t(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count());
}
}  // namespace

Engine::Engine(Frontend& frontend, Backend& backend, CodePageTracker& pages, EngineOptions options)
    : frontend_(frontend), backend_(backend), pages_(pages), options_(options) {
    pages_.set_code_observer(this);
    options_.warm_up_threshold = std::max<uint64_t>(options_.warm_up_threshold, 1);
    if (options_.tier_up)
        compiler_ = std::make_unique<TierUpCompiler>(
            *options_.tier_up, [this](TierUpCompiler::Job& job, std::unique_ptr<CompiledBlock> code, double ms) {
                install(job, std::move(code), ms);
            });
}

Engine::~Engine() {
    compiler_.reset();  // no install may run into a cache being torn down
    pages_.set_code_observer(nullptr);
    std::lock_guard lock(cache_.lock());
    for (VcpuEngineState* v : vcpus_) v->engine = nullptr;
}

VcpuEngineState::~VcpuEngineState() {
    if (engine) engine->detach(*this);
}

void Engine::detach(VcpuEngineState& vcpu) {
    std::lock_guard lock(cache_.lock());
    dispatches_ += vcpu.dispatches;
    retries_ += vcpu.retries;
    lookups_ += vcpu.lookups;
    inline_lookups_ += vcpu.inline_lookups;
    run_cycles_ += vcpu.run_cycles;
    helper_cycles_ += vcpu.helper_cycles;
    std::erase(vcpus_, &vcpu);
    vcpu.engine = nullptr;
}

// Called when the vCPU holds no pointer to a block: forget jump-cache entries that may name
// retired blocks, and let the reclaimer know this vCPU has caught up.
void Engine::safe_point(VcpuEngineState& vcpu) {
    const uint64_t epoch = cache_.epoch();
    if (vcpu.seen_epoch.load(std::memory_order_relaxed) != epoch) {
        vcpu.jump_cache.clear();
        vcpu.seen_epoch.store(epoch, std::memory_order_seq_cst);
    }
}

// Frees the retired blocks no running vCPU can still reach. A vCPU outside run() holds none: it
// clears its jump cache on the way back in.
void Engine::reclaim_locked() {
    uint64_t safe = cache_.epoch();
    for (const VcpuEngineState* v : vcpus_)
        if (v->running.load(std::memory_order_seq_cst))
            safe = std::min(safe, v->seen_epoch.load(std::memory_order_seq_cst));
    cache_.reclaim(safe);
}

// The block's IR, optimized unless told not to (but -d op_opt shows the passes); `log` shows it
// (-d in_asm, op, op_opt) unless it is a re-translation.
ir::Block Engine::build_ir(CpuHeader* env, const TbKey& key, Log* log, bool optimize) {
    MemoryPort& memory = *env->mem_port;
    ir::Block block(frontend_.globals(), key.pc, key.flags);
    frontend_.translate(env, memory, key.pc, key.flags, {options_.max_insns_per_block, log}, block);

    if (log && log->enabled(kLogInAsm)) {
        log->printf("IN: pc=0x%" PRIx64 "\n", key.pc);
        log->write(frontend_.disassemble(env, memory, key.pc, block.guest_size()) + "\n");
    }
    if (log && log->enabled(kLogOp)) log->write("OP:\n" + block.to_string() + "\n");
    ir::PassObserver observer;
    if (log && log->enabled(kLogOpOpt)) {
        observer = [log](std::string_view pass, const ir::Block& b) {
            log->write("OP after " + std::string(pass) + ":\n" + b.to_string() + "\n");
        };
    }
    const bool optimized = optimize || observer;
    if (optimized) ir::optimize(block, observer);
    if (options_.verify_ir) ir::verify_or_abort(block, optimized ? "optimization" : "translation");
    return block;
}

std::unique_ptr<TranslationBlock> Engine::translate(CpuHeader* env, const TbKey& key) {
    Log* log = options_.log;
    MemoryPort& memory = *env->mem_port;
    // Tiered mode: the interpreter runs it first (EngineOptions::warm_up).
    ir::Block block = build_ir(env, key, log, !options_.warm_up);

    auto tb = std::make_unique<TranslationBlock>();
    tb->key = key;
    tb->guest_size = block.guest_size();
    tb->guest_insns = block.guest_insn_count();
    tb->first_page = key.phys_pc >> kGuestPageBits;
    tb->last_page = tb->first_page;
    const uint64_t last_byte = key.pc + (block.guest_size() ? block.guest_size() - 1 : 0);
    if ((last_byte >> kGuestPageBits) != (key.pc >> kGuestPageBits)) {
        // An instruction straddles into the next virtual page: its bytes were fetched, so it maps.
        uint64_t phys = 0;
        memory.code_address(env, last_byte, &phys);
        tb->last_page = phys >> kGuestPageBits;
    }
    tb->id = next_id_.fetch_add(1, std::memory_order_relaxed);
    set_lower_code(*tb, backend_, backend_.compile(block, options_.chaining ? &tb->chain : nullptr));
    translations_.fetch_add(1, std::memory_order_relaxed);
    return tb;
}

// Makes `code`, compiled by `tier`, the block's lower-tier code and what runs (unless upper-tier
// code of its own does), and shows it to -d out_asm and the perf map.
void Engine::set_lower_code(TranslationBlock& tb, Backend& tier, std::unique_ptr<CompiledBlock> code) {
    if (tb.code) tb.dropped.push_back(std::move(tb.code));  // a vCPU may still be running it
    tb.code = std::move(code);
    tb.lower.store(tb.code.get(), std::memory_order_release);
    if (!tb.hot_code) tb.activate(tb.code.get());
    code_bytes_.fetch_add(tb.code->host_size(), std::memory_order_relaxed);
    Log* log = options_.log;
    if (PerfMap* map = log ? log->perf_map() : nullptr)
        map->add(tb.code->direct_entry(), tb.code->host_size(), tier.name(), tb.key.pc);
    if (log && log->enabled(kLogOutAsm))
        log->printf("OUT: [%s] pc=0x%" PRIx64 " %zu bytes\n%s\n", std::string(tier.name()).c_str(), tb.key.pc,
                    tb.code->host_size(), tb.code->dump().c_str());
}

// A block that spills onto a second virtual page is only good while that page maps to the same
// physical page as when it was translated.
bool Engine::second_page_matches(CpuHeader* env, const TranslationBlock& tb) {
    const uint64_t last_byte = tb.key.pc + tb.guest_size - 1;
    if ((last_byte >> kGuestPageBits) == (tb.key.pc >> kGuestPageBits)) return true;
    uint64_t phys = 0;
    if (!env->mem_port->code_address(env, last_byte, &phys)) {
        env->exception_pending = 0;  // the block's own fetch will raise it, at the right pc
        return false;
    }
    return (phys >> kGuestPageBits) == tb.last_page;
}

TranslationBlock* Engine::find_or_translate(CpuHeader* env, VcpuEngineState& vcpu) {
    const uint32_t flags = frontend_.tb_flags(env);
    if (TranslationBlock* tb = vcpu.jump_cache.find(env->pc, flags)) return tb;

    uint64_t phys_pc = 0;
    if (!env->mem_port->code_address(env, env->pc, &phys_pc)) return nullptr;
    const TbKey key{env->pc, phys_pc, flags};
    std::lock_guard lock(cache_.lock());
    TranslationBlock* tb = cache_.find(key);
    if (tb && !second_page_matches(env, *tb)) {
        cache_.invalidate_block(tb);
        tb = nullptr;
    }
    if (!tb) {
        // Marked before the code is read: a store from another vCPU meanwhile then takes the slow
        // path, which waits for this lock and invalidates the block about to be inserted.
        pages_.set_code_page(key.phys_pc >> kGuestPageBits, true);
        auto fresh = translate(env, key);
        tb = fresh.get();
        cache_.insert(std::move(fresh));
        for (uint64_t p : {tb->first_page, tb->last_page}) pages_.set_code_page(p, true);
    }
    vcpu.jump_cache.insert(tb);
    return tb;
}

BlockExit Engine::run(CpuHeader* env, VcpuEngineState& vcpu) {
    if (vcpu.engine != this) {
        std::lock_guard lock(cache_.lock());
        vcpus_.push_back(&vcpu);
        vcpu.engine = this;
    }
    vcpu.running.store(true, std::memory_order_seq_cst);
    // Compiled code probes the jump cache without the cache lock: none of its blocks can be freed
    // while this vCPU is inside run() and has not passed a safe point since it filled the cache.
    env->jump_cache = vcpu.jump_cache.entries();
    struct Leave {
        VcpuEngineState& v;
        CpuHeader* env;
        uint64_t start;  // host cycles, with -d stats
        ~Leave() {
            env->jump_cache = nullptr;
            if (start) {
                v.run_cycles += host_cycles() - start;
                v.helper_cycles = env->helper_cycles;
                v.inline_lookups = env->inline_lookups;
            }
            v.running.store(false, std::memory_order_seq_cst);
        }
    } leave{vcpu, env, options_.log && options_.log->enabled(kLogStats) ? host_cycles() : 0};

    Log* log = options_.log;
    const bool trace = log && log->enabled(kLogExec);
    const bool dump_cpu = log && log->enabled(kLogCpu);
    TranslationBlock* tb = nullptr;
    bool own_tier = false;  // run tb's code of the tier it was translated for, after a kRetry
    for (;;) {
        if (env->exit_request.load(std::memory_order_relaxed))
            return {BlockExit::Kind::kExit, 0, ir::ExitReason::kYield};
        if (!tb) {
            safe_point(vcpu);
            ++vcpu.lookups;
            tb = find_or_translate(env, vcpu);
            if (!tb) return {BlockExit::Kind::kException};
        }
        if (trace) log->printf("Trace: pc=0x%" PRIx64 " [%u insns]\n", tb->key.pc, tb->guest_insns);
        if (dump_cpu) log->write(frontend_.dump_state(env));

        ++vcpu.dispatches;
        env->exit_chain = nullptr;
        const CompiledBlock* code = std::exchange(own_tier, false) ? tb->lower.load(std::memory_order_acquire)
                                                                   : tb->active.load(std::memory_order_acquire);
        const BlockExit exit = code->run(env);
        if (!code->counts_runs()) {
            // A heuristic for tier-up: racing vCPUs may lose an increment, which costs nothing,
            // while a locked add on every block would.
            const uint64_t count = tb->exec_count.load(std::memory_order_relaxed) + 1;
            tb->exec_count.store(count, std::memory_order_relaxed);
            counted(env, tb, count);
        }

        switch (exit.kind) {
            case BlockExit::Kind::kHot: {
                // Possibly after a run of chained blocks: the one that asked is exit_chain's.
                TranslationBlock* hot = TranslationBlock::from_chain(env->exit_chain);
                counted(env, hot, hot->exec_count.load(std::memory_order_relaxed));
                tb = hot->valid.load(std::memory_order_relaxed) ? hot : nullptr;
                continue;
            }
            case BlockExit::Kind::kGotoTb: {
                // After a run of chained compiled blocks, the exit is the last one's.
                if (env->exit_chain) tb = TranslationBlock::from_chain(env->exit_chain);
                TranslationBlock* next = tb->next[exit.slot].load(std::memory_order_acquire);
                // A slot's target pc is a constant of the block, and a chain only ever leads to the
                // block for that pc: only validity needs checking.
                if (next && next->valid.load(std::memory_order_relaxed)) {
                    tb = next;
                    continue;
                }
                ++vcpu.lookups;
                TranslationBlock* target = find_or_translate(env, vcpu);
                if (!target) return {BlockExit::Kind::kException};
                // System mode: only within the source's virtual page (engine_links(), which compiled
                // code knows too), and never to a block that spills onto a second page, whose mapping
                // the chain cannot check (QEMU's rule).
                static_assert(engine_links(MemoryModel::kSoftTlb, 0, kGuestPageSize - 1) &&
                              !engine_links(MemoryModel::kSoftTlb, 0, kGuestPageSize));
                const bool within_page =
                    engine_links(MemoryModel::kSoftTlb, tb->key.pc, target->key.pc) &&
                    engine_links(MemoryModel::kSoftTlb, tb->key.pc, target->key.pc + target->guest_size - 1);
                if (options_.chaining && target->key.flags == tb->key.flags &&
                    (within_page || !options_.chain_within_page_only)) {
                    std::lock_guard lock(cache_.lock());
                    cache_.link(tb, exit.slot, target);
                }
                tb = target;
                continue;
            }
            case BlockExit::Kind::kRetry:
                ++vcpu.retries;
                tb = nullptr;
                own_tier = true;
                continue;
            case BlockExit::Kind::kLookup:
                if (options_.indirect_regions && compiler_)
                    note_indirect(env->exit_chain ? TranslationBlock::from_chain(env->exit_chain) : tb, env->pc);
                tb = nullptr;
                continue;
            case BlockExit::Kind::kExit:
            case BlockExit::Kind::kException: return exit;
        }
    }
}

// Drops the blocks made from bytes [start, end) of the page (offsets within it); the page stays a
// code page while other blocks come from it.
void Engine::invalidate_page_locked(uint64_t page_index, uint64_t start, uint64_t end) {
    invalidated_.fetch_add(cache_.invalidate_page(page_index, start, end), std::memory_order_relaxed);
    for (uint64_t p : {page_index - 1, page_index, page_index + 1})
        if (!cache_.page_has_code(p)) pages_.set_code_page(p, false);
    reclaim_locked();
}

void Engine::code_written(uint64_t addr, uint64_t len) {
    if (len == 0) return;
    std::lock_guard lock(cache_.lock());
    const uint64_t page = addr >> kGuestPageBits;  // the observer splits writes by page
    const uint64_t start = addr & (kGuestPageSize - 1);
    invalidate_page_locked(page, start, std::min(start + len, kGuestPageSize));
}

void Engine::invalidate_range(uint64_t addr, uint64_t size) {
    if (size == 0) return;
    std::lock_guard lock(cache_.lock());
    const uint64_t last = (addr + size - 1) >> kGuestPageBits;
    for (uint64_t p = addr >> kGuestPageBits; p <= last; ++p)
        if (cache_.page_has_code(p)) invalidate_page_locked(p);
}

const TranslationBlock* Engine::find_block(const TbKey& key) {
    std::lock_guard lock(cache_.lock());
    return cache_.find(key);
}

// The tier-up policy's look at a block's run count: the move to the warm-up tier, the time of the
// run at half the threshold (how hot it is, for the compiler's queue), and the region compile from
// the threshold on.
void Engine::counted(CpuHeader* env, TranslationBlock* tb, uint64_t count) {
    // Every threshold runs: a move can fail (system mode: the block's page is not mapped as it
    // was, e.g. after its ecall trapped) and is tried again later. The flag first: LLVM code is
    // counted here on every dispatch, and needs no division.
    if (options_.warm_up && !tb->warmed_up.load(std::memory_order_relaxed) && count % options_.warm_up_threshold == 0)
        warm_up(env, tb);
    if (!compiler_) return;
    if (count == options_.tier_up_threshold / 2) tb->warm_ns.store(now_ns(), std::memory_order_relaxed);
    if (count >= options_.tier_up_threshold && !tb->queued.load(std::memory_order_relaxed)) tier_up(env, tb);
}

namespace {

// Re-translation looks up code addresses, which record fetch faults in env: the block that just
// ran may have left an exception there for the guest.
class KeepException {
public:
    explicit KeepException(CpuHeader* env)
        : env_(env), pending_(env->exception_pending), cause_(env->exception_cause), tval_(env->exception_tval) {}
    ~KeepException() {
        env_->exception_pending = pending_;
        env_->exception_cause = cause_;
        env_->exception_tval = tval_;
    }
    KeepException(const KeepException&) = delete;
    KeepException& operator=(const KeepException&) = delete;

private:
    CpuHeader* env_;
    uint32_t pending_;
    uint64_t cause_, tval_;
};

}  // namespace

// A block's IR made again, for another tier: rather than kept from the first translation, since
// holding every block's IR costs short programs more (page faults) than this costs the blocks
// that move on. The bytes cannot have changed (a write would have invalidated the block), but in
// system mode the mapping may have since the block ran: none if its pc no longer maps to its
// physical address, or if its fetch now fails partway.
std::optional<ir::Block> Engine::retranslate(CpuHeader* env, const TranslationBlock& tb) {
    uint64_t phys = 0;
    if (!env->mem_port->code_address(env, tb.key.pc, &phys) || phys != tb.key.phys_pc) return std::nullopt;
    ir::Block ir = build_ir(env, tb.key, nullptr);
    if (ir.guest_size() != tb.guest_size) return std::nullopt;
    return ir;
}

// Compiles a warm block for the warm-up tier, on the vCPU, and runs it there from now on. Chained
// sources jump to it directly once their slots name its entry.
void Engine::warm_up(CpuHeader* env, TranslationBlock* tb) {
    KeepException keep(env);
    std::lock_guard lock(cache_.lock());
    if (tb->warmed_up.load(std::memory_order_relaxed) || !tb->valid.load(std::memory_order_relaxed)) return;
    std::optional<ir::Block> ir = retranslate(env, *tb);
    if (!ir) return;  // interpreted until the next try
    tb->warmed_up.store(true, std::memory_order_relaxed);
    set_lower_code(*tb, *options_.warm_up, options_.warm_up->compile(*ir, options_.chaining ? &tb->chain : nullptr));
    for (auto [src, slot] : tb->incoming) cache_.link_direct(src, slot, tb);
    ++warmed_up_;
}

// Hands a region around a hot block to the background compiler; the vCPU goes on running the
// blocks meanwhile.
void Engine::tier_up(CpuHeader* env, TranslationBlock* tb) {
    if (tb->queued.exchange(true)) return;
    TierUpCompiler::Job job;
    {
        KeepException keep(env);
        std::lock_guard lock(cache_.lock());
        if (tb->valid.load(std::memory_order_relaxed)) job = form_region_locked(env, tb);
        if (!tb->valid.load(std::memory_order_relaxed)) return;
    }
    if (job.blocks.empty()) {  // the head's code no longer maps where it did: try again later
        tb->exec_count.store(0, std::memory_order_relaxed);
        tb->queued.store(false, std::memory_order_relaxed);
        return;
    }
    const uint64_t warm = tb->warm_ns.load(std::memory_order_relaxed);
    // No warm stamp (its count skipped the half-threshold, e.g. a racing store of a covered
    // member's count): unknown heat, so it queues behind the measured jobs.
    job.heat_ns = warm ? now_ns() - warm : UINT64_MAX;
    compiler_->enqueue(std::move(job));
}

// The region is the part of the chain graph hot code has taken: the blocks reached from the head
// through chained direct exits, breadth first, skipping cold ones (side exits taken rarely). A
// chain only links blocks with the same flags and, in system mode, on the same virtual page, so a
// region's internal jumps need no checks a chain would not make.
TierUpCompiler::Job Engine::form_region_locked(CpuHeader* env, TranslationBlock* head) {
    const uint64_t warm = options_.tier_up_threshold / 10;
    TierUpCompiler::Job job;
    std::vector<TranslationBlock*> blocks{head};
    std::vector<TranslationBlock*> head_targets;  // the head's indirect-jump targets (user mode)
    if (options_.indirect_regions && options_.chaining)
        for (auto& target : head->indirect)
            if (uint64_t pc = target.load(std::memory_order_relaxed))
                head_targets.push_back(cache_.find({pc, pc, head->key.flags}));
    uint64_t insns = head->guest_insns;
    for (size_t i = 0; i < blocks.size(); ++i) {
        std::vector<TranslationBlock*> successors = i == 0 ? head_targets : std::vector<TranslationBlock*>{};
        for (auto& next : blocks[i]->next) successors.push_back(next.load(std::memory_order_relaxed));
        for (TranslationBlock* t : successors) {
            if (blocks.size() >= options_.max_region_blocks) break;
            // A block with upper-tier code of its own, or queued for it (as a head, or in another
            // region being compiled), is left to that code: the exit chains to it instead of
            // compiling it twice.
            if (!t || !t->valid.load(std::memory_order_relaxed) ||
                t->exec_count.load(std::memory_order_relaxed) < warm || t->queued.load(std::memory_order_relaxed))
                continue;
            if (insns + t->guest_insns > options_.max_region_insns ||
                std::any_of(blocks.begin(), blocks.end(), [t](auto* b) { return b->key.pc == t->key.pc; }))
                continue;
            blocks.push_back(t);
            insns += t->guest_insns;
        }
    }
    // A block that cannot be translated again as it was is left out (the head: no region this time).
    size_t ir_ops = 0;
    for (TranslationBlock* b : blocks) {
        std::optional<ir::Block> again = retranslate(env, *b);
        if (!again) {
            if (b == head) return {};
            continue;
        }
        auto ir = std::make_shared<const ir::Block>(std::move(*again));
        if (b != head && ir_ops + ir->insts().size() > options_.max_region_ir_ops) continue;
        ir_ops += ir->insts().size();
        // Without chaining (-d nochain) the unit gets no chain slots: every exit, even a jump to
        // another member or one the jump cache could resolve, returns to the dispatcher.
        job.blocks.push_back({b->key, b->id, std::move(ir), options_.chaining ? &b->chain : nullptr, {}});
        if (b != head && !b->queued.exchange(true)) job.covered.emplace_back(b->key, b->id);
    }
    for (TranslationBlock* t : head_targets)
        if (t && std::any_of(job.blocks.begin(), job.blocks.end(), [t](auto& m) { return m.key.pc == t->key.pc; }))
            job.blocks.front().indirect_inside.push_back(t->key.pc);
    return job;
}

// On the compiler thread: any block of the region may have been invalidated (and even replaced by
// a new one for the same key) since it was queued; the ids tell.
void Engine::install(TierUpCompiler::Job& job, std::unique_ptr<CompiledBlock> code, double compile_ms) {
    std::lock_guard lock(cache_.lock());
    compile_ms_.push_back(compile_ms);
    auto find = [this](const TbKey& key, uint64_t id) {
        TranslationBlock* tb = cache_.find(key);
        return tb && tb->id == id && tb->valid.load(std::memory_order_relaxed) ? tb : nullptr;
    };
    // Covered members may head regions of their own from now on: a hot one the dispatcher still
    // enters is entered from outside this region (a return, another path). Its heat is measured
    // afresh over the next half-threshold of such entries: the time it took to get warm long ago
    // would put it behind every newer job, while it runs interpreted.
    const uint64_t half = options_.tier_up_threshold / 2;
    for (auto& [key, id] : job.covered)
        if (TranslationBlock* tb = find(key, id)) {
            tb->exec_count.store(half ? half - 1 : 0, std::memory_order_relaxed);
            tb->warm_ns.store(0, std::memory_order_relaxed);
            tb->queued.store(false, std::memory_order_relaxed);
        }
    TranslationBlock* head = find(job.blocks.front().key, job.blocks.front().id);
    std::vector<TranslationBlock*> members;
    for (size_t i = 1; i < job.blocks.size() && head; ++i)
        if (TranslationBlock* tb = find(job.blocks[i].key, job.blocks[i].id))
            members.push_back(tb);
        else
            head = nullptr;
    if (!code || !head) return;
    code_bytes_.fetch_add(code->host_size(), std::memory_order_relaxed);
    cache_.install_region(head, members, std::move(code));
    ++tiered_up_;
    region_blocks_ += job.blocks.size();
    if (PerfMap* map = options_.log ? options_.log->perf_map() : nullptr)
        map->add(head->hot_code->direct_entry(), head->hot_code->host_size(), options_.tier_up->name(), head->key.pc,
                 job.blocks.size());
    if (Log* log = options_.log; log && log->enabled(kLogOutAsm))
        log->printf("OUT: [%s] pc=0x%" PRIx64 " %zu bytes (tier-up after %" PRIu64 " runs, %zu blocks)\n%s\n",
                    std::string(options_.tier_up->name()).c_str(), head->key.pc, head->hot_code->host_size(),
                    options_.tier_up_threshold, job.blocks.size(), head->hot_code->dump().c_str());
}

// Racy between vCPUs (a lost or duplicated entry only changes which regions form).
void Engine::note_indirect(TranslationBlock* source, uint64_t target) {
    for (auto& slot : source->indirect) {
        const uint64_t seen = slot.load(std::memory_order_relaxed);
        if (seen == target) return;
        if (seen == 0) {
            slot.store(target, std::memory_order_relaxed);
            return;
        }
    }
}

void Engine::drain_tier_up() {
    if (compiler_) compiler_->drain();
}

EngineStats Engine::stats() {
    std::lock_guard lock(cache_.lock());
    EngineStats s;
    s.translations = translations_.load();
    s.invalidated = invalidated_.load();
    s.live_blocks = cache_.live_blocks();
    s.retired_blocks = cache_.retired_blocks();
    s.warmed_up = warmed_up_;
    s.tiered_up = tiered_up_;
    s.region_blocks = region_blocks_;
    s.regions_dropped = cache_.regions_dropped();
    s.code_bytes = code_bytes_.load();
    s.inline_lookups = inline_lookups_.load();
    s.run_cycles = run_cycles_.load();
    s.helper_cycles = helper_cycles_.load();
    s.compile_ms = compile_ms_;
    s.dispatches = dispatches_.load();
    s.retries = retries_.load();
    s.lookups = lookups_.load();
    for (const VcpuEngineState* v : vcpus_) {  // racy reads of live counters: statistics only
        s.dispatches += v->dispatches;
        s.retries += v->retries;
        s.lookups += v->lookups;
        s.inline_lookups += v->inline_lookups;
        s.run_cycles += v->run_cycles;
        s.helper_cycles += v->helper_cycles;
    }
    return s;
}

void Engine::log_stats(double run_seconds) {
    Log* log = options_.log;
    if (!log || !log->enabled(kLogStats)) return;
    EngineStats s = stats();
    std::sort(s.compile_ms.begin(), s.compile_ms.end());
    auto quantile = [&](double q) {
        return s.compile_ms.empty() ? 0.0 : s.compile_ms[size_t(q * double(s.compile_ms.size() - 1))];
    };
    log->printf("mimic-stats: tier=%s blocks=%" PRIu64 " blocks_warm=%" PRIu64 " blocks_%s=%" PRIu64
                " region_blocks=%" PRIu64 " regions_dropped=%" PRIu64
                " compile_units=%zu compile_ms_median=%.3f "
                "compile_ms_p99=%.3f code_bytes=%zu invalidated=%" PRIu64 " dispatches=%" PRIu64
                " dispatcher_exits=%" PRIu64 " inline_lookups=%" PRIu64 " retries=%" PRIu64
                " helper_share=%.3f run_seconds=%.3f\n",
                std::string(backend_.name()).c_str(), s.translations, s.warmed_up,
                options_.tier_up ? std::string(options_.tier_up->name()).c_str() : "upper", s.tiered_up,
                s.region_blocks, s.regions_dropped, s.compile_ms.size(), quantile(0.5), quantile(0.99), s.code_bytes,
                s.invalidated, s.dispatches, s.lookups, s.inline_lookups, s.retries,
                s.run_cycles ? double(s.helper_cycles) / double(s.run_cycles) : 0.0, run_seconds);
}

}  // namespace mimic
