// The command line's devices, with qemu-system's option names: -drive, -netdev, -device, -chardev
// and -global. Parsed into specs and checked against each other (a -device's drive= must name a
// -drive, ...) before any device is built.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "machines/common/option_parsing.h"

namespace mimic::machines {

// -drive file=PATH,format=raw,if=virtio|none[,id=ID][,readonly=on][,snapshot=on]
struct DriveSpec {
    std::string text;  // as written, for messages
    std::string file, id;
    bool virtio = false;  // if=virtio: a virtio-blk device of its own; if=none: for a -device
    bool format_given = false;
    bool read_only = false;
    bool snapshot = false;  // writes go to memory and are dropped at exit (also -snapshot)
};

// hostfwd=[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT
struct HostForward {
    std::string text;
    bool udp = false;
    std::string host_addr;   // empty: every address
    uint16_t host_port = 0;  // 0: any free port
    std::string guest_addr;  // empty: the guest's first DHCP address
    uint16_t guest_port = 0;
};

// -netdev user,id=ID[,hostfwd=...]...[,restrict=on|off][,ipv4=on][,ipv6=off]
struct NetdevSpec {
    std::string text, id;
    std::vector<HostForward> forwards;
    bool restricted = false;  // restrict=on: the guest reaches nothing outside
};

// -chardev null|stdio|file,id=ID[,path=PATH]
struct ChardevSpec {
    std::string text, id;
    CharDevSpec backend;
};

enum class DeviceKind { kVirtioBlk, kVirtioNet, kVirtioRng, kVirtioSerial, kVirtconsole };

// -device DRIVER[,PROP=VALUE]...
struct DeviceSpec {
    std::string text;
    DeviceKind kind = DeviceKind::kVirtioRng;
    std::string drive, netdev, chardev;  // the backend's id, by kind
    std::array<uint8_t, 6> mac{};        // virtio-net; all zero: the next of QEMU's defaults
    std::string serial;                  // virtio-blk's ID string
};

struct DeviceOptions {
    std::vector<DriveSpec> drives;
    std::vector<NetdevSpec> netdevs;
    std::vector<ChardevSpec> chardevs;
    std::vector<DeviceSpec> devices;
    bool virtio_mmio_legacy = false;  // -global virtio-mmio.force-legacy=true
    bool device_help = false;         // -device help
};

// Each throws OptionError with a one-line message that starts with the option.
DriveSpec parse_drive(const std::string& text);
NetdevSpec parse_netdev(const std::string& text);
ChardevSpec parse_chardev_option(const std::string& text);
DeviceSpec parse_device(const std::string& text, DeviceOptions& options);
void parse_global(const std::string& text, DeviceOptions& options);
// Checks the references between devices and backends; -snapshot makes every drive a snapshot.
void resolve_device_options(DeviceOptions& options, bool snapshot);

std::string device_list_help();  // -device help

}  // namespace mimic::machines
