// What the system-mode option parsers share: the error they throw, QEMU's "a,b=c" property lists,
// and character device specs (-serial, -monitor and -chardev name the same kinds).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace mimic::machines {

// A bad or unsupported command line: a one-line message that starts with the option it is about.
struct OptionError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Where a character device (-serial, -monitor) goes, after defaults are resolved.
enum class CharDevKind {
    kStdio,     // stdio: the terminal, Ctrl-C kills the emulator
    kMonStdio,  // mon:stdio: the terminal shared with the monitor (Ctrl-A escapes)
    kNull,      // null, or QEMU's "vc" that Mimic has no window for: output dropped, no input
    kNone,      // none: no device at all
    kFile,      // file:PATH: output to PATH, no input
};

struct CharDevSpec {
    CharDevKind kind = CharDevKind::kNull;
    std::string path;  // kFile
    std::string text;  // as written on the command line, for messages
};

// Throws OptionError "OPT VALUE: WHAT".
[[noreturn]] void fail_option(const std::string& opt, const std::string& value, const std::string& what);
// "a,b=c,d=e" -> {{"", "a"}, {"b", "c"}, {"d", "e"}}; ",," is a literal comma, as in QEMU.
std::vector<std::pair<std::string, std::string>> split_props(const std::string& text);
// A decimal number without sign or suffix.
bool parse_uint(const std::string& s, uint64_t& out);
// QEMU's on/off (also yes/no, true/false); false for anything else.
bool parse_switch(const std::string& s, bool& out);

}  // namespace mimic::machines
