// One RISC-V hart of a system-mode machine: its CPU state, soft-MMU and host thread. The thread
// runs the engine, takes traps and interrupts between blocks, and sleeps in wfi until an
// interrupt is pending. Devices reach it as an IrqSink whose lines are mip bit numbers.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "devices/clock.h"
#include "devices/irq.h"
#include "devices/machine_control.h"
#include "engine/engine.h"
#include "frontends/riscv/cpu.h"
#include "frontends/riscv/system_mmu.h"
#include "softmmu/soft_mmu.h"

namespace mimic::machines::riscv {

class Hart final : public devices::IrqSink, private mimic::riscv::HartPlatform {
public:
    // `control` hears of a host-side failure on the hart's thread (the machine then stops).
    Hart(unsigned hartid, Engine& engine, softmmu::PhysicalMemory& memory, devices::TimerService& timers,
         devices::MachineControl& control, Log* log);
    ~Hart() override;
    Hart(const Hart&) = delete;
    Hart& operator=(const Hart&) = delete;

    unsigned id() const { return hartid_; }
    mimic::riscv::CpuState& cpu() { return *cpu_; }

    // Architectural reset: M-mode at `pc`, a0 = hartid, a1 = `a1` (the device tree's address).
    void reset(uint64_t pc, uint64_t a1);
    // Starts the host thread; stop() makes it leave its loop (from any thread) and join() waits.
    void start();
    void stop();
    void join();

    // IrqSink: `line` is the mip bit (3 MSIP, 7 MTIP, 9 SEIP, 11 MEIP, ...).
    void set_irq(unsigned line, bool level) override;

private:
    void run();
    void run_loop();
    void kick();
    void wait_for_interrupt();
    void take_trap(uint64_t cause, uint64_t tval, bool interrupt);

    // HartPlatform
    uint64_t time_ticks() override;
    void arm_stimer(uint64_t deadline) override;

    unsigned hartid_;
    Engine& engine_;
    devices::MachineControl& control_;
    Log* log_;
    devices::TimerService& timers_;
    std::unique_ptr<mimic::riscv::CpuState> cpu_;
    mimic::riscv::SystemAddressTranslator translator_;
    softmmu::SoftMmu mmu_;
    VcpuEngineState vcpu_;
    devices::Timer stimer_;  // Sstc: raises STIP when time reaches stimecmp

    std::mutex wake_mutex_;
    std::condition_variable wake_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace mimic::machines::riscv
