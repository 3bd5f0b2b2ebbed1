// Raw terminal mode and the signal and exit hooks that undo it.
#include "machines/common/terminal.h"

#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>

namespace mimic::machines {
namespace {

// The terminal belongs to the process, and signal handlers can only reach globals: this is the one
// piece of process-wide state, and only the active guard writes it.
struct SavedTerminal {
    std::atomic<bool> armed{false};
    int fd = -1;
    termios saved{};
    termios raw{};
    bool installed[NSIG] = {};
    struct sigaction previous[NSIG] = {};
};
SavedTerminal g_terminal;

// Signals that end the process: the terminal is put back, then the signal goes on to whoever
// handled it before (or its default action).
constexpr int kTerminating[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT};
// Faults: taken only when nobody handles them, since a handler (the engine's) may recover from them.
constexpr int kFaults[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};

void put_back() {
    if (g_terminal.armed.load()) tcsetattr(g_terminal.fd, TCSANOW, &g_terminal.saved);
}

void on_terminating_signal(int sig) {
    // Async-signal-safe only. The signal is blocked while this runs: re-raised, it reaches the
    // previous disposition as soon as this returns.
    put_back();
    g_terminal.armed.store(false);
    sigaction(sig, &g_terminal.previous[sig], nullptr);
    g_terminal.installed[sig] = false;
    raise(sig);
}

void on_stop_signal(int sig) {
    // Ctrl-Z: give the shell a sane terminal while stopped, and take raw mode back when continued.
    const int saved_errno = errno;
    put_back();
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    struct sigaction ours {};
    sigaction(sig, &dfl, &ours);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, nullptr);
    raise(sig);  // stops here until continued
    sigaction(sig, &ours, nullptr);
    if (g_terminal.armed.load()) tcsetattr(g_terminal.fd, TCSANOW, &g_terminal.raw);
    errno = saved_errno;
}

// only_default: install only over SIG_DFL. Never over SIG_IGN (nohup's SIGHUP stays ignored).
void install(int sig, void (*handler)(int), bool only_default) {
    struct sigaction current {};
    if (sigaction(sig, nullptr, &current) != 0 || current.sa_handler == SIG_IGN) return;
    if (only_default && current.sa_handler != SIG_DFL) return;
    struct sigaction sa {};
    sa.sa_handler = handler;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, &g_terminal.previous[sig]) == 0) g_terminal.installed[sig] = true;
}

void uninstall(int sig, void (*handler)(int)) {
    if (!g_terminal.installed[sig]) return;
    struct sigaction current {};
    // Put the old disposition back unless someone replaced ours meanwhile.
    if (sigaction(sig, nullptr, &current) == 0 && current.sa_handler == handler)
        sigaction(sig, &g_terminal.previous[sig], nullptr);
    g_terminal.installed[sig] = false;
}

void restore_at_exit() {
    put_back();
}

}  // namespace

TerminalGuard::TerminalGuard(int fd, bool keep_signals) {
    if (g_terminal.armed.load() || !isatty(fd)) return;
    termios t{};
    if (tcgetattr(fd, &t) != 0) return;
    g_terminal.fd = fd;
    g_terminal.saved = t;
    // Bytes through unchanged, no echo, no line editing; output post-processing stays on, so the
    // guest's "\n" still returns the carriage, as with QEMU.
    t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t.c_oflag |= OPOST;
    t.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
    if (!keep_signals) t.c_lflag &= ~ISIG;
    t.c_cflag &= ~(CSIZE | PARENB);
    t.c_cflag |= CS8;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    g_terminal.raw = t;

    static bool at_exit_registered = false;
    if (!at_exit_registered) at_exit_registered = std::atexit(restore_at_exit) == 0;
    for (int sig : kTerminating) install(sig, on_terminating_signal, false);
    for (int sig : kFaults) install(sig, on_terminating_signal, true);
    install(SIGTSTP, on_stop_signal, true);
    g_terminal.armed.store(true);
    active_ = true;
    tcsetattr(fd, TCSANOW, &t);
}

TerminalGuard::~TerminalGuard() {
    restore();
}

void restore_terminal_before_exit() {
    put_back();
}

void TerminalGuard::restore() {
    if (!active_) return;
    active_ = false;
    put_back();
    g_terminal.armed.store(false);
    for (int sig : kTerminating) uninstall(sig, on_terminating_signal);
    for (int sig : kFaults) uninstall(sig, on_terminating_signal);
    uninstall(SIGTSTP, on_stop_signal);
}

}  // namespace mimic::machines
