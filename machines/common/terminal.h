// Raw mode for the terminal on stdin while a console uses it, undone on every way out: the
// guard's destructor (normal exit, exceptions), exit(), std::_Exit after
// restore_terminal_before_exit(), and fatal or terminating signals.
#pragma once

namespace mimic::machines {

// At most one guard is active in a process (the terminal is the process's); a second one, or one
// for an fd that is not a terminal, does nothing. On SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGABRT
// the terminal is put back before the signal goes on to its previous handler; SIGSEGV, SIGBUS,
// SIGILL and SIGFPE are watched only while nobody else handles them. The destructor puts the
// previous handlers back.
class TerminalGuard {
public:
    // keep_signals: Ctrl-C and Ctrl-Z still act on the emulator (QEMU's -serial stdio); otherwise
    // they are bytes for the guest (mon:stdio, where Ctrl-A x quits).
    TerminalGuard(int fd, bool keep_signals);
    ~TerminalGuard();
    TerminalGuard(const TerminalGuard&) = delete;
    TerminalGuard& operator=(const TerminalGuard&) = delete;

    bool active() const { return active_; }
    // Puts the terminal back as it was (idempotent); the destructor calls it.
    void restore();

private:
    bool active_ = false;
};

// Puts the terminal back now if a guard has it raw, for a process about to leave with std::_Exit,
// which runs neither destructors nor atexit hooks.
void restore_terminal_before_exit();

}  // namespace mimic::machines
