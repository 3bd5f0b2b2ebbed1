// The human monitor behind Ctrl-A c (or -monitor stdio): a few of QEMU's commands, run against
// whatever the machine exposes through MonitorTarget.
#pragma once

#include <string>

namespace mimic::machines {

// What the machine does for the monitor. Called on the console's input thread.
class MonitorTarget {
public:
    virtual ~MonitorTarget() = default;
    // `quit`, `q` and Ctrl-A x: stop every vCPU and make the emulator exit (status 0). Must return
    // promptly; the console stops reading input afterwards.
    virtual void quit() = 0;
    // Register dumps for `info registers` (the first hart, or all with -a) and `info cpus`: text
    // with lines ending in '\n'.
    virtual std::string info_registers(bool all_harts) = 0;
    virtual std::string info_cpus() = 0;
    virtual void system_reset() = 0;
    // `stop` and `cont`: false when the machine cannot pause (the monitor then says so).
    virtual bool stop() { return false; }
    virtual bool cont() { return false; }
};

class Monitor {
public:
    static constexpr const char* kPrompt = "(mimic) ";

    explicit Monitor(MonitorTarget& target) : target_(target) {}

    static std::string banner();
    // Runs one command line and returns what it prints ('\n' line ends; empty for none).
    std::string execute(const std::string& line);
    // Whether a command asked the machine to quit (the console then stops).
    bool quit_requested() const { return quit_requested_; }

private:
    MonitorTarget& target_;
    bool quit_requested_ = false;
};

}  // namespace mimic::machines
