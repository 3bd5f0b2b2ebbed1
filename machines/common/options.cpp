// Command-line parsing for system mode.
#include "machines/common/options.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <utility>

namespace mimic::machines {
namespace {

[[noreturn]] void fail(const std::string& opt, const std::string& value, const std::string& what) {
    fail_option(opt, value, what);
}

unsigned parse_smp(const std::string& text) {
    const std::string opt = "-smp";
    uint64_t cpus = 0, topology = 1;
    bool have_topology = false;
    uint64_t maxcpus = 0;
    for (auto& [key, value] : split_props(text)) {
        uint64_t n = 0;
        if (!parse_uint(value, n) || n == 0) fail(opt, text, "'" + value + "' is not a positive number of CPUs");
        if (key.empty() || key == "cpus") {
            cpus = n;
        } else if (key == "maxcpus") {
            maxcpus = n;
        } else if (key == "sockets" || key == "dies" || key == "clusters" || key == "cores" || key == "threads") {
            have_topology = true;
            topology = std::min<uint64_t>(topology * std::min<uint64_t>(n, kMaxHarts + 1), kMaxHarts + 1);
        } else {
            fail(opt, text, "unknown parameter '" + key + "'");
        }
    }
    if (cpus == 0) cpus = have_topology ? topology : (maxcpus ? maxcpus : 1);
    if (have_topology && topology != cpus) fail(opt, text, "the topology does not multiply to the number of CPUs");
    if (maxcpus && maxcpus != cpus) fail(opt, text, "maxcpus must equal cpus (no CPU hotplug)");
    if (cpus > kMaxHarts) fail(opt, text, "at most " + std::to_string(kMaxHarts) + " CPUs are supported");
    return unsigned(cpus);
}

CharDevSpec parse_chardev(const std::string& opt, const std::string& text, bool monitor) {
    CharDevSpec c;
    c.text = text;
    if (text == "stdio")
        c.kind = CharDevKind::kStdio;
    else if (text == "mon:stdio" && !monitor)
        c.kind = CharDevKind::kMonStdio;
    else if (text == "null" || text == "vc" || text.rfind("vc:", 0) == 0)
        c.kind = CharDevKind::kNull;
    else if (text == "none")
        c.kind = CharDevKind::kNone;
    else if (text.rfind("file:", 0) == 0 && text.size() > 5 && !monitor)
        c.kind = CharDevKind::kFile, c.path = text.substr(5);
    else if (monitor)
        fail(opt, text, "unsupported monitor device (stdio, null or none)");
    else
        fail(opt, text, "unsupported character device (stdio, mon:stdio, null, none or file:PATH)");
    return c;
}

AccelSpec parse_accel(const std::string& text) {
    const auto props = split_props(text);
    AccelSpec a;
    const std::string name = props[0].first.empty() ? props[0].second : "";
    if (name == "tcg")
        a.kind = AccelKind::kTcg;
    else if (name == "kvm")
        a.kind = AccelKind::kKvm;
    else
        fail("-accel", text, "unknown accelerator (tcg or kvm; -accel help)");
    for (size_t i = 1; i < props.size(); ++i) {
        const auto& [key, value] = props[i];
        if (a.kind == AccelKind::kTcg && key == "tier") {
            if (value == "interp")
                a.tier = Tier::kInterp;
            else if (value == "baseline")
                a.tier = Tier::kBaseline;
            else if (value == "llvm")
                a.tier = Tier::kLlvm;
            else if (value == "tiered")
                a.tier = Tier::kTiered;
            else
                fail("-accel", text, "unknown tier '" + value + "' (interp, baseline, llvm or tiered)");
        } else if (a.kind == AccelKind::kTcg && key == "threshold") {
            char* end = nullptr;
            a.threshold = std::strtoull(value.c_str(), &end, 10);
            if (value.empty() || *end || a.threshold == 0)
                fail("-accel", text, "threshold must be a positive number of runs");
        } else if (a.kind == AccelKind::kTcg && key == "thread" && (value == "single" || value == "multi")) {
            // Mimic always runs one host thread per vCPU; single is accepted as scripts pass it.
        } else {
            fail("-accel", text, "unsupported property '" + (key.empty() ? value : key) + "'");
        }
    }
    return a;
}

void parse_machine(MachineOptions& o, const std::string& opt, const std::string& text) {
    for (auto& [key, value] : split_props(text)) {
        if (key.empty() || key == "type") {
            if (value == "help" || value == "?") {
                o.action = MachineOptions::Action::kMachineHelp;
                return;
            }
            if (value != "virt" && value != "spike")
                fail(opt, text, "unsupported machine type '" + value + "' (-M help lists them)");
            o.machine = value;
        } else if (key == "dumpdtb" && !value.empty()) {
            o.dumpdtb = value;
        } else if (key == "accel") {
            o.accels.push_back(parse_accel(value));
        } else if ((key == "aclint" && value == "off") || (key == "aia" && value == "none")) {
            // QEMU's defaults, accepted because scripts spell them out.
        } else {
            fail(opt, text, "unsupported machine property '" + key + (value.empty() ? "" : "=" + value) + "'");
        }
    }
}

// QEMU's defaults: -nographic puts the serial port and the monitor together on stdio (or whichever
// of them the command line did not place). Without -nographic QEMU shows both in a window; Mimic has
// none, so it behaves as -nographic unless -display none was given (then they go nowhere, as QEMU's
// invisible "vc" would). stdio may serve one device only.
void resolve_char_devices(MachineOptions& o, bool default_serial, bool default_monitor) {
    const bool terminal = o.nographic || !o.display_none;
    auto uses_stdio = [](const CharDevSpec& c) {
        return c.kind == CharDevKind::kStdio || c.kind == CharDevKind::kMonStdio;
    };
    if (terminal) {
        if (default_serial && default_monitor) {
            o.serials.push_back({CharDevKind::kMonStdio, "", "mon:stdio"});
            o.monitor = {CharDevKind::kNone, "", "none"};
        } else if (o.nographic) {
            if (default_serial) o.serials.push_back({CharDevKind::kStdio, "", "stdio"});
            if (default_monitor) o.monitor = {CharDevKind::kStdio, "", "stdio"};
        } else {
            // No window: what the window would show goes to the terminal when that is free.
            const bool serial_on_stdio = !o.serials.empty() && uses_stdio(o.serials[0]);
            if (default_serial) {
                o.serials.push_back(uses_stdio(o.monitor) ? CharDevSpec{CharDevKind::kNull, "", "vc"}
                                                          : CharDevSpec{CharDevKind::kStdio, "", "stdio"});
            }
            if (default_monitor)
                o.monitor = serial_on_stdio ? CharDevSpec{CharDevKind::kNone, "", "none"}
                                            : CharDevSpec{CharDevKind::kStdio, "", "stdio"};
        }
    } else {
        if (default_serial) o.serials.push_back({CharDevKind::kNull, "", "vc"});
        if (default_monitor) o.monitor = {CharDevKind::kNone, "", "vc"};
    }
    int stdio_users = 0;
    std::string last;
    for (const CharDevSpec& s : o.serials)
        if (uses_stdio(s)) ++stdio_users, last = "-serial " + s.text;
    if (uses_stdio(o.monitor)) ++stdio_users, last = "-monitor " + o.monitor.text;
    for (const ChardevSpec& c : o.devices.chardevs)
        if (uses_stdio(c.backend)) ++stdio_users, last = "-chardev " + c.text;
    if (stdio_users > 1) throw OptionError(last + ": cannot use stdio by multiple character devices");
}

}  // namespace

uint64_t parse_ram_size(const std::string& text) {
    const std::string opt = "-m";
    std::string s = text.rfind("size=", 0) == 0 ? text.substr(5) : text;
    if (s.find(',') != std::string::npos) fail(opt, text, "only the size can be given (no slots or maxmem)");
    size_t i = 0;
    unsigned __int128 whole = 0, frac = 0, frac_scale = 1;
    const size_t digits_start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && whole < (uint64_t(1) << 62))
        whole = whole * 10 + unsigned(s[i++] - '0');
    bool have_digits = i > digits_start, have_frac = false;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            if (frac_scale < 1'000'000'000'000ull) frac = frac * 10 + unsigned(s[i] - '0'), frac_scale *= 10;
            ++i, have_frac = true;
        }
    }
    uint64_t unit = uint64_t(1) << 20;  // a bare number is MiB
    bool suffix = false;
    if (i < s.size() && i + 1 == s.size()) {
        suffix = true;
        switch (std::toupper(static_cast<unsigned char>(s[i]))) {
            case 'B': unit = 1; break;
            case 'K': unit = uint64_t(1) << 10; break;
            case 'M': unit = uint64_t(1) << 20; break;
            case 'G': unit = uint64_t(1) << 30; break;
            case 'T': unit = uint64_t(1) << 40; break;
            case 'P': unit = uint64_t(1) << 50; break;
            case 'E': unit = uint64_t(1) << 60; break;
            default: suffix = false;
        }
        if (suffix) ++i;
    }
    if (!have_digits || i != s.size() || (have_frac && !suffix))
        fail(opt, text, "invalid size (a number of MiB, or with a suffix B, K, M, G, T: 512M, 1.5G)");
    const unsigned __int128 bytes = whole * unit + frac * unit / frac_scale;
    if (bytes == 0) fail(opt, text, "the RAM size must not be zero");
    if (bytes > kMaxRamSize) fail(opt, text, "RAM size too large (at most 1T)");
    const uint64_t kAlign = 8192;  // QEMU rounds -m up to 8 KiB
    return (uint64_t(bytes) + kAlign - 1) & ~(kAlign - 1);
}

MachineOptions parse_machine_options(int argc, const char* const* argv) {
    MachineOptions o;
    bool default_serial = true, default_monitor = true;
    using Action = MachineOptions::Action;
    for (int i = 1; i < argc; ++i) {
        const std::string given = argv[i];
        if (given.size() < 2 || given[0] != '-')
            throw OptionError(given + ": unexpected argument (disk images are given with -drive)");
        std::string opt = given;
        if (opt.size() > 2 && opt[1] == '-') opt.erase(0, 1);  // --help works like -help
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw OptionError(given + ": needs an argument");
            return argv[++i];
        };
        if (opt == "-h" || opt == "-help") {
            o.action = Action::kHelp;
            return o;
        } else if (opt == "-version") {
            o.action = Action::kVersion;
            return o;
        } else if (opt == "-M" || opt == "-machine") {
            parse_machine(o, given, value());
            if (o.action != Action::kRun) return o;
        } else if (opt == "-m") {
            o.ram_size = parse_ram_size(value());
        } else if (opt == "-smp") {
            o.harts = parse_smp(value());
        } else if (opt == "-bios") {
            const std::string v = value();
            if (v.empty()) fail(given, v, "empty file name");
            o.bios_kind = v == "none" ? BiosKind::kNone : v == "default" ? BiosKind::kDefault : BiosKind::kFile;
            o.bios = o.bios_kind == BiosKind::kFile ? v : "";
        } else if (opt == "-kernel" || opt == "-initrd" || opt == "-dtb") {
            const std::string v = value();
            if (v.empty()) fail(given, v, "empty file name");
            (opt == "-kernel" ? o.kernel : opt == "-initrd" ? o.initrd : o.dtb) = v;
        } else if (opt == "-append") {
            o.append = value();
        } else if (opt == "-nographic") {
            o.nographic = true;
        } else if (opt == "-display") {
            const std::string v = value();
            if (v != "none") fail(given, v, "unsupported display (Mimic has none: use -display none or -nographic)");
            o.display_none = true;
        } else if (opt == "-serial") {
            const std::string v = value();
            if (o.serials.size() == 4) fail(given, v, "too many serial ports (at most 4)");
            o.serials.push_back(parse_chardev(given, v, false));
            default_serial = false;
            if (o.serials.back().kind == CharDevKind::kMonStdio) default_monitor = false;  // it has the monitor
        } else if (opt == "-monitor") {
            const std::string v = value();
            o.monitor = parse_chardev(given, v, true);
            default_monitor = false;
        } else if (opt == "-nodefaults") {
            default_serial = default_monitor = false;
        } else if (opt == "-accel") {
            const std::string v = value();
            if (v == "help" || v == "?") {
                o.action = Action::kAccelHelp;
                return o;
            }
            o.accels.push_back(parse_accel(v));
        } else if (opt == "-enable-kvm") {
            o.accels.push_back({AccelKind::kKvm, Tier::kDefault});
        } else if (opt == "-cpu") {
            const std::string v = value();
            if (v == "help" || v == "?") {
                o.action = Action::kCpuHelp;
                return o;
            }
            if (v.find(',') != std::string::npos) fail(given, v, "CPU properties are not supported");
            if (v != "rv64" && v != "any" && v != "max") fail(given, v, "unsupported CPU model (-cpu help lists them)");
            o.cpu = v;
        } else if (opt == "-d") {
            o.log_items = value();
            if (o.log_items == "help" || o.log_items == "?") {
                o.action = Action::kLogHelp;
                return o;
            }
        } else if (opt == "-D") {
            o.log_file = value();
        } else if (opt == "-s") {
            o.gdb = "tcp::1234";
        } else if (opt == "-gdb") {
            o.gdb = value();
            if (o.gdb == "none") o.gdb.clear();
        } else if (opt == "-S") {
            o.start_stopped = true;
        } else if (opt == "-no-reboot") {
            o.no_reboot = true;
        } else if (opt == "-no-shutdown") {
            o.no_shutdown = true;
        } else if (opt == "-singlestep" || opt == "-one-insn-per-tb") {
            o.one_insn_per_tb = true;
        } else if (opt == "-perfmap") {
            o.perfmap = true;
        } else if (opt == "-snapshot") {
            o.snapshot = true;
        } else if (opt == "-drive") {
            o.devices.drives.push_back(parse_drive(value()));
        } else if (opt == "-netdev") {
            o.devices.netdevs.push_back(parse_netdev(value()));
        } else if (opt == "-chardev") {
            o.devices.chardevs.push_back(parse_chardev_option(value()));
        } else if (opt == "-device") {
            const std::string text = value();
            const DeviceSpec device = parse_device(text, o.devices);
            if (o.devices.device_help) {
                o.action = Action::kDeviceHelp;
                return o;
            }
            o.devices.devices.push_back(device);
        } else if (opt == "-global") {
            parse_global(value(), o.devices);
        } else if (opt == "-name") {
            value();  // the guest's name only labels windows and logs in QEMU
        } else {
            throw OptionError(given + ": unknown option (try -help)");
        }
    }
    if (o.kernel.empty()) {
        // QEMU's rules: these only make sense for a kernel the board loads.
        if (!o.append.empty()) throw OptionError("-append only allowed with -kernel option");
        if (!o.initrd.empty()) throw OptionError("-initrd only allowed with -kernel option");
        if (!o.dtb.empty()) throw OptionError("-dtb only allowed with -kernel option");
    }
    if (o.accels.empty()) o.accels.push_back({});
    resolve_char_devices(o, default_serial, default_monitor);
    resolve_device_options(o.devices, o.snapshot);
    return o;
}

std::string machine_list_help() {
    return "Supported machines are:\n"
           "spike                RISC-V Spike board (default)\n"
           "virt                 RISC-V VirtIO board\n";
}

std::string cpu_list_help() {
    return "Available CPUs:\n  rv64   RV64GC + Zba Zbb Zbs Sstc (aliases: any, max)\n";
}

std::string accel_list_help() {
    return "Accelerators supported in Mimic:\ntcg\nkvm\n";
}

std::string machine_usage(const std::string& binary) {
    return "usage: " + binary +
           " [options]\n"
           "Runs a RISC-V machine (Mimic system mode). Options have qemu-system-riscv64's names.\n\n"
           "  -h, -help                 print this help and exit\n"
           "  -version                  print the version and exit\n"
           "  -M, -machine NAME[,dumpdtb=FILE]\n"
           "                            board: virt or spike (default spike; -M help lists them)\n"
           "  -m SIZE                   RAM size in MiB, or with a K, M, G or T suffix (default 128M)\n"
           "  -smp N                    number of harts, 1 to " +
           std::to_string(kMaxHarts) +
           " (also -smp cpus=N)\n"
           "  -cpu MODEL                CPU model (-cpu help lists them)\n"
           "  -bios FILE|none|default   firmware (default: OpenSBI)\n"
           "  -kernel FILE              kernel: ELF, raw binary or Linux Image, optionally gzipped\n"
           "  -initrd FILE              initial RAM disk\n"
           "  -append ARGS              kernel command line\n"
           "  -dtb FILE                 use this device tree instead of the generated one\n"
           "  -nographic                serial port and monitor on the terminal (Ctrl-A h: help)\n"
           "  -display none             no display\n"
           "  -serial DEV               stdio, mon:stdio, null, none or file:PATH\n"
           "  -monitor DEV              stdio, null or none\n"
           "  -accel tcg[,tier=T][,threshold=N]|kvm\n"
           "                            accelerator; T is interp, baseline (templates), llvm\n"
           "                            (every block) or tiered (the default: baseline, and hot\n"
           "                            blocks, after N runs, go to LLVM)\n"
           "  -d ITEM[,...]             log items (-d help lists them)\n"
           "  -D FILE                   write the log to FILE instead of stderr\n"
           "  -s, -gdb DEV, -S          gdbstub on tcp::1234 / DEV; start stopped\n"
           "  -no-reboot, -no-shutdown  exit on reset; stay stopped after power-off\n"
           "  -one-insn-per-tb          translate one guest instruction per block (alias -singlestep)\n"
           "  -perfmap                  list generated code in /tmp/perf-<pid>.map for perf\n"
           "  -drive file=IMG,if=virtio,format=raw[,readonly=on][,snapshot=on]\n"
           "                            a virtio-blk disk on a raw image (if=none,id=ID: for -device)\n"
           "  -netdev user,id=ID[,hostfwd=tcp::HOSTPORT-:GUESTPORT]\n"
           "                            user-mode networking (NAT, from libslirp)\n"
           "  -chardev null|stdio|file,id=ID[,path=FILE]\n"
           "                            a character device for virtconsole\n"
           "  -device DRIVER[,PROP=VALUE...]\n"
           "                            add a device (-device help lists them)\n"
           "  -global virtio-mmio.force-legacy=on|off\n"
           "                            virtio-mmio version 1 (legacy) instead of version 2\n"
           "  -snapshot                 write to temporary copies of the disk images (in memory)\n";
}

}  // namespace mimic::machines
