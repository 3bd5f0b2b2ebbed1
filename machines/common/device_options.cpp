// Parsing -drive, -netdev, -chardev, -device and -global, and checking that the devices and their
// backends refer to each other as QEMU requires.
#include "machines/common/device_options.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>
#include <set>

namespace mimic::machines {

namespace {

bool on_off(const std::string& opt, const std::string& text, const std::string& key, const std::string& value) {
    bool b = false;
    if (!parse_switch(value, b)) fail_option(opt, text, key + " must be on or off");
    return b;
}

uint16_t parse_port(const std::string& opt, const std::string& text, const std::string& port) {
    uint64_t n = 0;
    if (!parse_uint(port, n) || n > 65535) fail_option(opt, text, "'" + port + "' is not a port number");
    return uint16_t(n);
}

void check_address(const std::string& opt, const std::string& text, const std::string& addr) {
    in_addr a;
    if (!addr.empty() && inet_pton(AF_INET, addr.c_str(), &a) != 1)
        fail_option(opt, text, "'" + addr + "' is not an IPv4 address");
}

// [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT
HostForward parse_hostfwd(const std::string& text, const std::string& rule) {
    const std::string opt = "-netdev";
    const std::string malformed = "hostfwd=" + rule + ": expected [tcp|udp]:[HOSTADDR]:PORT-[GUESTADDR]:PORT";
    HostForward f;
    f.text = rule;
    std::string rest = rule;
    const size_t colon = rest.find(':');
    if (colon == std::string::npos) fail_option(opt, text, malformed);
    const std::string proto = rest.substr(0, colon);
    if (proto == "udp")
        f.udp = true;
    else if (!proto.empty() && proto != "tcp")
        fail_option(opt, text, "hostfwd=" + rule + ": the protocol is tcp or udp");
    rest = rest.substr(colon + 1);
    const size_t dash = rest.find('-');
    if (dash == std::string::npos) fail_option(opt, text, malformed);
    auto split = [&](const std::string& part, std::string& addr, uint16_t& port) {
        const size_t c = part.rfind(':');
        if (c == std::string::npos) fail_option(opt, text, malformed);
        addr = part.substr(0, c);
        check_address(opt, text, addr);
        port = parse_port(opt, text, part.substr(c + 1));
    };
    split(rest.substr(0, dash), f.host_addr, f.host_port);
    split(rest.substr(dash + 1), f.guest_addr, f.guest_port);
    if (f.guest_port == 0) fail_option(opt, text, "hostfwd=" + rule + ": the guest port must not be 0");
    return f;
}

// QEMU's MAC syntax: six hex bytes separated by colons.
bool parse_mac(const std::string& s, std::array<uint8_t, 6>& mac) {
    unsigned b[6];
    char end;
    if (std::sscanf(s.c_str(), "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &end) != 6)
        return false;
    for (int i = 0; i < 6; ++i) mac[i] = uint8_t(b[i]);
    return !(mac[0] & 1);  // not a multicast address
}

}  // namespace

DriveSpec parse_drive(const std::string& text) {
    const std::string opt = "-drive";
    DriveSpec d;
    d.text = text;
    bool have_if = false;
    for (const auto& [key, value] : split_props(text)) {
        if (key == "file") {
            d.file = value;
        } else if (key == "id") {
            d.id = value;
        } else if (key == "if") {
            if (value != "virtio" && value != "none")
                fail_option(opt, text, "if=" + value + " is not supported on Mimic's boards (virtio or none)");
            d.virtio = value == "virtio";
            have_if = true;
        } else if (key == "format") {
            if (value != "raw") fail_option(opt, text, "format " + value + " is not supported (raw only)");
            d.format_given = true;
        } else if (key == "readonly") {
            d.read_only = on_off(opt, text, key, value);
        } else if (key == "snapshot") {
            d.snapshot = on_off(opt, text, key, value);
        } else if (key == "media") {
            if (value != "disk") fail_option(opt, text, "media=" + value + " is not supported (disk only)");
        } else if (key == "cache" || key == "aio") {
            // Host caching hints: Mimic reads and writes the file through the page cache.
        } else {
            fail_option(opt, text, "unsupported parameter '" + (key.empty() ? value : key) + "'");
        }
    }
    if (d.file.empty()) fail_option(opt, text, "needs file=IMAGE");
    if (!have_if)
        fail_option(opt, text,
                    "the virt board has no IDE controller: give if=virtio, or if=none,id=ID with "
                    "-device virtio-blk-device,drive=ID");
    if (!d.virtio && d.id.empty()) fail_option(opt, text, "if=none needs id=ID");
    return d;
}

NetdevSpec parse_netdev(const std::string& text) {
    const std::string opt = "-netdev";
    NetdevSpec n;
    n.text = text;
    const auto props = split_props(text);
    if (!props[0].first.empty() || props[0].second != "user")
        fail_option(opt, text, "only user-mode networking (user) is supported");
    for (size_t i = 1; i < props.size(); ++i) {
        const auto& [key, value] = props[i];
        if (key == "id") {
            n.id = value;
        } else if (key == "hostfwd") {
            n.forwards.push_back(parse_hostfwd(text, value));
        } else if (key == "restrict") {
            n.restricted = on_off(opt, text, key, value);
        } else if ((key == "ipv4" && value == "on") || (key == "ipv6" && value == "off")) {
            // Mimic's user network is IPv4 only.
        } else {
            fail_option(opt, text, "unsupported parameter '" + (key.empty() ? value : key) + "'");
        }
    }
    if (n.id.empty()) fail_option(opt, text, "needs id=ID");
    return n;
}

ChardevSpec parse_chardev_option(const std::string& text) {
    const std::string opt = "-chardev";
    ChardevSpec c;
    c.text = text;
    const auto props = split_props(text);
    const std::string type = props[0].first.empty() ? props[0].second : "";
    std::string path;
    for (size_t i = 1; i < props.size(); ++i) {
        const auto& [key, value] = props[i];
        if (key == "id")
            c.id = value;
        else if (key == "path" && type == "file")
            path = value;
        else if (key == "signal" && type == "stdio")
            ;  // stdio is never a terminal with signals here: Ctrl-C ends Mimic either way
        else
            fail_option(opt, text, "unsupported parameter '" + (key.empty() ? value : key) + "'");
    }
    if (type == "null")
        c.backend = {CharDevKind::kNull, "", text};
    else if (type == "stdio")
        c.backend = {CharDevKind::kStdio, "", text};
    else if (type == "file" && !path.empty())
        c.backend = {CharDevKind::kFile, path, text};
    else if (type == "file")
        fail_option(opt, text, "file needs path=FILE");
    else
        fail_option(opt, text, "unsupported backend '" + type + "' (null, stdio or file)");
    if (c.id.empty()) fail_option(opt, text, "needs id=ID");
    return c;
}

DeviceSpec parse_device(const std::string& text, DeviceOptions& options) {
    const std::string opt = "-device";
    DeviceSpec d;
    d.text = text;
    const auto props = split_props(text);
    const std::string driver = props[0].first.empty() ? props[0].second : "";
    if (driver == "help" || driver == "?") {
        options.device_help = true;
        return d;
    }
    if (driver == "virtio-blk-device")
        d.kind = DeviceKind::kVirtioBlk;
    else if (driver == "virtio-net-device")
        d.kind = DeviceKind::kVirtioNet;
    else if (driver == "virtio-rng-device")
        d.kind = DeviceKind::kVirtioRng;
    else if (driver == "virtio-serial-device")
        d.kind = DeviceKind::kVirtioSerial;
    else if (driver == "virtconsole")
        d.kind = DeviceKind::kVirtconsole;
    else if (driver.ends_with("-pci"))
        fail_option(opt, text,
                    "Mimic's virt board has no PCI bus; use the virtio-mmio form (" +
                        driver.substr(0, driver.size() - 4) + "-device)");
    else
        fail_option(opt, text, "unknown device '" + driver + "' (-device help lists them)");
    for (size_t i = 1; i < props.size(); ++i) {
        const auto& [key, value] = props[i];
        if (key == "drive" && d.kind == DeviceKind::kVirtioBlk)
            d.drive = value;
        else if (key == "serial" && d.kind == DeviceKind::kVirtioBlk)
            d.serial = value;
        else if (key == "netdev" && d.kind == DeviceKind::kVirtioNet)
            d.netdev = value;
        else if (key == "mac" && d.kind == DeviceKind::kVirtioNet) {
            if (!parse_mac(value, d.mac)) fail_option(opt, text, "mac=" + value + " is not a unicast MAC address");
        } else if (key == "chardev" && d.kind == DeviceKind::kVirtconsole)
            d.chardev = value;
        else if (key == "id" || (key == "name" && d.kind == DeviceKind::kVirtconsole))
            ;  // names for QEMU's monitor and the guest's port list, which Mimic does not show
        else
            fail_option(opt, text, "unsupported property '" + (key.empty() ? value : key) + "'");
    }
    if (d.kind == DeviceKind::kVirtioBlk && d.drive.empty()) fail_option(opt, text, "needs drive=ID");
    if (d.kind == DeviceKind::kVirtioNet && d.netdev.empty()) fail_option(opt, text, "needs netdev=ID");
    if (d.kind == DeviceKind::kVirtconsole && d.chardev.empty()) fail_option(opt, text, "needs chardev=ID");
    return d;
}

void parse_global(const std::string& text, DeviceOptions& options) {
    const size_t eq = text.find('=');
    const std::string key = text.substr(0, eq);
    if (key != "virtio-mmio.force-legacy" || eq == std::string::npos)
        fail_option("-global", text, "unsupported property (virtio-mmio.force-legacy only)");
    if (!parse_switch(text.substr(eq + 1), options.virtio_mmio_legacy))
        fail_option("-global", text, "force-legacy must be on or off");
}

void resolve_device_options(DeviceOptions& options, bool snapshot) {
    auto unique_ids = [](const auto& specs, const char* opt) {
        std::set<std::string> seen;
        for (const auto& s : specs)
            if (!s.id.empty() && !seen.insert(s.id).second) fail_option(opt, s.text, "duplicate id '" + s.id + "'");
    };
    unique_ids(options.drives, "-drive");
    unique_ids(options.netdevs, "-netdev");
    unique_ids(options.chardevs, "-chardev");
    for (DriveSpec& d : options.drives) d.snapshot |= snapshot;

    std::set<std::string> used;
    auto claim = [&](const DeviceSpec& device, const std::string& kind, const std::string& id, bool exists) {
        if (!exists) fail_option("-device", device.text, "no " + kind + " with id '" + id + "'");
        if (!used.insert(kind + ":" + id).second)
            fail_option("-device", device.text, kind + " '" + id + "' is already in use");
    };
    bool serial_port_free = false;
    for (const DeviceSpec& device : options.devices) {
        switch (device.kind) {
            case DeviceKind::kVirtioBlk:
                claim(device, "drive", device.drive,
                      std::any_of(options.drives.begin(), options.drives.end(),
                                  [&](auto& d) { return !d.virtio && d.id == device.drive; }));
                break;
            case DeviceKind::kVirtioNet:
                claim(device, "netdev", device.netdev,
                      std::any_of(options.netdevs.begin(), options.netdevs.end(),
                                  [&](auto& n) { return n.id == device.netdev; }));
                break;
            case DeviceKind::kVirtconsole:
                if (!serial_port_free)
                    fail_option("-device", device.text,
                                "needs a virtio-serial-device before it (Mimic's has one port each)");
                serial_port_free = false;
                claim(device, "chardev", device.chardev,
                      std::any_of(options.chardevs.begin(), options.chardevs.end(),
                                  [&](auto& c) { return c.id == device.chardev; }));
                break;
            case DeviceKind::kVirtioSerial: serial_port_free = true; break;
            case DeviceKind::kVirtioRng: break;
        }
    }
    for (const DriveSpec& d : options.drives)
        if (!d.virtio && !used.count("drive:" + d.id))
            fail_option("-drive", d.text, "no device uses it (add -device virtio-blk-device,drive=" + d.id + ")");
}

std::string device_list_help() {
    return "Devices Mimic's virt board takes (each on a virtio-mmio transport):\n"
           "name \"virtio-blk-device\", drive=ID[,serial=STR]    a disk on a -drive if=none\n"
           "name \"virtio-net-device\", netdev=ID[,mac=MAC]      a network card on a -netdev\n"
           "name \"virtio-rng-device\"                           randomness from the host\n"
           "name \"virtio-serial-device\"                        a console, with one virtconsole port\n"
           "name \"virtconsole\", chardev=ID                     the port: hvc0 on a -chardev\n";
}

}  // namespace mimic::machines
