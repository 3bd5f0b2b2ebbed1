// mimic-system-riscv64: RISC-V system mode (the virt and spike boards), with qemu-system-riscv64's
// command line.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "engine/log.h"
#include "machines/common/options.h"
#include "machines/common/terminal.h"
#include "machines/riscv/machine.h"

int main(int argc, char** argv) {
    using namespace mimic;
    using namespace mimic::machines;
    const char* binary = "mimic-system-riscv64";
    std::signal(SIGPIPE, SIG_IGN);  // a closed stdout drops console output instead of killing Mimic
    try {
        const MachineOptions opts = parse_machine_options(argc, argv);
        switch (opts.action) {
            case MachineOptions::Action::kHelp: std::fputs(machine_usage(binary).c_str(), stdout); return 0;
            case MachineOptions::Action::kVersion: std::printf("%s version " MIMIC_VERSION "\n", binary); return 0;
            case MachineOptions::Action::kMachineHelp: std::fputs(machine_list_help().c_str(), stdout); return 0;
            case MachineOptions::Action::kCpuHelp: std::fputs(cpu_list_help().c_str(), stdout); return 0;
            case MachineOptions::Action::kLogHelp: std::fputs(Log::item_help().c_str(), stdout); return 0;
            case MachineOptions::Action::kAccelHelp: std::fputs(accel_list_help().c_str(), stdout); return 0;
            case MachineOptions::Action::kDeviceHelp: std::fputs(device_list_help().c_str(), stdout); return 0;
            case MachineOptions::Action::kRun: break;
        }
        const AccelSpec accel = opts.accels.front();
        if (accel.kind == AccelKind::kKvm)
            throw OptionError("-accel kvm: KVM needs a RISC-V host; this host runs guests with -accel tcg");
        if (!opts.gdb.empty() || opts.start_stopped)
            throw OptionError("-s/-S/-gdb: the GDB stub is not implemented yet");

        Log log;
        if (const char* items = std::getenv("MIMIC_LOG"))  // QEMU_LOG's counterpart: -d items for every run
            if (auto err = log.parse_items(items); !err.empty()) throw OptionError("MIMIC_LOG: " + err);
        if (auto err = log.parse_items(opts.log_items); !err.empty()) throw OptionError("-d: " + err);
        if (!opts.log_file.empty())
            if (auto err = log.open(opts.log_file); !err.empty()) throw OptionError("-D: " + err);
        if (opts.perfmap)
            if (auto err = log.open_perf_map(); !err.empty()) throw OptionError(err);

        machines::riscv::RiscvMachine machine(opts, log);
        if (!opts.dumpdtb.empty()) {
            std::ofstream out(opts.dumpdtb, std::ios::binary);
            out.write(reinterpret_cast<const char*>(machine.fdt().data()), std::streamsize(machine.fdt().size()));
            if (!out) throw OptionError("dumpdtb=" + opts.dumpdtb + ": cannot write the file");
            return 0;
        }
        const auto start = std::chrono::steady_clock::now();
        const int status = machine.run();
        machine.log_stats(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        // The harts have stopped. Leave at once, as mimic-riscv64 does: tearing the machine down
        // would wait for a background compile in progress (LLVM cannot be interrupted), which took
        // 70 ms after a 0.27 s run of the nbody benchmark. What teardown must not lose is flushed
        // here: the FILE streams (-D log, -d stats, perf map) and the terminal's mode.
        std::fflush(nullptr);
        machines::restore_terminal_before_exit();
        std::_Exit(status);
    } catch (const std::exception& e) {
        // A bad option or image, or a host resource that cannot be had: one line, exit 1.
        std::fprintf(stderr, "%s: %s\n", binary, e.what());
        return 1;
    }
}
