// A RISC-V system-mode machine: memory map, harts, devices and boot images of one board
// (`-M virt` or `-M spike`), built from the command line's MachineOptions, and run until the guest
// powers off or the user quits. Everything lives in the object: two machines can share a process.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "backends/interp/interp.h"
#include "backends/llvm/llvm_backend.h"
#include "devices/block_backend.h"
#include "devices/char_backend.h"
#include "devices/clock.h"
#include "devices/device.h"
#include "devices/machine_control.h"
#include "devices/net_backend.h"
#include "devices/virtio/virtio_mmio.h"
#include "engine/engine.h"
#include "engine/log.h"
#include "frontends/riscv/frontend.h"
#include "machines/common/loader.h"
#include "machines/common/monitor.h"
#include "machines/common/options.h"
#include "machines/riscv/hart.h"
#include "softmmu/physical_memory.h"

namespace mimic::machines::riscv {

class RiscvMachine final : public devices::MachineControl, public MonitorTarget {
public:
    // Builds the board and loads its images; throws std::runtime_error (LoadError, OptionError,
    // ...) with a one-line message for anything the user gave that cannot work.
    RiscvMachine(const MachineOptions& options, Log& log);
    ~RiscvMachine() override;
    RiscvMachine(const RiscvMachine&) = delete;
    RiscvMachine& operator=(const RiscvMachine&) = delete;

    // Runs the harts until poweroff or quit; returns the exit status (the finisher's code).
    int run();
    // What a reset does to the devices (the harts are stopped): the virtio transports forget their
    // drivers, so no device writes guest memory the next boot is about to fill.
    void reset_devices();
    // The -d stats line for the run so far.
    void log_stats(double run_seconds) { engine_.log_stats(run_seconds); }

    const std::vector<uint8_t>& fdt() const { return fdt_; }
    softmmu::PhysicalMemory& memory() { return memory_; }
    Engine& engine() { return engine_; }

    // MachineControl
    void request_poweroff(int exit_status) override;
    void request_reset() override;
    // MonitorTarget
    void quit() override { request_poweroff(0); }
    std::string info_registers(bool all_harts) override;
    std::string info_cpus() override;
    void system_reset() override { request_reset(); }

private:
    struct Image {
        std::string name;
        LoadedImage loaded;
    };

    void build_virt();
    void build_spike();
    void make_console();
    void build_virtio(devices::IrqSink& irqchip);
    std::unique_ptr<devices::VirtioDevice> make_virtio_device(const DeviceSpec& spec, const DriveSpec* drive,
                                                              unsigned& nics);
    void add_device(std::string name, uint64_t base, uint64_t size, std::unique_ptr<devices::MmioDevice> device);
    void load_images(uint64_t ram_base, bool fdt_in_reset_vector);
    void drop_segments_outside_memory(Image& image, uint64_t ram_base);
    void place_images();  // copies every loaded image and the ROM into memory (boot and reset)
    void reset_harts();

    MachineOptions options_;
    Log& log_;
    devices::VirtualClock clock_;
    devices::TimerService timers_{clock_};
    softmmu::PhysicalMemory memory_;
    mimic::riscv::RiscvFrontend frontend_{true};
    interp::InterpreterBackend backend_;
    std::unique_ptr<Backend> baseline_;  // -accel tcg,tier=baseline|tiered
    std::unique_ptr<Backend> llvm_;      // -accel tcg,tier=llvm|tiered
    Engine engine_;
    std::unique_ptr<devices::CharBackend> console_;
    // The virtio devices' host ends, then the devices: each outlives what refers to it.
    std::vector<std::unique_ptr<devices::BlockBackend>> disks_;
    std::vector<std::unique_ptr<devices::NetBackend>> networks_;
    std::vector<std::unique_ptr<devices::CharBackend>> chardevs_;
    std::vector<std::unique_ptr<devices::VirtioDevice>> virtio_devices_;
    std::vector<std::unique_ptr<devices::MmioDevice>> devices_;
    std::vector<devices::VirtioMmio*> virtio_transports_;  // in devices_, reset with the machine
    std::vector<std::unique_ptr<Hart>> harts_;

    std::vector<Image> images_;
    std::vector<uint8_t> fdt_;
    uint64_t fdt_addr_ = 0;
    uint64_t rom_base_ = 0x1000;
    std::vector<uint8_t> rom_;

    std::mutex mutex_;
    std::condition_variable changed_;
    bool poweroff_ = false;
    bool reset_ = false;
    int exit_status_ = 0;
};

}  // namespace mimic::machines::riscv
