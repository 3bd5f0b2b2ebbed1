// The stdio console (input thread, Ctrl-A escapes, monitor line editing), file and null consoles.
#include "machines/common/console.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace mimic::machines {
namespace {

constexpr uint8_t kCtrlA = 0x01;
constexpr uint8_t kEsc = 0x1b;

void write_fd(int fd, const uint8_t* data, size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n > 0) {
            data += n;
            size -= size_t(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            pollfd p{fd, POLLOUT, 0};
            poll(&p, 1, 100);
        } else {
            return;  // the reader went away: output is lost, as on a closed terminal
        }
    }
}

}  // namespace

StdioConsole::StdioConsole(const Config& config, MonitorTarget* monitor) : config_(config), target_(monitor) {
    if (config.mode != Mode::kSerial && !target_) throw ConsoleError("a monitor needs a machine to act on");
    if (target_) monitor_ = std::make_unique<Monitor>(*target_);
    if (pipe2(wake_fds_, O_CLOEXEC | O_NONBLOCK) != 0)
        throw ConsoleError(std::string("cannot create a pipe: ") + std::strerror(errno));
    if (config.raw_terminal) terminal_ = std::make_unique<TerminalGuard>(config.in_fd, config.mode != Mode::kMux);
    if (config.mode == Mode::kMonitor) {
        monitor_focus_ = banner_shown_ = true;
        print(Monitor::banner() + Monitor::kPrompt);
    }
    thread_ = std::thread([this] { run(); });
}

StdioConsole::~StdioConsole() {
    stop();
    terminal_.reset();
    for (int fd : wake_fds_)
        if (fd >= 0) ::close(fd);
}

void StdioConsole::stop() {
    stopping_.store(true);
    wake();
    // quit() may end up here on the input thread itself: it then simply finishes its loop.
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void StdioConsole::write(const uint8_t* data, size_t size) {
    std::lock_guard<std::mutex> lock(out_mutex_);
    write_fd(config_.out_fd, data, size);
}

void StdioConsole::attach(devices::CharFrontend* frontend) {
    {
        std::lock_guard<std::mutex> lock(frontend_mutex_);
        frontend_ = frontend;
    }
    wake();
}

void StdioConsole::accept_input() {
    wake();
}

void StdioConsole::wake() {
    const uint8_t b = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_fds_[1], &b, 1);  // full pipe: a wake-up is already due
}

std::string StdioConsole::escape_help() {
    return "\n"
           "C-a h    print this help\n"
           "C-a x    exit emulator\n"
           "C-a s    save disk data back to file (if -snapshot) (not supported)\n"
           "C-a t    toggle console timestamps (not supported)\n"
           "C-a b    send break (magic sysrq) (not supported)\n"
           "C-a c    switch between console and monitor\n"
           "C-a C-a  sends C-a (so does C-a a)\n";
}

void StdioConsole::print(const std::string& text) {
    std::string out;
    out.reserve(text.size() + 8);
    for (char c : text) {
        if (c == '\n') out += '\r';
        out += c;
    }
    write(reinterpret_cast<const uint8_t*>(out.data()), out.size());
}

void StdioConsole::run() {
    uint8_t buf[4096];
    bool eof = false;
    while (!stopping_.load() && !quitting_) {
        deliver_pending();
        const size_t pending = pending_.size() - pending_head_;
        if (eof && pending == 0) break;
        pollfd fds[2] = {{wake_fds_[0], POLLIN, 0}, {config_.in_fd, POLLIN, 0}};
        const nfds_t nfds = !eof && pending < kMaxPending ? 2 : 1;
        if (poll(fds, nfds, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (fds[0].revents) {
            uint8_t drain[64];
            while (::read(wake_fds_[0], drain, sizeof drain) > 0) {
            }
        }
        if (nfds == 2 && fds[1].revents) {
            const ssize_t n = ::read(config_.in_fd, buf, std::min(sizeof buf, kMaxPending - pending));
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            if (n <= 0) {
                eof = true;  // end of input (a pipe, /dev/null) or an unusable fd: no more input
                continue;
            }
            for (ssize_t i = 0; i < n && !quitting_; ++i) handle(buf[i]);
        }
    }
}

void StdioConsole::deliver_pending() {
    std::lock_guard<std::mutex> lock(frontend_mutex_);
    if (!frontend_) return;
    while (pending_head_ < pending_.size()) {
        const size_t room = frontend_->can_receive();
        if (room == 0) break;
        const size_t n = std::min(room, pending_.size() - pending_head_);
        frontend_->receive(pending_.data() + pending_head_, n);
        pending_head_ += n;
    }
    if (pending_head_ == pending_.size()) {
        pending_.clear();
        pending_head_ = 0;
    } else if (pending_head_ >= 4096) {
        pending_.erase(pending_.begin(), pending_.begin() + ptrdiff_t(pending_head_));
        pending_head_ = 0;
    }
}

void StdioConsole::handle(uint8_t byte) {
    if (config_.mode == Mode::kMux) {
        if (escape_) {
            escape_ = false;
            handle_escape(byte);
            return;
        }
        if (byte == kCtrlA) {
            escape_ = true;
            return;
        }
    }
    to_focus(byte);
}

void StdioConsole::handle_escape(uint8_t byte) {
    switch (byte) {
        case 'x':
            print("Mimic: Terminated\n");
            quitting_ = true;
            target_->quit();
            break;
        case 'h':
        case '?': print(escape_help()); break;
        case 'c':
            monitor_focus_ = !monitor_focus_;
            if (monitor_focus_) {
                if (!banner_shown_) print(Monitor::banner());
                banner_shown_ = true;
                print(Monitor::kPrompt + line_);
            } else {
                print("\n");
            }
            break;
        case kCtrlA:
        case 'a': to_focus(kCtrlA); break;
        case 's':
        case 't':
        case 'b': print(std::string("C-a ") + char(byte) + ": not supported\n"); break;
        default: break;  // like QEMU, an unknown escape is dropped
    }
}

void StdioConsole::to_focus(uint8_t byte) {
    if (monitor_focus_)
        monitor_input(byte);
    else
        pending_.push_back(byte);
}

void StdioConsole::monitor_input(uint8_t byte) {
    if (ansi_state_ == 1) {
        ansi_state_ = byte == '[' || byte == 'O' ? 2 : 0;
        return;
    }
    if (ansi_state_ == 2) {
        if (byte >= 0x40 && byte <= 0x7e) ansi_state_ = 0;
        return;
    }
    const bool after_cr = last_cr_;
    last_cr_ = byte == '\r';
    if (byte == kEsc) {
        ansi_state_ = 1;
    } else if (byte == '\r' || byte == '\n') {
        if (byte == '\n' && after_cr) return;  // "\r\n" from a pipe is one Enter
        print("\n");
        const std::string out = monitor_->execute(line_);
        line_.clear();
        print(out);
        if (monitor_->quit_requested()) {
            quitting_ = true;
            return;
        }
        if (monitor_focus_) print(Monitor::kPrompt);
    } else if (byte == 0x7f || byte == '\b') {
        if (!line_.empty()) {
            line_.pop_back();
            print("\b \b");
        }
    } else if (byte >= 0x20 && byte < 0x7f) {
        line_ += char(byte);
        print(std::string(1, char(byte)));
    }
}

FileConsole::FileConsole(const std::string& path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd_ < 0) throw ConsoleError(path + ": " + std::strerror(errno));
}

FileConsole::~FileConsole() {
    if (fd_ >= 0) ::close(fd_);
}

void FileConsole::write(const uint8_t* data, size_t size) {
    std::lock_guard<std::mutex> lock(mutex_);
    write_fd(fd_, data, size);
}

std::unique_ptr<devices::CharBackend> make_serial_backend(const CharDevSpec& spec, MonitorTarget* monitor) {
    switch (spec.kind) {
        case CharDevKind::kStdio:
            return std::make_unique<StdioConsole>(StdioConsole::Config{0, 1, StdioConsole::Mode::kSerial, true},
                                                  monitor);
        case CharDevKind::kMonStdio:
            return std::make_unique<StdioConsole>(StdioConsole::Config{0, 1, StdioConsole::Mode::kMux, true}, monitor);
        case CharDevKind::kFile: return std::make_unique<FileConsole>(spec.path);
        case CharDevKind::kNull:
        case CharDevKind::kNone: return std::make_unique<NullConsole>();
    }
    return std::make_unique<NullConsole>();
}

std::unique_ptr<StdioConsole> make_monitor_console(const CharDevSpec& spec, MonitorTarget* monitor) {
    if (spec.kind != CharDevKind::kStdio) return nullptr;
    return std::make_unique<StdioConsole>(StdioConsole::Config{0, 1, StdioConsole::Mode::kMonitor, true}, monitor);
}

}  // namespace mimic::machines
