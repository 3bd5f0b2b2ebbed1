// The virt device tree: read back with libfdt, and compared with QEMU 7.2's own tree through dtc.
#include <catch2/catch.hpp>

#include <libfdt.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "machines/riscv/virt_fdt.h"

using namespace mimic::machines;

namespace {

struct Tree {
    std::vector<uint8_t> blob;
    explicit Tree(const VirtFdtConfig& c) : blob(build_virt_fdt(c)) { REQUIRE(fdt_check_header(blob.data()) == 0); }

    int node(const std::string& path) const {
        const int off = fdt_path_offset(blob.data(), path.c_str());
        INFO(path);
        REQUIRE(off >= 0);
        return off;
    }
    bool has(const std::string& path, const char* prop = nullptr) const {
        const int off = fdt_path_offset(blob.data(), path.c_str());
        if (off < 0) return false;
        return !prop || fdt_getprop(blob.data(), off, prop, nullptr) != nullptr;
    }
    std::vector<uint32_t> cells(const std::string& path, const char* prop) const {
        int len = 0;
        const auto* p = static_cast<const fdt32_t*>(fdt_getprop(blob.data(), node(path), prop, &len));
        INFO(path << " " << prop);
        REQUIRE(p != nullptr);
        std::vector<uint32_t> out;
        for (int i = 0; i < len / 4; ++i) out.push_back(fdt32_to_cpu(p[i]));
        return out;
    }
    // A string-list property, as its strings.
    std::vector<std::string> strings(const std::string& path, const char* prop) const {
        int len = 0;
        const char* p = static_cast<const char*>(fdt_getprop(blob.data(), node(path), prop, &len));
        INFO(path << " " << prop);
        REQUIRE(p != nullptr);
        std::vector<std::string> out;
        for (int at = 0; at < len; at += int(out.back().size()) + 1) out.emplace_back(p + at);
        return out;
    }
    std::string str(const std::string& path, const char* prop) const { return strings(path, prop).at(0); }
    uint32_t cell(const std::string& path, const char* prop) const { return cells(path, prop).at(0); }
    std::vector<std::string> children(const std::string& path) const {
        std::vector<std::string> out;
        int child;
        fdt_for_each_subnode(child, blob.data(), node(path))
            out.emplace_back(fdt_get_name(blob.data(), child, nullptr));
        return out;
    }
};

bool have_dtc() {
    return access("/usr/bin/dtc", X_OK) == 0;
}

std::string dtc_decompile(const std::vector<uint8_t>& blob) {
    char tmpl[] = "/tmp/mimic-fdt-XXXXXX";
    const int fd = mkstemp(tmpl);
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, blob.data(), blob.size()) == ssize_t(blob.size()));
    close(fd);
    const std::string dts = std::string(tmpl) + ".dts";
    const int rc = std::system(("dtc -q -I dtb -O dts -o " + dts + " " + tmpl).c_str());
    std::remove(tmpl);
    std::ifstream in(dts);
    std::stringstream text;
    text << in.rdbuf();
    std::remove(dts.c_str());
    CHECK(rc == 0);
    return text.str();
}

}  // namespace

TEST_CASE("the virt tree has QEMU's harts, memory and interrupt controllers", "[machines][fdt]") {
    VirtFdtConfig c = qemu_virt_fdt_config(2, uint64_t(4) << 30);
    const Tree t(c);
    CHECK(fdt_totalsize(t.blob.data()) == t.blob.size());
    CHECK(fdt_version(t.blob.data()) == 17);
    CHECK(t.str("/", "compatible") == "riscv-virtio");
    CHECK(t.str("/", "model") == "riscv-virtio,qemu");
    CHECK(t.cells("/", "#address-cells") == std::vector<uint32_t>{2});

    CHECK(t.cell("/cpus", "timebase-frequency") == 10000000);
    CHECK(t.cell("/cpus", "#address-cells") == 1);
    CHECK(t.cell("/cpus", "#size-cells") == 0);
    for (unsigned h = 0; h < 2; ++h) {
        const std::string cpu = "/cpus/cpu@" + std::to_string(h);
        CHECK(t.cell(cpu, "reg") == h);
        CHECK(t.str(cpu, "device_type") == "cpu");
        CHECK(t.str(cpu, "status") == "okay");
        CHECK(t.str(cpu, "compatible") == "riscv");
        CHECK(t.str(cpu, "riscv,isa") == "rv64imafdc_zicsr_zifencei_zba_zbb_zbs_sstc");
        CHECK(t.str(cpu, "mmu-type") == "riscv,sv48");
        CHECK(t.str(cpu + "/interrupt-controller", "compatible") == "riscv,cpu-intc");
        CHECK(t.cell(cpu + "/interrupt-controller", "#interrupt-cells") == 1);
        CHECK(t.has(cpu + "/interrupt-controller", "interrupt-controller"));
    }
    // QEMU numbers phandles from the last hart down: cpu@1 = 1, its intc = 2, cpu@0 = 3, intc = 4.
    CHECK(t.cell("/cpus/cpu@1", "phandle") == 1);
    CHECK(t.cell("/cpus/cpu@1/interrupt-controller", "phandle") == 2);
    CHECK(t.cell("/cpus/cpu@0", "phandle") == 3);
    CHECK(t.cell("/cpus/cpu@0/interrupt-controller", "phandle") == 4);
    CHECK(t.cell("/cpus/cpu-map/cluster0/core0", "cpu") == 3);
    CHECK(t.cell("/cpus/cpu-map/cluster0/core1", "cpu") == 1);

    CHECK(t.str("/memory@80000000", "device_type") == "memory");
    CHECK(t.cells("/memory@80000000", "reg") == std::vector<uint32_t>{0, 0x80000000, 1, 0});

    CHECK(t.str("/soc", "compatible") == "simple-bus");
    CHECK(t.has("/soc", "ranges"));
    CHECK(t.strings("/soc/clint@2000000", "compatible") == std::vector<std::string>{"sifive,clint0", "riscv,clint0"});
    CHECK(t.cells("/soc/clint@2000000", "reg") == std::vector<uint32_t>{0, 0x2000000, 0, 0x10000});
    CHECK(t.cells("/soc/clint@2000000", "interrupts-extended") == std::vector<uint32_t>{4, 3, 4, 7, 2, 3, 2, 7});
    const std::string plic = "/soc/plic@c000000";
    CHECK(t.strings(plic, "compatible") == std::vector<std::string>{"sifive,plic-1.0.0", "riscv,plic0"});
    CHECK(t.cell(plic, "phandle") == 5);
    CHECK(t.cell(plic, "riscv,ndev") == 96);
    CHECK(t.cells(plic, "reg") == std::vector<uint32_t>{0, 0xc000000, 0, 0x600000});
    CHECK(t.cells(plic, "interrupts-extended") == std::vector<uint32_t>{4, 11, 4, 9, 2, 11, 2, 9});
    CHECK(t.has(plic, "interrupt-controller"));
    CHECK(t.cell(plic, "#interrupt-cells") == 1);
    CHECK(t.cell(plic, "#address-cells") == 0);
}

TEST_CASE("the virt tree has QEMU's devices and their interrupts", "[machines][fdt]") {
    const Tree t(qemu_virt_fdt_config(1, 128 << 20));
    const uint32_t plic = 3;  // after one hart's cpu and intc
    CHECK(t.str("/soc/serial@10000000", "compatible") == "ns16550a");
    CHECK(t.cell("/soc/serial@10000000", "clock-frequency") == 3686400);
    CHECK(t.cell("/soc/serial@10000000", "interrupts") == 10);
    CHECK(t.cell("/soc/serial@10000000", "interrupt-parent") == plic);
    CHECK(t.cells("/soc/serial@10000000", "reg") == std::vector<uint32_t>{0, 0x10000000, 0, 0x100});

    CHECK(t.strings("/soc/test@100000", "compatible") ==
          std::vector<std::string>{"sifive,test1", "sifive,test0", "syscon"});
    const uint32_t test = t.cell("/soc/test@100000", "phandle");
    CHECK(test == 4);
    CHECK(t.str("/poweroff", "compatible") == "syscon-poweroff");
    CHECK(t.cell("/poweroff", "regmap") == test);
    CHECK(t.cell("/poweroff", "offset") == 0);
    CHECK(t.cell("/poweroff", "value") == 0x5555);
    CHECK(t.str("/reboot", "compatible") == "syscon-reboot");
    CHECK(t.cell("/reboot", "regmap") == test);
    CHECK(t.cell("/reboot", "value") == 0x7777);

    CHECK(t.str("/soc/rtc@101000", "compatible") == "google,goldfish-rtc");
    CHECK(t.cell("/soc/rtc@101000", "interrupts") == 11);
    CHECK(t.cell("/soc/rtc@101000", "interrupt-parent") == plic);

    // Eight virtio-mmio slots, listed from the highest address down as in QEMU's tree.
    std::vector<std::string> virtio;
    for (const std::string& name : t.children("/soc"))
        if (name.rfind("virtio_mmio@", 0) == 0) virtio.push_back(name);
    REQUIRE(virtio.size() == 8);
    for (int i = 0; i < 8; ++i) {
        char expected[32];
        std::snprintf(expected, sizeof expected, "virtio_mmio@%x", 0x10008000 - 0x1000 * i);
        CHECK(virtio[size_t(i)] == expected);
        const std::string path = "/soc/" + virtio[size_t(i)];
        CHECK(t.str(path, "compatible") == "virtio,mmio");
        CHECK(t.cell(path, "interrupts") == uint32_t(8 - i));
        CHECK(t.cell(path, "interrupt-parent") == plic);
        CHECK(t.cells(path, "reg") == std::vector<uint32_t>{0, uint32_t(0x10008000 - 0x1000 * i), 0, 0x1000});
    }
}

TEST_CASE("/chosen carries the console, command line and initrd", "[machines][fdt]") {
    VirtFdtConfig c = qemu_virt_fdt_config(1, 128 << 20);
    c.virtio_mmio.clear();
    c.rtc.reset();
    {
        const Tree t(c);
        CHECK(t.str("/chosen", "stdout-path") == "/soc/serial@10000000");
        CHECK_FALSE(t.has("/chosen", "bootargs"));
        CHECK_FALSE(t.has("/chosen", "linux,initrd-start"));
        CHECK_FALSE(t.has("/chosen", "rng-seed"));
        CHECK_FALSE(t.has("/soc/rtc@101000"));
        CHECK_FALSE(t.has("/soc/virtio_mmio@10001000"));
    }
    c.bootargs = "console=ttyS0 earlycon";
    c.initrd = FdtRegion{0x84000000, 0x186a0};
    c.rng_seed = std::vector<uint8_t>(32, 0xab);
    {
        const Tree t(c);
        CHECK(t.str("/chosen", "bootargs") == "console=ttyS0 earlycon");
        // QEMU 7.2 writes one cell each.
        CHECK(t.cells("/chosen", "linux,initrd-start") == std::vector<uint32_t>{0x84000000});
        CHECK(t.cells("/chosen", "linux,initrd-end") == std::vector<uint32_t>{0x840186a0});
        CHECK(t.cells("/chosen", "rng-seed").size() == 8);
    }
    c.ram = FdtRegion{0x80000000, uint64_t(16) << 30};
    c.initrd = FdtRegion{0x100000000, 0x1000};
    {
        const Tree t(c);  // above 4 GiB: two cells, or the address would be cut
        CHECK(t.cells("/chosen", "linux,initrd-start") == std::vector<uint32_t>{1, 0});
        CHECK(t.cells("/chosen", "linux,initrd-end") == std::vector<uint32_t>{1, 0x1000});
    }
}

TEST_CASE("impossible descriptions are errors", "[machines][fdt]") {
    VirtFdtConfig c = qemu_virt_fdt_config(0, 128 << 20);
    CHECK_THROWS_WITH(build_virt_fdt(c), "device tree: bad number of harts");
    c = qemu_virt_fdt_config(1, 0);
    CHECK_THROWS_WITH(build_virt_fdt(c), "device tree: no RAM");
    c = qemu_virt_fdt_config(1, 128 << 20);
    c.virtio_mmio[0].irq = 0;
    CHECK_THROWS_WITH(build_virt_fdt(c), "device tree: virtio-mmio IRQ 0 is not a PLIC source (1..96)");
    c = qemu_virt_fdt_config(1, 128 << 20);
    c.uart.irq = 97;
    CHECK_THROWS_WITH(build_virt_fdt(c), "device tree: serial IRQ 97 is not a PLIC source (1..96)");
}

TEST_CASE("many harts still make a valid tree", "[machines][fdt]") {
    const Tree t(qemu_virt_fdt_config(8, 1 << 30));
    CHECK(t.children("/cpus").size() == 9);  // 8 cpus and cpu-map
    CHECK(t.cells("/soc/plic@c000000", "interrupts-extended").size() == 8 * 4);
    CHECK(t.cell("/soc/plic@c000000", "phandle") == 17);
    CHECK(t.cell("/cpus/cpu@7", "phandle") == 1);
}

TEST_CASE("dtc reads the tree as QEMU 7.2's, less the devices Mimic lacks", "[machines][fdt]") {
    if (!have_dtc()) {
        WARN("dtc not installed (Debian: device-tree-compiler): comparison skipped");
        return;
    }
    // data/qemu72_virt_2harts_256m.dts: `qemu-system-riscv64 -M virt,dumpdtb=... -smp 2 -m 256M
    // -append "console=ttyS0 earlycon"` through dtc, without the pmu, fw-cfg, flash, platform-bus
    // and pci nodes and /chosen/rng-seed.
    VirtFdtConfig c = qemu_virt_fdt_config(2, 256 << 20);
    c.isa = "rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc";  // QEMU's default CPU
    c.bootargs = "console=ttyS0 earlycon";
    const std::string ours = dtc_decompile(build_virt_fdt(c));
    std::string golden_path = __FILE__;
    golden_path = golden_path.substr(0, golden_path.rfind('/')) + "/data/qemu72_virt_2harts_256m.dts";
    std::ifstream in(golden_path);
    REQUIRE(in.good());
    std::stringstream golden;
    golden << in.rdbuf();
    CHECK(ours == golden.str());
}
