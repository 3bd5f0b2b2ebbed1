// The command line of system mode (mimic-system-<arch>), with qemu-system's option names and habits.
// Parsing is separate from main() so that tests reach it; main() acts on the resulting struct.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "machines/common/device_options.h"
#include "machines/common/option_parsing.h"

namespace mimic::machines {

constexpr unsigned kMaxHarts = 8;
constexpr uint64_t kDefaultRamSize = uint64_t(128) << 20;  // QEMU's default for virt and spike
constexpr uint64_t kMaxRamSize = uint64_t(1) << 40;        // 1 TiB

enum class BiosKind { kDefault, kNone, kFile };
enum class AccelKind { kTcg, kKvm };
enum class Tier { kDefault, kInterp, kBaseline, kLlvm, kTiered };

struct AccelSpec {
    AccelKind kind = AccelKind::kTcg;
    Tier tier = Tier::kDefault;  // -accel tcg,tier=
    uint64_t threshold = 0;      // -accel tcg,threshold=N: runs before tier-up (0: the default)
};

struct MachineOptions {
    // What main() does instead of running a machine.
    enum class Action {
        kRun,
        kHelp,
        kVersion,
        kMachineHelp,
        kCpuHelp,
        kLogHelp,
        kAccelHelp,
        kDeviceHelp
    } action = Action::kRun;

    std::string machine = "spike";  // qemu-system-riscv64's default board
    std::string dumpdtb;            // -M virt,dumpdtb=FILE: write the device tree and exit
    uint64_t ram_size = kDefaultRamSize;
    unsigned harts = 1;

    BiosKind bios_kind = BiosKind::kDefault;
    std::string bios;  // kFile
    std::string kernel, initrd, append, dtb;

    bool nographic = false;
    bool display_none = false;
    // Resolved as QEMU does (-nographic: serial on mon:stdio; see options.cpp for the rest).
    std::vector<CharDevSpec> serials;
    CharDevSpec monitor{CharDevKind::kNone, "", "none"};

    std::vector<AccelSpec> accels;  // in order of preference; never empty after parsing
    std::string cpu = "rv64";
    std::string log_items;  // -d, checked by main() against the engine's item list
    std::string log_file;   // -D

    std::string gdb;             // -s is -gdb tcp::1234; empty: no gdbstub
    bool start_stopped = false;  // -S
    bool no_reboot = false, no_shutdown = false, one_insn_per_tb = false, snapshot = false;
    bool perfmap = false;  // -perfmap

    DeviceOptions devices;  // -drive, -netdev, -chardev, -device, -global
};

// Parses argv (argv[0] is the binary's name). Throws OptionError.
MachineOptions parse_machine_options(int argc, const char* const* argv);

// -m's size: a number of MiB, or a number (fractions allowed) with a B/K/M/G/T/P/E suffix; rounded
// up to 8 KiB as QEMU does. Throws OptionError for a bad, zero or too large size.
uint64_t parse_ram_size(const std::string& text);

std::string machine_usage(const std::string& binary);
std::string machine_list_help();  // -M help
std::string cpu_list_help();      // -cpu help
std::string accel_list_help();    // -accel help

}  // namespace mimic::machines
