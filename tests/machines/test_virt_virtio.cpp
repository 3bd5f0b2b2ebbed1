// The virt board's virtio-mmio slots: eight transports whatever the command line, devices placed
// from the highest address down as QEMU places them, a virtconsole in its virtio-serial-device's
// slot, and a machine reset that resets them.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "machines/riscv/machine.h"

using namespace mimic;
using mimic::machines::MachineOptions;
using mimic::machines::parse_machine_options;

namespace {

struct TempFile {
    explicit TempFile(size_t size) {
        static int counter = 0;
        path = std::filesystem::temp_directory_path() /
               ("mimic-virt-virtio-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
        std::ofstream(path, std::ios::binary).write(std::string(size, '\0').data(), std::streamsize(size));
    }
    ~TempFile() { std::filesystem::remove(path); }
    std::filesystem::path path;
};

uint32_t device_id(machines::riscv::RiscvMachine& machine, uint64_t base) {
    const softmmu::Region* region = machine.memory().find(base);
    REQUIRE(region);
    REQUIRE(region->device);
    CHECK(region->device->read(0, 4) == devices::VirtioMmio::kMagic);
    return uint32_t(region->device->read(8, 4));
}

}  // namespace

TEST_CASE("virt places virtio devices from the highest slot down in command-line order", "[machines][virtio]") {
    TempFile kernel(64), disk(4096);
    const std::string k = kernel.path.string(), d = "file=" + disk.path.string() + ",if=virtio,format=raw";
    const std::vector<const char*> argv = {"mimic-system-riscv64",
                                           "-M",
                                           "virt",
                                           "-display",
                                           "none",
                                           "-bios",
                                           "none",
                                           "-kernel",
                                           k.c_str(),
                                           "-drive",
                                           d.c_str(),
                                           "-device",
                                           "virtio-serial-device",
                                           "-device",
                                           "virtio-rng-device",
                                           "-chardev",
                                           "null,id=c0",
                                           "-device",
                                           "virtconsole,chardev=c0"};
    const MachineOptions options = parse_machine_options(int(argv.size()), argv.data());
    Log log;
    machines::riscv::RiscvMachine machine(options, log);
    CHECK(device_id(machine, 0x10008000) == 3);  // the console, in its serial device's slot
    CHECK(device_id(machine, 0x10007000) == 4);  // the RNG
    CHECK(device_id(machine, 0x10006000) == 2);  // the if=virtio disk, after the -device ones
    for (uint64_t base = 0x10001000; base <= 0x10005000; base += 0x1000) CHECK(device_id(machine, base) == 0);
}

TEST_CASE("a machine reset resets the virtio transports", "[machines][virtio]") {
    TempFile kernel(64);
    const std::string k = kernel.path.string();
    const std::vector<const char*> argv = {
        "mimic-system-riscv64", "-M", "virt", "-display", "none", "-bios", "none", "-kernel", k.c_str(), "-device",
        "virtio-rng-device"};
    Log log;
    machines::riscv::RiscvMachine machine(parse_machine_options(int(argv.size()), argv.data()), log);
    devices::MmioDevice& rng = *machine.memory().find(0x10008000)->device;
    rng.write(0x70, 4, devices::VirtioMmio::kAcknowledge | devices::VirtioMmio::kDriver);
    REQUIRE(rng.read(0x70, 4) == (devices::VirtioMmio::kAcknowledge | devices::VirtioMmio::kDriver));
    machine.reset_devices();
    CHECK(rng.read(0x70, 4) == 0);
}
