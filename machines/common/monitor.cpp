// Monitor command dispatch.
#include "machines/common/monitor.h"

#include <sstream>
#include <vector>

namespace mimic::machines {
namespace {

struct Command {
    const char* names;  // "cont|c"
    const char* args;
    const char* help;
};

constexpr Command kCommands[] = {
    {"cont|c", "", "resume emulation"},
    {"help|?", "[cmd]", "show the help"},
    {"info", "[subcommand]", "show various information about the system state"},
    {"quit|q", "", "quit the emulator"},
    {"stop", "", "stop emulation"},
    {"system_reset", "", "reset the system"},
};

constexpr Command kInfoCommands[] = {
    {"cpus", "", "show infos for each CPU"},
    {"registers", "[-a]", "show the cpu registers (-a: all harts)"},
};

bool has_name(const Command& c, const std::string& name) {
    std::string names = c.names;
    size_t start = 0;
    while (start <= names.size()) {
        const size_t bar = names.find('|', start);
        const size_t end = bar == std::string::npos ? names.size() : bar;
        if (names.compare(start, end - start, name) == 0) return true;
        start = end + 1;
    }
    return false;
}

std::string help_line(const char* prefix, const Command& c) {
    return std::string(prefix) + c.names + " " + c.args + " -- " + c.help + "\n";  // QEMU's layout
}

}  // namespace

std::string Monitor::banner() {
    return "Mimic monitor - type 'help' for more information\n";
}

std::string Monitor::execute(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    if (words.empty()) return "";
    const std::string& cmd = words[0];
    const std::string arg = words.size() > 1 ? words[1] : "";

    if (cmd == "help" || cmd == "?") {
        std::string out;
        if (arg == "info") {
            for (const Command& c : kInfoCommands) out += help_line("info ", c);
            return out;
        }
        for (const Command& c : kCommands)
            if (arg.empty() || has_name(c, arg)) out += help_line("", c);
        return out.empty() ? "unknown command: '" + arg + "'\n" : out;
    }
    if (cmd == "quit" || cmd == "q") {
        quit_requested_ = true;
        target_.quit();
        return "";
    }
    if (cmd == "info") {
        if (arg.empty()) {
            std::string out;
            for (const Command& c : kInfoCommands) out += help_line("info ", c);
            return out;
        }
        if (arg == "registers") return target_.info_registers(words.size() > 2 && words[2] == "-a");
        if (arg == "cpus") return target_.info_cpus();
        return "unknown info subcommand: '" + arg + "'\n";
    }
    if (cmd == "system_reset") {
        target_.system_reset();
        return "";
    }
    if (cmd == "stop") return target_.stop() ? "" : "stop: not supported by this machine\n";
    if (cmd == "cont" || cmd == "c") return target_.cont() ? "" : "cont: not supported by this machine\n";
    return "unknown command: '" + cmd + "'\n";
}

}  // namespace mimic::machines
