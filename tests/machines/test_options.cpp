// System-mode command lines: qemu-system-riscv64's options, defaults and one-line errors.
#include <catch2/catch.hpp>

#include "machines/common/options.h"

using namespace mimic::machines;

namespace {

MachineOptions parse(std::vector<const char*> args) {
    args.insert(args.begin(), "mimic-system-riscv64");
    return parse_machine_options(int(args.size()), args.data());
}

std::string error_of(std::vector<const char*> args) {
    try {
        parse(std::move(args));
    } catch (const OptionError& e) {
        const std::string msg = e.what();
        CHECK(msg.find('\n') == std::string::npos);
        return msg;
    }
    return "parsed";
}

}  // namespace

TEST_CASE("a typical QEMU command line is understood", "[machines][options]") {
    const MachineOptions o =
        parse({"-M", "virt", "-m", "1G", "-smp", "2", "-nographic", "-bios", "fw.bin", "-kernel", "Image", "-initrd",
               "rootfs.cpio", "-append", "console=ttyS0 root=/dev/ram", "-d", "in_asm,int", "-D", "log.txt"});
    CHECK(o.action == MachineOptions::Action::kRun);
    CHECK(o.machine == "virt");
    CHECK(o.ram_size == uint64_t(1) << 30);
    CHECK(o.harts == 2);
    CHECK(o.bios_kind == BiosKind::kFile);
    CHECK(o.bios == "fw.bin");
    CHECK(o.kernel == "Image");
    CHECK(o.initrd == "rootfs.cpio");
    CHECK(o.append == "console=ttyS0 root=/dev/ram");
    CHECK(o.log_items == "in_asm,int");
    CHECK(o.log_file == "log.txt");
    REQUIRE(o.serials.size() == 1);
    CHECK(o.serials[0].kind == CharDevKind::kMonStdio);  // -nographic: serial and monitor share stdio
    CHECK(o.monitor.kind == CharDevKind::kNone);
    REQUIRE(o.accels.size() == 1);
    CHECK(o.accels[0].kind == AccelKind::kTcg);
    CHECK(o.accels[0].tier == Tier::kDefault);
}

TEST_CASE("defaults are QEMU's", "[machines][options]") {
    const MachineOptions o = parse({});
    CHECK(o.machine == "spike");
    CHECK(o.ram_size == 128u << 20);
    CHECK(o.harts == 1);
    CHECK(o.bios_kind == BiosKind::kDefault);
    CHECK(o.cpu == "rv64");
    CHECK_FALSE(o.start_stopped);
    CHECK(o.gdb.empty());
}

TEST_CASE("both -opt and --opt spellings work", "[machines][options]") {
    const MachineOptions o = parse({"--machine", "virt", "--m", "256", "--smp", "cpus=3", "--nographic"});
    CHECK(o.machine == "virt");
    CHECK(o.ram_size == 256u << 20);
    CHECK(o.harts == 3);
    CHECK(parse({"--help"}).action == MachineOptions::Action::kHelp);
    CHECK(parse({"-h"}).action == MachineOptions::Action::kHelp);
    CHECK(parse({"-version"}).action == MachineOptions::Action::kVersion);
    CHECK(parse({"--version"}).action == MachineOptions::Action::kVersion);
}

TEST_CASE("option -m takes QEMU's sizes", "[machines][options]") {
    CHECK(parse_ram_size("100") == 100u << 20);  // MiB by default
    CHECK(parse_ram_size("512M") == 512u << 20);
    CHECK(parse_ram_size("2g") == uint64_t(2) << 30);
    CHECK(parse_ram_size("1.5G") == uint64_t(3) << 29);
    CHECK(parse_ram_size("1000K") == 1000u << 10);
    CHECK(parse_ram_size("1000000B") == 0xf6000);  // rounded up to 8 KiB, as QEMU does
    CHECK(parse_ram_size("size=256M") == 256u << 20);
    CHECK(parse_ram_size("1T") == uint64_t(1) << 40);
    CHECK_THROWS_WITH(parse_ram_size("0"), "-m 0: the RAM size must not be zero");
    CHECK_THROWS_WITH(parse_ram_size("2T"), "-m 2T: RAM size too large (at most 1T)");
    CHECK_THROWS_WITH(parse_ram_size("99999999999999999999999G"), Catch::StartsWith("-m 99999999999999999999999G: "));
    CHECK_THROWS_WITH(parse_ram_size("1Q"), Catch::StartsWith("-m 1Q: invalid size"));
    CHECK_THROWS_WITH(parse_ram_size("0.5"), Catch::StartsWith("-m 0.5: invalid size"));  // fractions need a unit
    CHECK_THROWS_WITH(parse_ram_size(""), Catch::StartsWith("-m '': invalid size"));
    CHECK_THROWS_WITH(parse_ram_size("G"), Catch::StartsWith("-m G: invalid size"));
    CHECK_THROWS_WITH(parse_ram_size("1G,slots=2"), Catch::StartsWith("-m 1G,slots=2: only the size"));
    CHECK(error_of({"-m"}) == "-m: needs an argument");
}

TEST_CASE("option -smp takes a count or cpus=N, up to the maximum", "[machines][options]") {
    CHECK(parse({"-smp", "4"}).harts == 4);
    CHECK(parse({"-smp", "cpus=8"}).harts == 8);
    CHECK(parse({"-smp", "2,sockets=1,cores=2,threads=1"}).harts == 2);
    CHECK(parse({"-smp", "cores=4"}).harts == 4);
    CHECK(parse({"-smp", "4,maxcpus=4"}).harts == 4);
    CHECK(error_of({"-smp", "9"}) == "-smp 9: at most 8 CPUs are supported");
    CHECK(error_of({"-smp", "0"}) == "-smp 0: '0' is not a positive number of CPUs");
    CHECK(error_of({"-smp", "two"}) == "-smp two: 'two' is not a positive number of CPUs");
    CHECK(error_of({"-smp", "cores=100,sockets=100"}) == "-smp cores=100,sockets=100: at most 8 CPUs are supported");
    CHECK(error_of({"-smp", "4,cores=2"}) == "-smp 4,cores=2: the topology does not multiply to the number of CPUs");
    CHECK(error_of({"-smp", "2,maxcpus=4"}) == "-smp 2,maxcpus=4: maxcpus must equal cpus (no CPU hotplug)");
    CHECK(error_of({"-smp", "2,frob=1"}) == "-smp 2,frob=1: unknown parameter 'frob'");
}

TEST_CASE("option -M names a board, -M help lists them", "[machines][options]") {
    CHECK(parse({"-M", "spike"}).machine == "spike");
    CHECK(parse({"-machine", "type=virt"}).machine == "virt");
    CHECK(parse({"-M", "virt,dumpdtb=out.dtb"}).dumpdtb == "out.dtb");
    CHECK(parse({"-M", "virt,aclint=off,aia=none"}).machine == "virt");
    const MachineOptions kvm = parse({"-M", "virt,accel=kvm"});
    CHECK(kvm.accels.at(0).kind == AccelKind::kKvm);
    CHECK(parse({"-M", "help"}).action == MachineOptions::Action::kMachineHelp);
    CHECK(machine_list_help().find("virt ") != std::string::npos);
    CHECK(error_of({"-M", "sifive_u"}) == "-M sifive_u: unsupported machine type 'sifive_u' (-M help lists them)");
    CHECK(error_of({"-machine", "virt,foo=bar"}) == "-machine virt,foo=bar: unsupported machine property 'foo=bar'");
    CHECK(error_of({"-M", "virt,aia=aplic"}) == "-M virt,aia=aplic: unsupported machine property 'aia=aplic'");
}

TEST_CASE("option -bios, -kernel, -initrd, -append and -dtb", "[machines][options]") {
    CHECK(parse({"-bios", "none"}).bios_kind == BiosKind::kNone);
    CHECK(parse({"-bios", "default"}).bios_kind == BiosKind::kDefault);
    const MachineOptions o = parse({"-kernel", "k.elf", "-dtb", "board.dtb"});
    CHECK(o.dtb == "board.dtb");
    CHECK(error_of({"-append", "x"}) == "-append only allowed with -kernel option");
    CHECK(error_of({"-initrd", "r"}) == "-initrd only allowed with -kernel option");
    CHECK(error_of({"-dtb", "d"}) == "-dtb only allowed with -kernel option");
    CHECK(error_of({"-kernel", ""}) == "-kernel '': empty file name");
}

TEST_CASE("serial and monitor devices resolve as in QEMU", "[machines][options]") {
    SECTION("-serial stdio under -nographic puts the monitor on stdio too: a conflict, as in QEMU") {
        CHECK(error_of({"-nographic", "-serial", "stdio"}) ==
              "-monitor stdio: cannot use stdio by multiple character devices");
    }
    SECTION("-nographic -serial mon:stdio") {
        const MachineOptions o = parse({"-nographic", "-serial", "mon:stdio"});
        CHECK(o.serials.at(0).kind == CharDevKind::kMonStdio);
        CHECK(o.monitor.kind == CharDevKind::kNone);
    }
    SECTION("-nographic -monitor none leaves the serial port alone on stdio (no Ctrl-A)") {
        const MachineOptions o = parse({"-nographic", "-monitor", "none"});
        CHECK(o.serials.at(0).kind == CharDevKind::kStdio);
    }
    SECTION("-nographic -serial file: the monitor gets stdio") {
        const MachineOptions o = parse({"-nographic", "-serial", "file:/tmp/out.txt"});
        CHECK(o.serials.at(0).kind == CharDevKind::kFile);
        CHECK(o.serials.at(0).path == "/tmp/out.txt");
        CHECK(o.monitor.kind == CharDevKind::kStdio);
    }
    SECTION("-display none: defaults go nowhere") {
        const MachineOptions o = parse({"-display", "none"});
        CHECK(o.serials.at(0).kind == CharDevKind::kNull);
        CHECK(o.monitor.kind == CharDevKind::kNone);
    }
    SECTION("-display none -serial stdio") {
        const MachineOptions o = parse({"-display", "none", "-serial", "stdio"});
        CHECK(o.serials.at(0).kind == CharDevKind::kStdio);
        CHECK(o.monitor.kind == CharDevKind::kNone);
    }
    SECTION("no display options: Mimic has no window, so the terminal shows what it would") {
        CHECK(parse({}).serials.at(0).kind == CharDevKind::kMonStdio);
        const MachineOptions o = parse({"-serial", "stdio"});
        CHECK(o.serials.at(0).kind == CharDevKind::kStdio);
        CHECK(o.monitor.kind == CharDevKind::kNone);
        const MachineOptions m = parse({"-monitor", "stdio"});
        CHECK(m.serials.at(0).kind == CharDevKind::kNull);
        CHECK(m.monitor.kind == CharDevKind::kStdio);
    }
    SECTION("null, none and several ports") {
        const MachineOptions o = parse({"-serial", "null", "-serial", "none", "-monitor", "null"});
        REQUIRE(o.serials.size() == 2);
        CHECK(o.serials[0].kind == CharDevKind::kNull);
        CHECK(o.serials[1].kind == CharDevKind::kNone);
        CHECK(o.monitor.kind == CharDevKind::kNull);
    }
    SECTION("-nodefaults: nothing unless asked") {
        const MachineOptions o = parse({"-nodefaults", "-nographic"});
        CHECK(o.serials.empty());
        CHECK(o.monitor.kind == CharDevKind::kNone);
    }
    SECTION("errors") {
        CHECK(error_of({"-serial", "tcp:1234"}) ==
              "-serial tcp:1234: unsupported character device (stdio, mon:stdio, null, none or file:PATH)");
        CHECK(error_of({"-serial", "file:"}) ==
              "-serial file:: unsupported character device (stdio, mon:stdio, null, none or file:PATH)");
        CHECK(error_of({"-monitor", "telnet::4444"}) ==
              "-monitor telnet::4444: unsupported monitor device (stdio, null or none)");
        CHECK(error_of({"-serial", "stdio", "-monitor", "stdio"}) ==
              "-monitor stdio: cannot use stdio by multiple character devices");
        CHECK(error_of({"-serial", "null", "-serial", "null", "-serial", "null", "-serial", "null", "-serial",
                        "null"}) == "-serial null: too many serial ports (at most 4)");
        CHECK(error_of({"-display", "gtk"}) ==
              "-display gtk: unsupported display (Mimic has none: use -display none or -nographic)");
    }
}

TEST_CASE("option -accel chooses the accelerator and the tier", "[machines][options]") {
    CHECK(parse({"-accel", "tcg,tier=interp"}).accels.at(0).tier == Tier::kInterp);
    CHECK(parse({"-accel", "tcg,tier=llvm"}).accels.at(0).tier == Tier::kLlvm);
    CHECK(parse({"-accel", "tcg,tier=tiered,thread=multi"}).accels.at(0).tier == Tier::kTiered);
    const MachineOptions o = parse({"-accel", "kvm", "-accel", "tcg"});
    REQUIRE(o.accels.size() == 2);  // QEMU tries them in order
    CHECK(o.accels[0].kind == AccelKind::kKvm);
    CHECK(o.accels[1].kind == AccelKind::kTcg);
    CHECK(parse({"-enable-kvm"}).accels.at(0).kind == AccelKind::kKvm);
    CHECK(parse({"-accel", "help"}).action == MachineOptions::Action::kAccelHelp);
    CHECK(error_of({"-accel", "hvf"}) == "-accel hvf: unknown accelerator (tcg or kvm; -accel help)");
    CHECK(error_of({"-accel", "tcg,tier=jit"}) ==
          "-accel tcg,tier=jit: unknown tier 'jit' (interp, baseline, llvm or tiered)");
    CHECK(error_of({"-accel", "kvm,tier=llvm"}) == "-accel kvm,tier=llvm: unsupported property 'tier'");
}

TEST_CASE("option -cpu, -d and the other flags", "[machines][options]") {
    CHECK(parse({"-cpu", "help"}).action == MachineOptions::Action::kCpuHelp);
    CHECK(parse({"-cpu", "any"}).cpu == "any");
    CHECK(error_of({"-cpu", "sifive-u54"}) == "-cpu sifive-u54: unsupported CPU model (-cpu help lists them)");
    CHECK(error_of({"-cpu", "rv64,h=false"}) == "-cpu rv64,h=false: CPU properties are not supported");
    CHECK(parse({"-d", "help"}).action == MachineOptions::Action::kLogHelp);

    const MachineOptions o = parse({"-s", "-S", "-no-reboot", "-no-shutdown", "-singlestep", "-snapshot"});
    CHECK(o.gdb == "tcp::1234");
    CHECK(o.start_stopped);
    CHECK(o.no_reboot);
    CHECK(o.no_shutdown);
    CHECK(o.one_insn_per_tb);
    CHECK(o.snapshot);
    CHECK(parse({"-gdb", "tcp::4321"}).gdb == "tcp::4321");
    CHECK(parse({"-one-insn-per-tb"}).one_insn_per_tb);
}

TEST_CASE("options -drive -netdev -chardev and -device describe virtio devices and their backends",
          "[machines][options]") {
    const MachineOptions o = parse(
        {"-drive", "file=disk.img,if=none,format=raw,id=hd0", "-device", "virtio-blk-device,drive=hd0,serial=abc",
         "-netdev", "user,id=n0,hostfwd=tcp::2222-:22,hostfwd=udp:127.0.0.1:5353-10.0.2.15:53", "-device",
         "virtio-net-device,netdev=n0,mac=52:54:00:aa:bb:cc", "-chardev", "file,id=c0,path=out.txt", "-device",
         "virtio-serial-device", "-device", "virtconsole,chardev=c0", "-drive", "file=ro.img,if=virtio,readonly=on"});
    const DeviceOptions& d = o.devices;
    REQUIRE(d.drives.size() == 2);
    CHECK(d.drives[0].file == "disk.img");
    CHECK(!d.drives[0].virtio);
    CHECK(d.drives[0].format_given);
    CHECK(!d.drives[0].read_only);
    CHECK(d.drives[1].virtio);
    CHECK(d.drives[1].read_only);
    REQUIRE(d.netdevs.size() == 1);
    REQUIRE(d.netdevs[0].forwards.size() == 2);
    const HostForward& tcp = d.netdevs[0].forwards[0];
    CHECK(
        (!tcp.udp && tcp.host_addr.empty() && tcp.host_port == 2222 && tcp.guest_addr.empty() && tcp.guest_port == 22));
    const HostForward& udp = d.netdevs[0].forwards[1];
    CHECK((udp.udp && udp.host_addr == "127.0.0.1" && udp.host_port == 5353 && udp.guest_addr == "10.0.2.15" &&
           udp.guest_port == 53));
    REQUIRE(d.devices.size() == 4);
    CHECK(d.devices[0].kind == DeviceKind::kVirtioBlk);
    CHECK(d.devices[0].drive == "hd0");
    CHECK(d.devices[0].serial == "abc");
    CHECK(d.devices[1].kind == DeviceKind::kVirtioNet);
    CHECK(d.devices[1].mac == std::array<uint8_t, 6>{0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc});
    CHECK(d.devices[3].kind == DeviceKind::kVirtconsole);
    REQUIRE(d.chardevs.size() == 1);
    CHECK(d.chardevs[0].backend.kind == CharDevKind::kFile);
    CHECK(d.chardevs[0].backend.path == "out.txt");
    CHECK(!d.virtio_mmio_legacy);
    CHECK(parse({"-global", "virtio-mmio.force-legacy=true"}).devices.virtio_mmio_legacy);
}

TEST_CASE("option -snapshot makes every drive a snapshot and snapshot=on one", "[machines][options]") {
    CHECK(parse({"-drive", "file=a.img,if=virtio,snapshot=on"}).devices.drives[0].snapshot);
    CHECK(!parse({"-drive", "file=a.img,if=virtio"}).devices.drives[0].snapshot);
    CHECK(parse({"-snapshot", "-drive", "file=a.img,if=virtio"}).devices.drives[0].snapshot);
    CHECK(parse({"-drive", "file=a.img,if=virtio", "-snapshot"}).devices.drives[0].snapshot);
}

TEST_CASE("device options that cannot work are one-line errors", "[machines][options]") {
    CHECK(error_of({"-drive", "file=a.img,if=virtio,format=qcow2"}) ==
          "-drive file=a.img,if=virtio,format=qcow2: format qcow2 is not supported (raw only)");
    CHECK(error_of({"-drive", "if=virtio"}) == "-drive if=virtio: needs file=IMAGE");
    CHECK(error_of({"-drive", "file=a.img,if=ide"}) ==
          "-drive file=a.img,if=ide: if=ide is not supported on Mimic's boards (virtio or none)");
    CHECK(error_of({"-drive", "file=a.img,if=virtio,readonly=maybe"}) ==
          "-drive file=a.img,if=virtio,readonly=maybe: readonly must be on or off");
    CHECK(error_of({"-drive", "file=a.img,if=none,id=d0"}) ==
          "-drive file=a.img,if=none,id=d0: no device uses it (add -device virtio-blk-device,drive=d0)");
    CHECK(error_of({"-device", "virtio-blk-device,drive=d9"}) ==
          "-device virtio-blk-device,drive=d9: no drive with id 'd9'");
    CHECK(error_of({"-drive", "file=a.img,if=none,id=d0", "-device", "virtio-blk-device,drive=d0", "-device",
                    "virtio-blk-device,drive=d0"}) ==
          "-device virtio-blk-device,drive=d0: drive 'd0' is already in use");
    CHECK(error_of({"-netdev", "tap,id=n0"}) == "-netdev tap,id=n0: only user-mode networking (user) is supported");
    CHECK(error_of({"-netdev", "user,id=n0,hostfwd=tcp::99999-:22"}) ==
          "-netdev user,id=n0,hostfwd=tcp::99999-:22: '99999' is not a port number");
    CHECK(error_of({"-netdev", "user,id=n0,hostfwd=sctp::1-:2"}) ==
          "-netdev user,id=n0,hostfwd=sctp::1-:2: hostfwd=sctp::1-:2: the protocol is tcp or udp");
    CHECK(error_of({"-netdev", "user,id=n0,hostfwd=tcp:1.2.3:1-:2"}) ==
          "-netdev user,id=n0,hostfwd=tcp:1.2.3:1-:2: '1.2.3' is not an IPv4 address");
    CHECK(error_of({"-netdev", "user"}) == "-netdev user: needs id=ID");
    CHECK(error_of({"-device", "virtio-net-device,netdev=n0,mac=01:00:00:00:00:01", "-netdev", "user,id=n0"}) ==
          "-device virtio-net-device,netdev=n0,mac=01:00:00:00:00:01: mac=01:00:00:00:00:01 is not a unicast MAC "
          "address");
    CHECK(error_of({"-device", "virtio-blk-pci"}) ==
          "-device virtio-blk-pci: Mimic's virt board has no PCI bus; use the virtio-mmio form (virtio-blk-device)");
    CHECK(error_of({"-device", "e1000"}) == "-device e1000: unknown device 'e1000' (-device help lists them)");
    CHECK(error_of({"-chardev", "file,id=c0", "-device", "virtio-serial-device"}) ==
          "-chardev file,id=c0: file needs path=FILE");
    CHECK(error_of({"-chardev", "null,id=c0", "-device", "virtconsole,chardev=c0"}) ==
          "-device virtconsole,chardev=c0: needs a virtio-serial-device before it (Mimic's has one port each)");
    CHECK(error_of({"-nographic", "-chardev", "stdio,id=c0"}) ==
          "-chardev stdio,id=c0: cannot use stdio by multiple character devices");
    CHECK(error_of({"-global", "virtio-mmio.bogus=1"}) ==
          "-global virtio-mmio.bogus=1: unsupported property (virtio-mmio.force-legacy only)");
    CHECK(parse({"-device", "help"}).action == MachineOptions::Action::kDeviceHelp);
}

TEST_CASE("unknown options and stray arguments are one-line errors", "[machines][options]") {
    CHECK(error_of({"-frobnicate"}) == "-frobnicate: unknown option (try -help)");
    CHECK(error_of({"--frobnicate"}) == "--frobnicate: unknown option (try -help)");
    CHECK(error_of({"disk.img"}) == "disk.img: unexpected argument (disk images are given with -drive)");
    CHECK(error_of({"-kernel"}) == "-kernel: needs an argument");
    CHECK(machine_usage("mimic-system-riscv64").rfind("usage: mimic-system-riscv64 [options]", 0) == 0);
}
