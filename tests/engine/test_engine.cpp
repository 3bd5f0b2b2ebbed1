// The engine: chaining and unchaining, execution counts, invalidation, and several vCPUs (and
// several machines) at once.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/frontends/riscv/encode.h"
#include "tests/frontends/riscv/harness.h"

using namespace mimic;
using namespace mimic::test;
using namespace mimic::test::rv;

namespace {
// x1 = n; loop: x1 -= 1; x2 += 1; bne x1, x0, loop; ebreak
constexpr uint32_t kLoopBody[] = {addi(1, 1, -1), addi(2, 2, 1), b_type(-8, 0, 1, 1)};
constexpr uint64_t kLoop = RiscvMachine::kCode;

// head: x1 -= 1; j tail. tail: x2 += 1; bne x1, x0, head; ebreak, 1000 rounds. Returns the two
// blocks, chained to each other.
std::pair<const TranslationBlock*, const TranslationBlock*> run_two_block_loop(RiscvMachine& m) {
    m.cpu.x[1] = 1000;
    m.run({addi(1, 1, -1), j_type(4, 0), addi(2, 2, 1), b_type(-12, 0, 1, 1)});
    REQUIRE(m.stopped_at_ebreak());
    REQUIRE(m.cpu.x[2] == 1000);
    const TranslationBlock* head = m.engine().find_block({kLoop, kLoop, 0});
    const TranslationBlock* tail = m.engine().find_block({kLoop + 8, kLoop + 8, 0});
    REQUIRE(head);
    REQUIRE(tail);
    REQUIRE(head->next[0].load() == tail);
    REQUIRE(tail->next[1].load() == head);
    return {head, tail};
}

void run_loop(RiscvMachine& m, uint64_t n) {
    m.cpu.x[1] = n;
    m.cpu.x[2] = 0;
    m.run({kLoopBody[0], kLoopBody[1], kLoopBody[2]});
    REQUIRE(m.stopped_at_ebreak());
    REQUIRE(m.cpu.x[2] == n);
}
}  // namespace

TEST_CASE("a loop is translated once, chained to itself, and counted", "[engine]") {
    RiscvMachine m;
    run_loop(m, 1000);
    CHECK(m.engine().stats().translations == 2);  // the loop body, and the ebreak block
    const TranslationBlock* body = m.engine().find_block({kLoop, kLoop, 0});
    REQUIRE(body);
    CHECK(body->exec_count.load() == 1000);
    CHECK(body->next[1].load() == body);     // the taken edge (slot 1) of bne chains back to the loop
    CHECK(body->next[0].load() != nullptr);  // the fall-through edge chains to the ebreak block
}

TEST_CASE("compiled code returns an empty slot's exit to the engine to be chained", "[engine]") {
    // The loop's jump back to head finds head in the jump cache from its first run on: an exit
    // that resolved itself there would never reach the engine, and never be chained (the helper
    // checks both chains). Two blocks: the LLVM tier turns a block's jump to itself into a loop
    // inside its unit.
    for (Tier tier : {Tier::kBaseline, Tier::kLlvm}) {
        INFO("tier " << (tier == Tier::kLlvm ? "llvm" : "baseline"));
        RiscvMachine m(256, true, tier);
        run_two_block_loop(m);
    }
}

TEST_CASE("tiered, a block runs in the interpreter until it is warm, then on the baseline tier", "[engine]") {
    // loop: addi x2,x2,1; ecall; bne x2,x3,loop; ebreak. Every round stops at the ecall: the
    // loop's head block has run once more. (No LLVM code in the 8 rounds, whose regions would
    // run the head without the dispatcher.)
    RiscvMachine m(256, true, Tier::kTiered, /*warm_up_threshold=*/5, /*tier_up_threshold=*/1000);
    m.cpu.x[3] = 8;
    m.run({addi(2, 2, 1), 0x00000073, b_type(-8, 3, 2, 1)});
    const TranslationBlock* head = m.engine().find_block({kLoop, kLoop, 0});
    REQUIRE(head);
    for (uint64_t round = 1; round <= 8; ++round) {
        REQUIRE(m.exit.reason == ir::ExitReason::kSyscall);
        INFO("round " << round);
        // Host code, not the interpreter's (which has no direct entry), from the 5th run on.
        CHECK((head->lower.load()->direct_entry() != nullptr) == (round >= 5));
        m.resume();
    }
    REQUIRE(m.stopped_at_ebreak());
    CHECK(head->code->counts_runs());
    CHECK(m.engine().stats().warmed_up == 2);  // and the tail (bne), not the ebreak block
}

TEST_CASE("a block that moves to the baseline tier is entered directly by the blocks chained to it", "[engine]") {
    // head's jump to tail is chained while tail is still interpreted (no direct entry); tail's
    // move must give head's slot its entry. (No LLVM code, whose install would do it too.)
    RiscvMachine m(256, true, Tier::kTiered, RiscvMachine::kWarmUpThreshold, /*tier_up_threshold=*/1'000'000);
    auto [head, tail] = run_two_block_loop(m);
    CHECK(head->chain[0].load() == tail->active.load()->direct_entry());
    CHECK(head->chain[0].load() != nullptr);
    CHECK(tail->chain[1].load() == head->active.load()->direct_entry());
}

TEST_CASE("with chaining off, blocks are found by lookup every time", "[engine]") {
    RiscvMachine m(256, false);
    run_loop(m, 100);
    const TranslationBlock* body = m.engine().find_block({kLoop, kLoop, 0});
    REQUIRE(body);
    CHECK(body->next[0].load() == nullptr);
    CHECK(body->next[1].load() == nullptr);
    CHECK(body->exec_count.load() == 100);
}

TEST_CASE("a write drops only the blocks made from the bytes it changes", "[engine]") {
    // Data sharing a page with code must not cost a retranslation on every store (QEMU keeps a
    // bitmap of code bytes for the same reason); a write over the code must still drop it.
    RiscvMachine m;
    const uint64_t loop = RiscvMachine::kCode;
    const uint32_t ebreak = RiscvMachine::kEbreak;
    m.memory().poke(loop, kLoopBody, sizeof kLoopBody);
    m.memory().poke(loop + sizeof kLoopBody, &ebreak, 4);
    m.cpu.x[1] = 10;
    m.cpu.header.pc = loop;
    m.resume();
    REQUIRE(m.stopped_at_ebreak());
    const TranslationBlock* body = m.engine().find_block({loop, loop, 0});
    REQUIRE(body);

    m.engine().code_written(loop + 0x800, 8);  // same page, past every block
    CHECK(m.engine().find_block({loop, loop, 0}) == body);
    CHECK(body->valid.load());
    CHECK(m.engine().stats().invalidated == 0);

    m.engine().code_written(loop + sizeof kLoopBody - 4, 4);  // the loop's last instruction
    CHECK(m.engine().find_block({loop, loop, 0}) == nullptr);
    CHECK(m.engine().stats().invalidated >= 1);
}

TEST_CASE("invalidating a page unchains the blocks that jumped into it", "[engine]") {
    // The loop ends a page and falls through to an ebreak on the next page, so invalidating the
    // second page must unchain the first page's block, which stays alive.
    RiscvMachine m;
    const uint64_t loop = RiscvMachine::kCode + kGuestPageSize - sizeof kLoopBody;
    const uint64_t exit_block = RiscvMachine::kCode + kGuestPageSize;
    const uint32_t ebreak = RiscvMachine::kEbreak;
    m.memory().poke(loop, kLoopBody, sizeof kLoopBody);
    m.memory().poke(exit_block, &ebreak, 4);
    m.cpu.x[1] = 10;
    m.cpu.header.pc = loop;
    m.resume();
    REQUIRE(m.stopped_at_ebreak());
    const TranslationBlock* body = m.engine().find_block({loop, loop, 0});
    REQUIRE(body);
    REQUIRE(m.engine().find_block({exit_block, exit_block, 0}));
    CHECK(body->next[0].load() == m.engine().find_block({exit_block, exit_block, 0}));

    m.engine().code_written(exit_block & ~(kGuestPageSize - 1), kGuestPageSize);
    CHECK(m.engine().find_block({exit_block, exit_block, 0}) == nullptr);
    CHECK(body->valid.load());
    CHECK(body->next[0].load() == nullptr);  // unchained from the invalidated block
    CHECK(body->next[1].load() == body);     // its own loop edge is untouched
    // The invalidated page is no longer a code page: stores to it take the fast path again.
    CHECK((m.cpu.header.page_flags[exit_block >> kGuestPageBits] & kPageCode) == 0);
    CHECK((m.cpu.header.page_flags[loop >> kGuestPageBits] & kPageCode) != 0);

    m.cpu.x[1] = 3;
    m.cpu.header.pc = loop;
    m.cpu.header.exception_pending = 0;
    m.resume();  // retranslated and correct
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[1] == 0);
}

TEST_CASE("one instruction per block (-one-insn-per-tb)", "[engine]") {
    RiscvMachine m(1);
    run_loop(m, 3);
    CHECK(m.engine().stats().translations == 4);
    const TranslationBlock* first = m.engine().find_block({kLoop, kLoop, 0});
    REQUIRE(first);
    CHECK(first->guest_insns == 1);
    CHECK(first->guest_size == 4);
}

TEST_CASE("several vCPUs share one engine from several host threads", "[engine][threads]") {
    RiscvMachine m;
    // Place the loop once; each vCPU runs it with its own registers.
    m.memory().poke(kLoop, kLoopBody, sizeof kLoopBody);
    const uint32_t ebreak = RiscvMachine::kEbreak;
    m.memory().poke(kLoop + sizeof kLoopBody, &ebreak, 4);
    constexpr int kThreads = 4;
    std::vector<riscv::CpuState> cpus(kThreads);
    std::vector<VcpuEngineState> states(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        cpus[i].x[1] = 20000 + i;
        threads.emplace_back([&, i] { m.run_vcpu(cpus[i], states[i], kLoop); });
    }
    for (auto& t : threads) t.join();
    for (int i = 0; i < kThreads; ++i) {
        CHECK(cpus[i].x[2] == uint64_t(20000 + i));
        CHECK(cpus[i].header.exception_cause == riscv::kBreakpoint);
    }
    CHECK(m.engine().stats().translations == 2);  // translated once, shared by all
}

TEST_CASE("two machines live in one process and run at the same time", "[engine][threads]") {
    RiscvMachine a, b;
    // No assertions inside the threads: Catch2 v2 is not thread-safe.
    auto start = [](RiscvMachine& m, uint64_t n) {
        m.cpu.x[1] = n;
        m.run({kLoopBody[0], kLoopBody[1], kLoopBody[2]});
    };
    std::thread ta(start, std::ref(a), 50000);
    std::thread tb(start, std::ref(b), 30000);
    ta.join();
    tb.join();
    CHECK(a.stopped_at_ebreak());
    CHECK(b.stopped_at_ebreak());
    CHECK(a.cpu.x[2] == 50000);
    CHECK(b.cpu.x[2] == 30000);
    CHECK(a.engine().find_block({kLoop, kLoop, 0})->exec_count.load() == 50000);
    CHECK(b.engine().find_block({kLoop, kLoop, 0})->exec_count.load() == 30000);
}

TEST_CASE("retired blocks are kept while a vCPU may reach them, then freed", "[engine]") {
    RiscvMachine m;
    m.memory().protect(RiscvMachine::kCode, 0x10000, user::kProtRead | user::kProtWrite | user::kProtExec);
    // The running program overwrites its own next instruction: its block is retired while this
    // vCPU is inside the engine, still executing it (it runs to its end as translated).
    m.cpu.x[1] = RiscvMachine::kCode + 4;
    m.run({store(2, 0, 1, 0), addi(5, 0, 1)});
    REQUIRE(m.stopped_at_ebreak());
    const EngineStats during = m.engine().stats();
    CHECK(during.invalidated >= 1);
    CHECK(during.retired_blocks == during.invalidated);  // none freed behind the running vCPU's back

    // Later, with no vCPU running, the next invalidation (here of nothing: the only block was the
    // one that rewrote its page) frees everything retired before it.
    m.engine().code_written(RiscvMachine::kCode & ~(kGuestPageSize - 1), kGuestPageSize);
    CHECK(m.engine().stats().retired_blocks == 0);
}

TEST_CASE("vCPUs keep running correctly while another thread invalidates their code", "[engine][threads]") {
    RiscvMachine m;
    m.memory().poke(kLoop, kLoopBody, sizeof kLoopBody);
    const uint32_t ebreak = RiscvMachine::kEbreak;
    m.memory().poke(kLoop + sizeof kLoopBody, &ebreak, 4);
    constexpr int kThreads = 2;
    std::vector<riscv::CpuState> cpus(kThreads);
    std::vector<VcpuEngineState> states(kThreads);
    std::atomic<bool> done{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        cpus[i].x[1] = 300000;
        threads.emplace_back([&, i] { m.run_vcpu(cpus[i], states[i], kLoop); });
    }
    // Invalidate the loop's page over and over while it runs: blocks are retranslated, retired and
    // reclaimed under the vCPUs' feet.
    std::thread invalidator([&] {
        while (!done.load()) m.engine().code_written(kLoop & ~(kGuestPageSize - 1), kGuestPageSize);
    });
    for (auto& t : threads) t.join();
    done = true;
    invalidator.join();
    for (int i = 0; i < kThreads; ++i) CHECK(cpus[i].x[2] == 300000);
    m.engine().code_written(kLoop & ~(kGuestPageSize - 1), kGuestPageSize);
    CHECK(m.engine().stats().retired_blocks == 0);
}

TEST_CASE("a log message longer than the formatting buffer is written whole", "[engine][log]") {
    char path[] = "/tmp/mimic-log-XXXXXX";
    const int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    close(fd);
    const std::string body(5000, 'x');
    {
        Log log;
        REQUIRE(log.open(path).empty());
        log.printf("OUT: %s|end\n", body.c_str());
    }
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    unlink(path);
    CHECK(line == "OUT: " + body + "|end");
}

namespace {
// An upper tier that records the batches it compiles, holds its first until released, and fails
// any batch that holds the job named `bad`.
class RecordingBackend final : public Backend {
public:
    std::string_view name() const override { return "recording"; }
    std::unique_ptr<CompiledBlock> compile(const ir::Block&) override { return nullptr; }
    std::vector<std::unique_ptr<CompiledBlock>> compile_regions(
        std::span<const std::vector<RegionBlock>> regions) override {
        std::unique_lock lock(mutex);
        std::vector<uintptr_t>& batch = batches.emplace_back();
        for (const std::vector<RegionBlock>& blocks : regions)
            batch.push_back(reinterpret_cast<uintptr_t>(blocks.front().chain));
        started.notify_all();
        released.wait(lock, [this] { return release; });
        if (std::find(batch.begin(), batch.end(), bad) != batch.end()) throw std::runtime_error("cannot");
        std::vector<std::unique_ptr<CompiledBlock>> code;
        for (size_t i = 0; i < regions.size(); ++i) code.push_back(std::make_unique<NamedCode>(batch[i]));
        return code;
    }
    // Code that only says which job it is for.
    struct NamedCode final : CompiledBlock {
        explicit NamedCode(uintptr_t n) : name(n) {}
        BlockExit run(CpuHeader*) const override { return {}; }
        size_t host_size() const override { return 0; }
        std::string dump() const override { return {}; }
        uintptr_t name;
    };
    std::mutex mutex;
    std::condition_variable started, released;
    bool release = false;
    uintptr_t bad = 0;
    std::vector<std::vector<uintptr_t>> batches;
};

// Queues jobs while the compiler holds the first one, then lets it go on; returns the name each
// job's code was installed with (0 for none), by job name.
class BatchRun {
public:
    explicit BatchRun(uintptr_t bad = 0) { backend.bad = bad; }
    // `insns` guest instructions in the job's one block. The chain pointer only names the job:
    // the recording backend never follows it.
    void queue(uintptr_t name, uint64_t heat_ns, uint32_t insns = 4) {
        auto block = std::make_shared<ir::Block>(ir::GlobalTable{}, name);
        block->set_guest_insn_count(insns);
        TierUpCompiler::Job j;
        j.blocks.push_back({TbKey{name, name, 0}, name, block, reinterpret_cast<ChainSlots*>(name), {}});
        j.heat_ns = heat_ns;
        compiler.enqueue(std::move(j));
        if (first) {
            first = false;
            std::unique_lock lock(backend.mutex);
            backend.started.wait(lock, [&] { return !backend.batches.empty(); });
        }
    }
    void finish() {
        {
            std::lock_guard lock(backend.mutex);
            backend.release = true;
        }
        backend.released.notify_all();
        compiler.drain();
    }
    RecordingBackend backend;
    std::map<uintptr_t, uintptr_t> installed;
    TierUpCompiler compiler{backend, [this](TierUpCompiler::Job& job, std::unique_ptr<CompiledBlock> code, double) {
                                auto* named = dynamic_cast<RecordingBackend::NamedCode*>(code.get());
                                installed[job.blocks.front().id] = named ? named->name : 0;
                            }};

private:
    bool first = true;
};

using Batches = std::vector<std::vector<uintptr_t>>;
}  // namespace

TEST_CASE("the background compiler takes the hottest queued regions first, several in one batch", "[engine]") {
    BatchRun run;
    run.queue(1, 500);
    run.queue(2, 900);  // took longest to get hot: last
    run.queue(3, 100);  // hottest: first
    run.queue(4, 400);
    run.finish();
    CHECK(run.backend.batches == Batches{{1}, {3, 4, 2}});
    CHECK(run.installed == std::map<uintptr_t, uintptr_t>{{1, 1}, {2, 2}, {3, 3}, {4, 4}});
}

TEST_CASE("a batch holds few jobs, and not many more guest instructions than its hottest", "[engine]") {
    static_assert(TierUpCompiler::kBatchJobs == 8 && TierUpCompiler::kBatchSlack == 16 &&
                  TierUpCompiler::kBatchInsns == 128);
    BatchRun run;
    run.queue(1, 1);
    // At most 8 jobs: 40 instructions may take 96 with it, but only 7 more jobs.
    run.queue(10, 10, 40);
    for (uintptr_t n = 11; n < 18; ++n) run.queue(n, n, 1);
    // At most twice the hottest's instructions, and 16 more: 4 + 5 * 4 = 24, but not one more job.
    run.queue(20, 20, 4);
    for (uintptr_t n = 21; n < 27; ++n) run.queue(n, n, 4);
    // At most 128: 100 + 28, but not 100 + 29.
    run.queue(30, 30, 100);
    run.queue(31, 31, 28);
    run.queue(40, 40, 100);
    run.queue(41, 41, 29);
    run.finish();
    CHECK(run.backend.batches ==
          Batches{{1}, {10, 11, 12, 13, 14, 15, 16, 17}, {20, 21, 22, 23, 24, 25}, {26}, {30, 31}, {40}, {41}});
}

TEST_CASE("when a batch fails, its jobs are compiled one by one, and only the bad one has no code", "[engine]") {
    BatchRun run(3);
    run.queue(1, 1);
    run.queue(2, 2);
    run.queue(3, 3);
    run.queue(4, 4);
    run.finish();
    CHECK(run.backend.batches == Batches{{1}, {2, 3, 4}, {2}, {3}, {4}});
    CHECK(run.installed == std::map<uintptr_t, uintptr_t>{{1, 1}, {2, 2}, {3, 0}, {4, 4}});
}
