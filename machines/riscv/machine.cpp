// Building the virt and spike boards, placing their boot images, and running the harts until the
// guest powers off.
#include "machines/riscv/machine.h"

#include <filesystem>

#include "backends/baseline/baseline.h"
#include "devices/aclint/aclint.h"
#include "devices/goldfish_rtc/goldfish_rtc.h"
#include "devices/htif/htif.h"
#include "devices/ns16550a/ns16550a.h"
#include "devices/plic/plic.h"
#include "devices/sifive_test/sifive_test.h"
#include "devices/virtio/virtio_blk.h"
#include "devices/virtio/virtio_console.h"
#include "devices/virtio/virtio_net.h"
#include "devices/virtio/virtio_rng.h"
#include "machines/common/boot_layout.h"
#include "machines/common/console.h"
#include "machines/common/raw_image.h"
#include "machines/common/user_net.h"
#include "machines/riscv/virt_fdt.h"

namespace mimic::machines::riscv {

namespace {

constexpr uint64_t kRamBase = 0x80000000;
constexpr uint64_t kRomBase = 0x1000;
constexpr uint64_t kRomSize = 0xf000;
constexpr const char* kDefaultVirtBios = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin";

// The virt board's PLIC sources are 1..96 (the device tree's riscv,ndev), as QEMU's.
constexpr unsigned kVirtPlicNdev = 96;

// QEMU virt's virtio-mmio slots: 0x10001000 + 0x1000 * i, on PLIC source 1 + i.
constexpr unsigned kVirtioSlots = 8;
constexpr uint64_t kVirtioBase = 0x10001000, kVirtioStride = 0x1000;
constexpr unsigned kVirtioIrq = 1;

// QEMU's first default MAC address; the n-th card gets n added to the last byte.
constexpr std::array<uint8_t, 6> kDefaultMac = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

// The mip bits devices drive.
constexpr unsigned kLineMsip = 3, kLineMtip = 7, kLineSeip = 9, kLineMeip = 11;

Tier tier_of(const MachineOptions& options) {
    const Tier t = options.accels.empty() ? Tier::kDefault : options.accels.front().tier;
    return t == Tier::kDefault ? Tier::kTiered : t;
}

std::unique_ptr<Backend> make_llvm(const MachineOptions& options, Log& log) {
    const Tier t = tier_of(options);
    if (t != Tier::kLlvm && t != Tier::kTiered) return nullptr;
    return std::make_unique<jit::LlvmBackend>(MemoryModel::kSoftTlb, &log, options.harts == 1);
}

uint64_t tier_up_threshold(const MachineOptions& options) {
    const bool given = !options.accels.empty() && options.accels.front().threshold;
    return given ? options.accels.front().threshold : EngineOptions{}.tier_up_threshold;
}

// Tiered mode starts blocks in the interpreter and moves warm ones to the baseline tier, which
// counts their runs for the tier-up.
std::unique_ptr<Backend> make_baseline(const MachineOptions& options) {
    const Tier t = tier_of(options);
    if (t != Tier::kBaseline && t != Tier::kTiered) return nullptr;
    return std::make_unique<baseline::BaselineBackend>(MemoryModel::kSoftTlb,
                                                       t == Tier::kTiered ? tier_up_threshold(options) : 0);
}

Backend& first_tier(const MachineOptions& options, Backend& interp, Backend* baseline, Backend* llvm) {
    switch (tier_of(options)) {
        case Tier::kLlvm: return *llvm;
        case Tier::kBaseline: return *baseline;
        default: return interp;
    }
}

EngineOptions engine_options(const MachineOptions& options, Log& log, Backend* baseline, Backend* llvm) {
    EngineOptions e;
    if (tier_of(options) == Tier::kTiered) {
        e.warm_up = baseline;
        e.tier_up = llvm;
        e.tier_up_threshold = tier_up_threshold(options);
    }
    e.max_insns_per_block = options.one_insn_per_tb ? 1 : 256;
    e.chaining = !log.enabled(kLogNoChain);
    e.verify_ir = log.enabled(kLogVerifyIr);
    e.chain_within_page_only = true;
    e.log = &log;
    return e;
}

}  // namespace

RiscvMachine::RiscvMachine(const MachineOptions& options, Log& log)
    : options_(options),
      log_(log),
      memory_(&log),
      backend_(MemoryModel::kSoftTlb, log.enabled(kLogStats)),
      baseline_(make_baseline(options)),
      llvm_(make_llvm(options, log)),
      engine_(frontend_, first_tier(options, backend_, baseline_.get(), llvm_.get()), memory_,
              engine_options(options, log, baseline_.get(), llvm_.get())) {
    if (options_.machine == "virt")
        build_virt();
    else if (options_.machine == "spike")
        build_spike();
    else
        throw OptionError("-M " + options_.machine + ": unknown machine (-M help lists them)");
}

RiscvMachine::~RiscvMachine() {
    for (auto& h : harts_) h->stop();
    for (auto& h : harts_) h->join();
    // Devices go before the harts their timers call into, the last added first: the virtio
    // transports (whose backends' threads may still be delivering) before the PLIC they raise.
    while (!devices_.empty()) devices_.pop_back();
}

void RiscvMachine::add_device(std::string name, uint64_t base, uint64_t size,
                              std::unique_ptr<devices::MmioDevice> device) {
    memory_.add_mmio(std::move(name), base, size, *device);
    devices_.push_back(std::move(device));
}

void RiscvMachine::make_console() {
    const CharDevSpec spec = options_.serials.empty() ? CharDevSpec{} : options_.serials.front();
    console_ = make_serial_backend(spec, this);
}

void RiscvMachine::build_virt() {
    memory_.add_rom("riscv_virt_board.mrom", kRomBase, kRomSize);
    memory_.add_ram("riscv_virt_board.ram", kRamBase, options_.ram_size);
    make_console();
    for (unsigned h = 0; h < options_.harts; ++h)
        harts_.push_back(std::make_unique<Hart>(h, engine_, memory_, timers_, *this, &log_));

    std::vector<devices::IrqLine> contexts;  // per hart: M-mode, then S-mode
    std::vector<devices::Aclint::HartLines> clint_lines;
    for (auto& hart : harts_) {
        contexts.push_back({hart.get(), kLineMeip});
        contexts.push_back({hart.get(), kLineSeip});
        clint_lines.push_back({{hart.get(), kLineMsip}, {hart.get(), kLineMtip}});
    }
    auto plic = std::make_unique<devices::Plic>(kVirtPlicNdev + 1, std::move(contexts), &log_);
    devices::Plic* irqchip = plic.get();
    add_device("sifive_test", 0x100000, 0x1000, std::make_unique<devices::SifiveTest>(this, &log_));
    add_device("goldfish_rtc", 0x101000, 0x1000,
               std::make_unique<devices::GoldfishRtc>(timers_, devices::IrqLine{irqchip, 11}, &log_));
    add_device("clint", 0x2000000, devices::Aclint::kRegionSize,
               std::make_unique<devices::Aclint>(timers_, std::move(clint_lines), &log_));
    add_device("plic", 0xc000000, 0x600000, std::move(plic));
    add_device("serial", 0x10000000, 0x100,
               std::make_unique<devices::Ns16550a>(console_.get(), devices::IrqLine{irqchip, 10}, &log_));
    build_virtio(*irqchip);
    load_images(kRamBase, true);
}

std::unique_ptr<devices::VirtioDevice> RiscvMachine::make_virtio_device(const DeviceSpec& spec, const DriveSpec* drive,
                                                                        unsigned& nics) {
    const DeviceOptions& o = options_.devices;
    switch (spec.kind) {
        case DeviceKind::kVirtioBlk: {
            const auto mode = drive->read_only  ? RawImage::Mode::kReadOnly
                              : drive->snapshot ? RawImage::Mode::kSnapshot
                                                : RawImage::Mode::kReadWrite;
            disks_.push_back(std::make_unique<RawImage>(drive->file, mode, drive->format_given));
            return std::make_unique<devices::VirtioBlk>(*disks_.back(), spec.serial);
        }
        case DeviceKind::kVirtioNet: {
            const auto netdev =
                std::find_if(o.netdevs.begin(), o.netdevs.end(), [&](auto& n) { return n.id == spec.netdev; });
            networks_.push_back(std::make_unique<UserNetwork>(*netdev));
            std::array<uint8_t, 6> mac = spec.mac;
            if (mac == std::array<uint8_t, 6>{}) {
                mac = kDefaultMac;
                mac[5] = uint8_t(mac[5] + nics);
            }
            ++nics;
            return std::make_unique<devices::VirtioNet>(networks_.back().get(), mac);
        }
        case DeviceKind::kVirtioRng: return std::make_unique<devices::VirtioRng>();
        case DeviceKind::kVirtioSerial: return std::make_unique<devices::VirtioConsole>(nullptr);
        case DeviceKind::kVirtconsole: {
            const auto chardev =
                std::find_if(o.chardevs.begin(), o.chardevs.end(), [&](auto& c) { return c.id == spec.chardev; });
            chardevs_.push_back(make_serial_backend(chardev->backend, this));
            return std::make_unique<devices::VirtioConsole>(chardevs_.back().get());
        }
    }
    return nullptr;
}

// QEMU's virt has eight virtio-mmio transports whether used or not; devices fill them from the
// highest address down, in command-line order, then the drives with if=virtio. A virtconsole is
// the port of the virtio-serial-device before it, so the two take one slot.
void RiscvMachine::build_virtio(devices::IrqSink& irqchip) {
    const DeviceOptions& o = options_.devices;
    struct Plug {
        DeviceSpec spec;
        const DriveSpec* drive;  // virtio-blk's
    };
    std::vector<Plug> plugs;
    for (const DeviceSpec& d : o.devices) {
        if (d.kind == DeviceKind::kVirtconsole) {
            // The port of the last virtio-serial-device before it, which has none yet: it takes
            // that device's place.
            const auto serial = std::find_if(plugs.rbegin(), plugs.rend(),
                                             [](const Plug& p) { return p.spec.kind == DeviceKind::kVirtioSerial; });
            serial->spec = d;
            continue;
        }
        const auto drive = std::find_if(o.drives.begin(), o.drives.end(), [&](auto& r) { return r.id == d.drive; });
        plugs.push_back({d, d.kind == DeviceKind::kVirtioBlk ? &*drive : nullptr});
    }
    for (const DriveSpec& d : o.drives)
        if (d.virtio) {
            DeviceSpec blk;
            blk.text = d.text;
            blk.kind = DeviceKind::kVirtioBlk;
            plugs.push_back({blk, &d});
        }
    if (plugs.size() > kVirtioSlots)
        throw OptionError("-device " + plugs[kVirtioSlots].spec.text + ": all " + std::to_string(kVirtioSlots) +
                          " virtio-mmio slots of the virt board are in use");
    std::vector<devices::VirtioDevice*> slots(kVirtioSlots, nullptr);
    unsigned nics = 0;
    for (size_t i = 0; i < plugs.size(); ++i) {
        virtio_devices_.push_back(make_virtio_device(plugs[i].spec, plugs[i].drive, nics));
        slots[kVirtioSlots - 1 - i] = virtio_devices_.back().get();
    }
    for (const NetdevSpec& n : o.netdevs)
        if (std::none_of(plugs.begin(), plugs.end(), [&](auto& p) { return p.spec.netdev == n.id; }))
            std::fprintf(stderr, "mimic-system-riscv64: warning: -netdev %s: no device uses it\n", n.text.c_str());
    for (unsigned i = 0; i < kVirtioSlots; ++i) {
        const uint64_t base = kVirtioBase + kVirtioStride * i;
        char name[32];
        std::snprintf(name, sizeof name, "virtio-mmio@%llx", (unsigned long long)base);
        auto transport = std::make_unique<devices::VirtioMmio>(
            name, slots[i], memory_, devices::IrqLine{&irqchip, kVirtioIrq + i}, o.virtio_mmio_legacy, &log_);
        virtio_transports_.push_back(transport.get());
        add_device(name, base, kVirtioStride, std::move(transport));
    }
}

void RiscvMachine::build_spike() {
    memory_.add_rom("riscv.spike.mrom", kRomBase, kRomSize);
    memory_.add_ram("riscv.spike.ram", kRamBase, options_.ram_size);
    make_console();
    for (unsigned h = 0; h < options_.harts; ++h)
        harts_.push_back(std::make_unique<Hart>(h, engine_, memory_, timers_, *this, &log_));
    std::vector<devices::Aclint::HartLines> clint_lines;
    for (auto& hart : harts_) clint_lines.push_back({{hart.get(), kLineMsip}, {hart.get(), kLineMtip}});
    add_device("clint", 0x2000000, devices::Aclint::kRegionSize,
               std::make_unique<devices::Aclint>(timers_, std::move(clint_lines), &log_));
    if (!options_.devices.devices.empty() || !options_.devices.drives.empty())
        throw OptionError("-device, -drive: -M spike has no virtio-mmio transports (use -M virt)");
    load_images(kRamBase, false);

    // HTIF sits where the program's tohost and fromhost symbols are, as QEMU places it.
    for (const Image& image : images_) {
        const auto& syms = image.loaded.symbols;
        const auto to = syms.find("tohost");
        if (to == syms.end()) continue;
        const auto from = syms.find("fromhost");
        const uint64_t tohost = to->second;
        const uint64_t fromhost = from != syms.end() ? from->second : tohost + 8;
        const uint64_t base = std::min(tohost, fromhost);
        auto htif = std::make_unique<devices::Htif>(console_.get(), this, tohost - base, fromhost - base, &log_);
        // The symbols are in RAM: the device lies over them.
        memory_.add_mmio_overlay("htif", base, devices::Htif::region_size(tohost - base, fromhost - base), *htif);
        devices_.push_back(std::move(htif));
        return;
    }
}

void RiscvMachine::load_images(uint64_t ram_base, bool virt) {
    const uint64_t ram_size = options_.ram_size;
    std::optional<LoadedImage> firmware, kernel, initrd;

    std::string bios = options_.bios;
    if (options_.bios_kind == BiosKind::kDefault) {
        if (!virt) throw OptionError("-bios: -M spike has no default firmware in Mimic; use -bios none -kernel ELF");
        bios = kDefaultVirtBios;
        if (!std::filesystem::exists(bios))
            throw OptionError(std::string("-bios: the default firmware ") + bios +
                              " is missing (install Debian's opensbi package, or give -bios FILE or -bios none)");
    }
    if (options_.bios_kind != BiosKind::kNone) {
        LoadOptions o;
        o.raw_address = ram_base;
        firmware = load_image(bios, o);
        images_.push_back({bios, *firmware});
    }
    if (!options_.kernel.empty()) {
        LoadOptions o;
        o.raw_address = firmware ? riscv_kernel_start(firmware->high) : ram_base;
        o.symbols = {"tohost", "fromhost"};
        kernel = load_image(options_.kernel, o);
        images_.push_back({options_.kernel, *kernel});
    }
    if (!options_.initrd.empty()) {
        if (!kernel) throw OptionError("-initrd: needs -kernel");
        LoadOptions o;
        o.raw_address = riscv_initrd_start(kernel->low, ram_size);
        o.gunzip = false;
        initrd = load_image(options_.initrd, o);
        images_.push_back({options_.initrd, *initrd});
    }
    if (!firmware && !kernel) throw OptionError("-bios none: nothing to run; give -kernel FILE (or a firmware)");
    if (!options_.append.empty() && !kernel) throw OptionError("-append: needs -kernel");

    std::vector<NamedImage> named;
    for (Image& image : images_) {
        drop_segments_outside_memory(image, ram_base);
        named.push_back({image.name, &image.loaded});
        if (!image_within(image.loaded, ram_base, ram_size))
            throw LoadError(image.name + ": does not fit in RAM (0x80000000, " + std::to_string(ram_size >> 20) +
                            " MiB); give more with -m");
    }
    check_no_overlap(named);

    if (!options_.dtb.empty()) {
        fdt_ = read_file(options_.dtb, uint64_t(1) << 20);
    } else if (virt) {
        VirtFdtConfig config = qemu_virt_fdt_config(options_.harts, ram_size);
        config.plic_ndev = kVirtPlicNdev;
        config.bootargs = options_.append;
        if (initrd) config.initrd = FdtRegion{initrd->low, initrd->high - initrd->low};
        fdt_ = build_virt_fdt(config);
    }
    if (!fdt_.empty()) {
        // Where QEMU puts it: it reserves the buffer it built the tree in, not the tree's size.
        const uint64_t reserve = options_.dtb.empty() ? kQemuFdtReserve : qemu_dtb_file_reserve(fdt_.size());
        fdt_addr_ = riscv_fdt_address(ram_base, ram_size, reserve);
        if (fdt_addr_ == 0) throw LoadError("the device tree does not fit in RAM; give more with -m");
    }

    ResetVector v;
    v.start = firmware ? firmware->entry : kernel->entry;
    v.fdt = fdt_addr_;
    v.next_addr = kernel ? kernel->low : 0;  // OpenSBI's next stage: the kernel's lowest address, as QEMU
    rom_ = riscv_reset_vector(v);
}

// `gcc -Ttext=0x80000000` makes a segment that starts with the ELF headers a page below RAM, where
// a virt board has no memory: QEMU loads nothing there, and Mimic does the same, saying so. Only
// a part below RAM with no region at all is trimmed; anything else that misses RAM is an error
// (image_within).
void RiscvMachine::drop_segments_outside_memory(Image& image, uint64_t ram_base) {
    if (image.loaded.format != ImageFormat::kElf) return;
    auto& segments = image.loaded.segments;
    for (auto it = segments.begin(); it != segments.end();) {
        Segment& seg = *it;
        if (seg.addr >= ram_base || memory_.find(seg.addr) || memory_.find(ram_base - 1)) {
            ++it;
            continue;
        }
        const uint64_t below = std::min(ram_base - seg.addr, seg.mem_size);
        std::fprintf(stderr,
                     "mimic-system-riscv64: warning: %s: no guest memory at 0x%llx-0x%llx; those %llu bytes are not "
                     "loaded\n",
                     image.name.c_str(), static_cast<unsigned long long>(seg.addr),
                     static_cast<unsigned long long>(seg.addr + below - 1), static_cast<unsigned long long>(below));
        if (below == seg.mem_size) {
            it = segments.erase(it);
            continue;
        }
        seg.data.erase(seg.data.begin(), seg.data.begin() + std::min<uint64_t>(below, seg.data.size()));
        seg.mem_size -= below;
        seg.addr = ram_base;
        ++it;
    }
    if (segments.empty()) throw LoadError(image.name + ": no segment lies in guest memory");
    image.loaded.low = segments.front().addr;
    image.loaded.high = segments.back().addr + segments.back().mem_size;
}

void RiscvMachine::place_images() {
    for (const Image& image : images_)
        for (const Segment& s : image.loaded.segments) {
            memory_.write(s.addr, s.data.data(), s.data.size());
            const std::vector<uint8_t> zeros(s.mem_size - s.data.size());
            memory_.write(s.addr + s.data.size(), zeros.data(), zeros.size());
        }
    if (!fdt_.empty()) memory_.write(fdt_addr_, fdt_.data(), fdt_.size());
    memory_.write(rom_base_, rom_.data(), rom_.size());
}

void RiscvMachine::reset_harts() {
    for (auto& h : harts_) h->reset(rom_base_, fdt_addr_);
}

int RiscvMachine::run() {
    place_images();
    reset_harts();
    for (auto& h : harts_) h->start();
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_.wait(lock, [this] { return poweroff_ || reset_; });
        if (poweroff_) break;
        reset_ = false;
        lock.unlock();
        for (auto& h : harts_) h->stop();
        for (auto& h : harts_) h->join();
        reset_devices();
        place_images();
        reset_harts();
        for (auto& h : harts_) h->start();
        lock.lock();
    }
    lock.unlock();
    for (auto& h : harts_) h->stop();
    for (auto& h : harts_) h->join();
    return exit_status_;
}

void RiscvMachine::reset_devices() {
    for (devices::VirtioMmio* t : virtio_transports_) t->reset();
}

void RiscvMachine::request_poweroff(int exit_status) {
    std::lock_guard lock(mutex_);
    if (!poweroff_) exit_status_ = exit_status;
    poweroff_ = true;
    changed_.notify_all();
}

void RiscvMachine::request_reset() {
    if (options_.no_reboot) return request_poweroff(0);
    std::lock_guard lock(mutex_);
    reset_ = true;
    changed_.notify_all();
}

std::string RiscvMachine::info_registers(bool all_harts) {
    std::string out;
    for (auto& h : harts_) {
        out += "CPU#" + std::to_string(h->id()) + "\n" + frontend_.dump_state(&h->cpu().header);
        if (!all_harts) break;
    }
    return out;
}

std::string RiscvMachine::info_cpus() {
    std::string out;
    char buf[80];
    for (auto& h : harts_) {
        std::snprintf(buf, sizeof buf, "%c CPU #%u: pc=0x%016llx\n", h->id() == 0 ? '*' : ' ', h->id(),
                      static_cast<unsigned long long>(h->cpu().header.pc));
        out += buf;
    }
    return out;
}

}  // namespace mimic::machines::riscv
