// The virt board's device tree, written with libfdt's sequential-write API in the order in which
// QEMU's tree lists its nodes (QEMU inserts each node first, so its creation order is reversed).
#include "machines/riscv/virt_fdt.h"

#include <libfdt.h>

#include <cstdio>
#include <initializer_list>

namespace mimic::machines {
namespace {

struct NoSpace {};

// Thin wrapper over the sequential-write calls: every error is an exception.
class Writer {
public:
    explicit Writer(std::vector<uint8_t>& buf) : buf_(buf) { check(fdt_create(fdt(), int(buf_.size())), "create"); }

    void begin(const std::string& name) { check(fdt_begin_node(fdt(), name.c_str()), name.c_str()); }
    void end() { check(fdt_end_node(fdt()), "end node"); }
    void str(const char* name, const std::string& value) {
        check(fdt_property_string(fdt(), name, value.c_str()), name);
    }
    // A list of strings ("a\0b\0").
    void strs(const char* name, std::initializer_list<const char*> values) {
        std::string all;
        for (const char* v : values) all.append(v).push_back('\0');
        bytes(name, all.data(), all.size());
    }
    void cells(const char* name, std::initializer_list<uint32_t> values) { cells(name, std::vector<uint32_t>(values)); }
    void cells(const char* name, const std::vector<uint32_t>& values) {
        std::vector<fdt32_t> be;
        for (uint32_t v : values) be.push_back(cpu_to_fdt32(v));
        bytes(name, be.data(), be.size() * sizeof(fdt32_t));
    }
    void empty(const char* name) { bytes(name, nullptr, 0); }
    void bytes(const char* name, const void* data, size_t size) {
        check(fdt_property(fdt(), name, data, int(size)), name);
    }
    // reg for #address-cells = #size-cells = 2.
    void reg(const FdtRegion& r) {
        cells("reg", {uint32_t(r.base >> 32), uint32_t(r.base), uint32_t(r.size >> 32), uint32_t(r.size)});
    }
    void no_reservations() { check(fdt_finish_reservemap(fdt()), "reservemap"); }
    void done() {
        check(fdt_finish(fdt()), "finish");
        buf_.resize(fdt_totalsize(fdt()));
    }

private:
    void* fdt() { return buf_.data(); }
    static void check(int rc, const char* what) {
        if (rc == -FDT_ERR_NOSPACE) throw NoSpace{};
        if (rc < 0) throw FdtError(std::string("device tree: ") + what + ": " + fdt_strerror(rc));
    }
    std::vector<uint8_t>& buf_;
};

std::string node_name(const char* kind, uint64_t addr) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s@%llx", kind, static_cast<unsigned long long>(addr));
    return buf;
}

void irq_device(Writer& w, const char* kind, const FdtIrqDevice& d, uint32_t plic_phandle) {
    w.begin(node_name(kind, d.reg.base));
    w.cells("interrupts", {d.irq});
    w.cells("interrupt-parent", {plic_phandle});
}

void write_tree(Writer& w, const VirtFdtConfig& c) {
    // Phandles as QEMU numbers them: harts from the last down (cpu, then its intc), PLIC, test.
    const unsigned n = c.harts;
    auto cpu_phandle = [n](unsigned hart) { return 2 * (n - 1 - hart) + 1; };
    auto intc_phandle = [&](unsigned hart) { return cpu_phandle(hart) + 1; };
    const uint32_t plic_phandle = 2 * n + 1, test_phandle = 2 * n + 2;

    w.no_reservations();
    w.begin("");
    w.cells("#address-cells", {2});
    w.cells("#size-cells", {2});
    w.str("compatible", "riscv-virtio");
    w.str("model", "riscv-virtio,qemu");

    w.begin("chosen");
    if (c.initrd) {
        // QEMU 7.2 writes single cells; Linux reads either width, so wider only when needed.
        const uint64_t start = c.initrd->base, end = c.initrd->base + c.initrd->size;
        if (end <= 0xffffffffu) {
            w.cells("linux,initrd-end", {uint32_t(end)});
            w.cells("linux,initrd-start", {uint32_t(start)});
        } else {
            w.cells("linux,initrd-end", {uint32_t(end >> 32), uint32_t(end)});
            w.cells("linux,initrd-start", {uint32_t(start >> 32), uint32_t(start)});
        }
    }
    if (!c.rng_seed.empty()) w.bytes("rng-seed", c.rng_seed.data(), c.rng_seed.size());
    if (!c.bootargs.empty()) w.str("bootargs", c.bootargs);
    w.str("stdout-path", "/soc/" + node_name("serial", c.uart.reg.base));
    w.end();

    if (c.test) {
        for (auto [name, value] : {std::pair{"poweroff", 0x5555u}, std::pair{"reboot", 0x7777u}}) {
            w.begin(name);
            w.cells("value", {value});
            w.cells("offset", {0});
            w.cells("regmap", {test_phandle});
            w.str("compatible", std::string("syscon-") + name);
            w.end();
        }
    }

    w.begin(node_name("memory", c.ram.base));
    w.str("device_type", "memory");
    w.reg(c.ram);
    w.end();

    w.begin("cpus");
    w.cells("#address-cells", {1});
    w.cells("#size-cells", {0});
    w.cells("timebase-frequency", {c.timebase_frequency});
    for (unsigned h = 0; h < n; ++h) {
        w.begin(node_name("cpu", h));
        w.cells("phandle", {cpu_phandle(h)});
        w.str("device_type", "cpu");
        w.cells("reg", {h});
        w.str("status", "okay");
        w.str("compatible", "riscv");
        w.str("riscv,isa", c.isa);
        w.str("mmu-type", c.mmu_type);
        w.begin("interrupt-controller");
        w.cells("#interrupt-cells", {1});
        w.empty("interrupt-controller");
        w.str("compatible", "riscv,cpu-intc");
        w.cells("phandle", {intc_phandle(h)});
        w.end();
        w.end();
    }
    w.begin("cpu-map");
    w.begin("cluster0");
    for (unsigned h = 0; h < n; ++h) {
        w.begin("core" + std::to_string(h));
        w.cells("cpu", {cpu_phandle(h)});
        w.end();
    }
    w.end();
    w.end();
    w.end();

    w.begin("soc");
    w.cells("#address-cells", {2});
    w.cells("#size-cells", {2});
    w.str("compatible", "simple-bus");
    w.empty("ranges");
    if (c.rtc) {
        irq_device(w, "rtc", *c.rtc, plic_phandle);
        w.reg(c.rtc->reg);
        w.str("compatible", "google,goldfish-rtc");
        w.end();
    }
    irq_device(w, "serial", c.uart, plic_phandle);
    w.cells("clock-frequency", {c.uart_clock});
    w.reg(c.uart.reg);
    w.str("compatible", "ns16550a");
    w.end();
    if (c.test) {
        w.begin(node_name("test", c.test->base));
        w.cells("phandle", {test_phandle});
        w.reg(*c.test);
        w.strs("compatible", {"sifive,test1", "sifive,test0", "syscon"});
        w.end();
    }
    for (const FdtIrqDevice& v : c.virtio_mmio) {
        irq_device(w, "virtio_mmio", v, plic_phandle);
        w.reg(v.reg);
        w.str("compatible", "virtio,mmio");
        w.end();
    }
    // Each hart's M-mode and S-mode external (11, 9) and software and timer (3, 7) interrupts.
    std::vector<uint32_t> plic_irqs, clint_irqs;
    for (unsigned h = 0; h < n; ++h) {
        plic_irqs.insert(plic_irqs.end(), {intc_phandle(h), 11, intc_phandle(h), 9});
        clint_irqs.insert(clint_irqs.end(), {intc_phandle(h), 3, intc_phandle(h), 7});
    }
    w.begin(node_name("plic", c.plic.base));
    w.cells("phandle", {plic_phandle});
    w.cells("riscv,ndev", {c.plic_ndev});
    w.reg(c.plic);
    w.cells("interrupts-extended", plic_irqs);
    w.empty("interrupt-controller");
    w.strs("compatible", {"sifive,plic-1.0.0", "riscv,plic0"});
    w.cells("#address-cells", {0});
    w.cells("#interrupt-cells", {1});
    w.end();
    w.begin(node_name("clint", c.clint.base));
    w.cells("interrupts-extended", clint_irqs);
    w.reg(c.clint);
    w.strs("compatible", {"sifive,clint0", "riscv,clint0"});
    w.end();
    w.end();  // soc

    w.end();  // root
    w.done();
}

void validate(const VirtFdtConfig& c) {
    if (c.harts == 0 || c.harts > 4096) throw FdtError("device tree: bad number of harts");
    if (c.ram.size == 0) throw FdtError("device tree: no RAM");
    if (c.timebase_frequency == 0) throw FdtError("device tree: zero timebase frequency");
    auto check_irq = [&](const FdtIrqDevice& d, const char* what) {
        if (d.irq == 0 || d.irq > c.plic_ndev)
            throw FdtError(std::string("device tree: ") + what + " IRQ " + std::to_string(d.irq) +
                           " is not a PLIC source (1.." + std::to_string(c.plic_ndev) + ")");
    };
    check_irq(c.uart, "serial");
    if (c.rtc) check_irq(*c.rtc, "rtc");
    for (const FdtIrqDevice& v : c.virtio_mmio) check_irq(v, "virtio-mmio");
    if (c.initrd && c.initrd->size > ~uint64_t(0) - c.initrd->base) throw FdtError("device tree: initrd wraps around");
}

}  // namespace

VirtFdtConfig qemu_virt_fdt_config(unsigned harts, uint64_t ram_size) {
    VirtFdtConfig c;
    c.harts = harts;
    c.ram.size = ram_size;
    for (int i = 7; i >= 0; --i)
        c.virtio_mmio.push_back({{0x10001000 + 0x1000 * uint64_t(i), 0x1000}, uint32_t(1 + i)});
    return c;
}

std::vector<uint8_t> build_virt_fdt(const VirtFdtConfig& config) {
    validate(config);
    for (size_t size = 16 * 1024;; size *= 2) {
        std::vector<uint8_t> buf(size);
        try {
            Writer w(buf);
            write_tree(w, config);
            return buf;
        } catch (const NoSpace&) {
            if (size >= (size_t(1) << 26)) throw FdtError("device tree: too large");
        }
    }
}

}  // namespace mimic::machines
