// A hart's host thread: interrupts and traps between blocks, wfi, and the Sstc timer.
#include "machines/riscv/hart.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "frontends/riscv/priv_csr.h"
#include "frontends/riscv/priv_trap.h"

namespace mimic::machines::riscv {

using namespace mimic::riscv;

namespace {
constexpr uint64_t kTimebaseHz = 10'000'000;
}

Hart::Hart(unsigned hartid, Engine& engine, softmmu::PhysicalMemory& memory, devices::TimerService& timers,
           devices::MachineControl& control, Log* log)
    : hartid_(hartid),
      engine_(engine),
      control_(control),
      log_(log),
      timers_(timers),
      cpu_(std::make_unique<CpuState>()),
      translator_(memory),
      mmu_(memory, translator_),
      stimer_(timers, [this] {
          sstc_timer_fired(cpu_->priv);
          kick();
      }) {
    mmu_.attach(cpu_->header);
    cpu_->priv.platform = this;
}

Hart::~Hart() {
    stop();
    join();
}

void Hart::reset(uint64_t pc, uint64_t a1) {
    CpuState& cpu = *cpu_;
    std::fill(std::begin(cpu.x), std::end(cpu.x), 0);
    std::fill(std::begin(cpu.f), std::end(cpu.f), 0);
    cpu.fflags = cpu.frm = 0;
    cpu.reservation_addr = ~uint64_t(0);
    reset_priv(cpu, hartid_);
    cpu_->priv.platform = this;
    cpu_->header.pc = pc;
    cpu_->x[10] = hartid_;
    cpu_->x[11] = a1;
    mmu_.flush();
    vcpu_.jump_cache.clear();
}

void Hart::start() {
    stopping_.store(false);  // a reset stops and restarts the harts
    thread_ = std::thread([this] { run(); });
}

void Hart::stop() {
    stopping_.store(true);
    kick();
}

void Hart::join() {
    if (thread_.joinable()) thread_.join();
}

void Hart::kick() {
    // seq_cst, with the hart's clear of exit_request: a set that races with the clear must not be
    // lost behind it (the hart reads mip and stopping_ after clearing).
    cpu_->header.exit_request.store(1, std::memory_order_seq_cst);
    std::lock_guard lock(wake_mutex_);
    wake_.notify_all();
}

void Hart::set_irq(unsigned line, bool level) {
    const uint64_t bit = uint64_t(1) << line;
    if (level)
        cpu_->priv.mip.fetch_or(bit);
    else
        cpu_->priv.mip.fetch_and(~bit);
    kick();
}

uint64_t Hart::time_ticks() {
    return timers_.clock().now_ticks(kTimebaseHz);
}

void Hart::arm_stimer(uint64_t deadline) {
    if (deadline == ~uint64_t(0))
        stimer_.cancel();
    else
        stimer_.arm(devices::VirtualClock::ticks_to_ns(deadline, kTimebaseHz));
}

void Hart::take_trap(uint64_t cause, uint64_t tval, bool interrupt) {
    const TrapInfo info = mimic::riscv::take_trap(*cpu_, cause, tval, interrupt);
    if (log_ && log_->enabled(kLogInt)) log_->write(format_trap(info) + "\n");
}

// wfi: sleep until an interrupt is pending and enabled locally (the global enables do not
// matter), or the machine stops.
void Hart::wait_for_interrupt() {
    std::unique_lock lock(wake_mutex_);
    wake_.wait(lock, [this] { return stopping_.load() || wfi_should_wake(*cpu_); });
}

// A host-side failure (out of memory, say) stops the machine with one line, never a crash.
void Hart::run() {
    try {
        run_loop();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mimic-system-riscv64: hart %u: %s\n", hartid_, e.what());
        control_.request_poweroff(1);
    }
}

void Hart::run_loop() {
    CpuHeader& env = cpu_->header;
    for (;;) {
        env.exit_request.store(0, std::memory_order_seq_cst);
        if (stopping_.load(std::memory_order_seq_cst)) break;
        if (const auto irq = pending_interrupt(*cpu_)) take_trap(*irq, 0, true);

        const BlockExit exit = engine_.run(&env, vcpu_);
        if (mmu_.take_flushed()) vcpu_.jump_cache.clear();
        switch (exit.kind) {
            case BlockExit::Kind::kException:
                env.exception_pending = 0;
                take_trap(env.exception_cause, env.exception_tval, false);
                break;
            case BlockExit::Kind::kExit:
                if (exit.reason == ir::ExitReason::kHalt) wait_for_interrupt();
                break;
            case BlockExit::Kind::kGotoTb:
            case BlockExit::Kind::kLookup:
            case BlockExit::Kind::kHot:
            case BlockExit::Kind::kRetry: break;  // the engine follows these itself
        }
    }
}

}  // namespace mimic::machines::riscv
