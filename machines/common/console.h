// Host ends of character devices (devices/char_backend.h): the terminal with QEMU's Ctrl-A
// escapes and monitor (-nographic, -serial stdio|mon:stdio, -monitor stdio), a file, or nothing.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "devices/char_backend.h"
#include "machines/common/monitor.h"
#include "machines/common/options.h"
#include "machines/common/terminal.h"

namespace mimic::machines {

struct ConsoleError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Reads input on a thread of its own from the moment it is constructed; input for the guest waits
// (up to kMaxPending bytes, then stdin is no longer read) while the device cannot take it.
class StdioConsole : public devices::CharBackend {
public:
    enum class Mode {
        kSerial,   // -serial stdio: every byte is the guest's; Ctrl-C kills the emulator
        kMux,      // mon:stdio: Ctrl-A escapes, Ctrl-A c switches between guest and monitor
        kMonitor,  // -monitor stdio: the monitor alone
    };
    struct Config {
        int in_fd = 0;
        int out_fd = 1;
        Mode mode = Mode::kMux;
        bool raw_terminal = true;  // put in_fd in raw mode if it is a terminal
    };
    static constexpr size_t kMaxPending = 64 * 1024;

    // `monitor` is required for kMux and kMonitor (Ctrl-A x and `quit` call its quit()).
    StdioConsole(const Config& config, MonitorTarget* monitor);
    ~StdioConsole() override;  // stops the thread and restores the terminal
    StdioConsole(const StdioConsole&) = delete;
    StdioConsole& operator=(const StdioConsole&) = delete;

    void write(const uint8_t* data, size_t size) override;
    void attach(devices::CharFrontend* frontend) override;
    void accept_input() override;

    // Stops reading input and joins the thread (idempotent). Output still works.
    void stop();
    // Text printed by Ctrl-A h.
    static std::string escape_help();

private:
    void run();
    void wake();
    void handle(uint8_t byte);
    void handle_escape(uint8_t byte);
    void monitor_input(uint8_t byte);
    void to_focus(uint8_t byte);
    void deliver_pending();
    void print(const std::string& text);  // '\n' becomes "\r\n", as on a raw terminal
    void write_all(const uint8_t* data, size_t size);

    Config config_;
    MonitorTarget* target_;
    std::unique_ptr<Monitor> monitor_;
    std::unique_ptr<TerminalGuard> terminal_;

    std::mutex out_mutex_;
    std::mutex frontend_mutex_;
    devices::CharFrontend* frontend_ = nullptr;  // guarded by frontend_mutex_

    // Input-thread state.
    std::vector<uint8_t> pending_;  // guest input not yet taken; pending_[pending_head_] is next
    size_t pending_head_ = 0;
    bool escape_ = false;
    bool monitor_focus_ = false;
    bool banner_shown_ = false;
    bool quitting_ = false;
    std::string line_;
    int ansi_state_ = 0;  // skipping an ANSI escape sequence (arrow keys) in the monitor
    bool last_cr_ = false;

    int wake_fds_[2] = {-1, -1};
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

// -serial file:PATH: output to the file (truncated, as QEMU does), no input.
class FileConsole : public devices::CharBackend {
public:
    explicit FileConsole(const std::string& path);  // throws ConsoleError "PATH: reason"
    ~FileConsole() override;
    void write(const uint8_t* data, size_t size) override;
    void attach(devices::CharFrontend*) override {}

private:
    std::mutex mutex_;
    int fd_ = -1;
};

// -serial null/none: output dropped, no input.
class NullConsole : public devices::CharBackend {
public:
    void write(const uint8_t*, size_t) override {}
    void attach(devices::CharFrontend*) override {}
};

// The backend for one -serial device (kMonStdio needs `monitor`).
std::unique_ptr<devices::CharBackend> make_serial_backend(const CharDevSpec& spec, MonitorTarget* monitor);
// The console for -monitor stdio, or nullptr when the monitor is not on its own device.
std::unique_ptr<StdioConsole> make_monitor_console(const CharDevSpec& spec, MonitorTarget* monitor);

}  // namespace mimic::machines
