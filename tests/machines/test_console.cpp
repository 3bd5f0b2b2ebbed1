// Consoles: guest output passthrough, input flow control, QEMU's Ctrl-A escapes, the monitor, file
// and null consoles, and the terminal always put back (destructor, exception, exit, signal).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "machines/common/console.h"

using namespace mimic::machines;
using namespace std::chrono_literals;

namespace {

struct Pipe {
    int r = -1, w = -1;
    Pipe() {
        int fds[2];
        REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
        r = fds[0], w = fds[1];
    }
    ~Pipe() {
        close_write();
        if (r >= 0) close(r);
    }
    void close_write() {
        if (w >= 0) close(w);
        w = -1;
    }
    void send(const std::string& s) const { REQUIRE(write(w, s.data(), s.size()) == ssize_t(s.size())); }
};

// Reads `fd` until `needle` has appeared (or 5 s pass); returns everything read.
std::string read_until(int fd, const std::string& needle) {
    std::string got;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (got.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0) continue;
        char buf[4096];
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) break;
        got.append(buf, size_t(n));
    }
    INFO("waiting for: " << needle);
    CHECK(got.find(needle) != std::string::npos);
    return got;
}

// A device whose receive FIFO has `budget` free bytes; receiving uses them up.
class FakeDevice : public mimic::devices::CharFrontend {
public:
    size_t can_receive() override { return budget_.load(); }
    void receive(const uint8_t* data, size_t size) override {
        // On the console's thread: no Catch2 assertions here (they are not thread-safe).
        if (size > budget_.load()) overrun = true;
        budget_ -= std::min(size, budget_.load());
        std::lock_guard<std::mutex> lock(mutex_);
        got_.append(reinterpret_cast<const char*>(data), size);
        changed_.notify_all();
    }
    void set_budget(size_t n) { budget_ = n; }
    ~FakeDevice() override { CHECK_FALSE(overrun.load()); }  // never more than can_receive() said
    std::atomic<bool> overrun{false};
    // Waits until the device has received `n` bytes in all (or 5 s pass).
    std::string wait_for(size_t n) {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait_for(lock, 5s, [&] { return got_.size() >= n; });
        return got_;
    }
    std::string got() {
        std::lock_guard<std::mutex> lock(mutex_);
        return got_;
    }

private:
    std::atomic<size_t> budget_{1 << 20};
    std::mutex mutex_;
    std::condition_variable changed_;
    std::string got_;
};

class FakeMachine : public MonitorTarget {
public:
    void quit() override { ++quits; }
    std::string info_registers(bool all) override { return all ? "pc 1\npc 2\n" : "pc 0000000080000000\n"; }
    std::string info_cpus() override { return "* CPU #0: pc=0x80000000\n"; }
    void system_reset() override { ++resets; }
    std::atomic<int> quits{0}, resets{0};
};

void wait_until(const std::function<bool()>& done) {
    for (int i = 0; i < 500 && !done(); ++i) std::this_thread::sleep_for(10ms);
    CHECK(done());
}

StdioConsole::Config config(const Pipe& in, const Pipe& out, StdioConsole::Mode mode) {
    return StdioConsole::Config{in.r, out.w, mode, false};
}

}  // namespace

TEST_CASE("guest output goes to the terminal unchanged", "[machines][console]") {
    Pipe in, out;
    FakeMachine machine;
    StdioConsole console(config(in, out, StdioConsole::Mode::kMux), &machine);
    const std::string text = "hello\nworld\x01\r\n";
    console.write(reinterpret_cast<const uint8_t*>(text.data()), text.size());
    CHECK(read_until(out.r, "\r\n") == text);
}

TEST_CASE("option -serial stdio passes every byte to the guest, Ctrl-A included", "[machines][console]") {
    Pipe in, out;
    FakeDevice device;
    StdioConsole console(config(in, out, StdioConsole::Mode::kSerial), nullptr);
    console.attach(&device);
    in.send(
        "ab\x01x\x01"
        "c");
    CHECK(device.wait_for(6) ==
          "ab\x01x\x01"
          "c");
}

TEST_CASE("Ctrl-A escapes: help, sending Ctrl-A, quitting", "[machines][console]") {
    Pipe in, out;
    FakeDevice device;
    FakeMachine machine;
    StdioConsole console(config(in, out, StdioConsole::Mode::kMux), &machine);
    console.attach(&device);

    in.send(
        "ab\x01\x01"
        "c\x01"
        "ad\x01zq");  // C-a C-a and C-a a send C-a; C-a z is dropped
    CHECK(device.wait_for(7) ==
          "ab\x01"
          "c\x01"
          "dq");

    in.send("\x01h");
    const std::string help = read_until(out.r, "sends C-a");
    CHECK(help.find("C-a x    exit emulator\r\n") != std::string::npos);
    CHECK(help.find("C-a c    switch between console and monitor\r\n") != std::string::npos);

    in.send("\x01s");
    CHECK(read_until(out.r, "not supported").find("C-a s: not supported\r\n") != std::string::npos);

    in.send("\x01xafter");
    CHECK(read_until(out.r, "Terminated").find("Mimic: Terminated\r\n") != std::string::npos);
    wait_until([&] { return machine.quits.load() == 1; });
    std::this_thread::sleep_for(50ms);
    CHECK(device.got() ==
          "ab\x01"
          "c\x01"
          "dq");  // nothing after C-a x reaches the guest
}

TEST_CASE("Ctrl-A c switches to the monitor and back", "[machines][console]") {
    Pipe in, out;
    FakeDevice device;
    FakeMachine machine;
    StdioConsole console(config(in, out, StdioConsole::Mode::kMux), &machine);
    console.attach(&device);

    in.send(
        "\x01"
        "c");
    std::string o = read_until(out.r, "(mimic) ");
    CHECK(o == "Mimic monitor - type 'help' for more information\r\n(mimic) ");

    in.send("info registers\r");
    o = read_until(out.r, "\r\n(mimic) ");
    CHECK(o == "info registers\r\npc 0000000080000000\r\n(mimic) ");  // echo, output, prompt
    in.send("info registers -a\r\n");                                 // "\r\n" from a pipe is one Enter
    CHECK(read_until(out.r, "(mimic) ") == "info registers -a\r\npc 1\r\npc 2\r\n(mimic) ");
    in.send("info cpus\n");
    CHECK(read_until(out.r, "(mimic) ").find("* CPU #0: pc=0x80000000\r\n") != std::string::npos);

    in.send("foo\r");
    CHECK(read_until(out.r, "(mimic) ").find("unknown command: 'foo'\r\n") != std::string::npos);
    in.send("abc\x7f\x7fX\r");  // backspace edits the line
    o = read_until(out.r, "(mimic) ");
    CHECK(o.find("\b \b\b \b") != std::string::npos);
    CHECK(o.find("unknown command: 'aX'\r\n") != std::string::npos);
    in.send("\x1b[Ahelp\r");  // an arrow key is ignored
    o = read_until(out.r, "(mimic) ");
    CHECK(o.find("quit|q  -- quit the emulator\r\n") != std::string::npos);
    CHECK(o.find("info [subcommand] -- ") != std::string::npos);
    in.send("info\r");
    CHECK(read_until(out.r, "(mimic) ").find("info registers [-a] -- ") != std::string::npos);
    in.send("system_reset\r");
    read_until(out.r, "(mimic) ");
    CHECK(machine.resets.load() == 1);
    in.send("stop\r");
    CHECK(read_until(out.r, "(mimic) ").find("stop: not supported by this machine\r\n") != std::string::npos);

    CHECK(device.got().empty());  // nothing typed in the monitor reached the guest
    in.send(
        "\x01"
        "cto guest");
    CHECK(device.wait_for(8) == "to guest");
    in.send(
        "\x01"
        "c");                                                // the banner is shown once
    CHECK(read_until(out.r, "(mimic) ") == "\r\n(mimic) ");  // the line end from leaving it, a prompt
    in.send("q\r");
    wait_until([&] { return machine.quits.load() == 1; });
}

TEST_CASE("option -monitor stdio is the monitor alone", "[machines][console]") {
    Pipe in, out;
    FakeMachine machine;
    StdioConsole console(config(in, out, StdioConsole::Mode::kMonitor), &machine);
    CHECK(read_until(out.r, "(mimic) ") == "Mimic monitor - type 'help' for more information\r\n(mimic) ");
    in.send(
        "\x01"
        "quit\r");  // no escapes here, and a control character is not part of a command
    wait_until([&] { return machine.quits.load() == 1; });
}

TEST_CASE("guest input waits while the device's FIFO is full", "[machines][console]") {
    Pipe in, out;
    FakeDevice device;
    device.set_budget(0);
    FakeMachine machine;
    StdioConsole console(config(in, out, StdioConsole::Mode::kMux), &machine);
    console.attach(&device);
    in.send("hello");
    std::this_thread::sleep_for(100ms);
    CHECK(device.got().empty());
    device.set_budget(2);
    console.accept_input();
    CHECK(device.wait_for(2) == "he");
    std::this_thread::sleep_for(50ms);
    CHECK(device.got() == "he");
    device.set_budget(100);
    console.accept_input();
    CHECK(device.wait_for(5) == "hello");

    // Escapes still work while guest input is held back.
    device.set_budget(0);
    in.send("abc\x01h");
    read_until(out.r, "sends C-a");
}

TEST_CASE("input typed before end of file still reaches the guest", "[machines][console]") {
    Pipe in, out;
    FakeDevice device;
    device.set_budget(0);
    StdioConsole console(config(in, out, StdioConsole::Mode::kSerial), nullptr);
    console.attach(&device);
    in.send("abc");
    in.close_write();
    std::this_thread::sleep_for(50ms);
    device.set_budget(3);
    console.accept_input();
    CHECK(device.wait_for(3) == "abc");
}

TEST_CASE("stdin at /dev/null or closed: no input, output still works", "[machines][console]") {
    Pipe out;
    const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    REQUIRE(null_fd >= 0);
    FakeMachine machine;
    FakeDevice device;
    {
        StdioConsole console(StdioConsole::Config{null_fd, out.w, StdioConsole::Mode::kMux, true}, &machine);
        console.attach(&device);
        console.write(reinterpret_cast<const uint8_t*>("ok\n"), 3);
        CHECK(read_until(out.r, "ok\n") == "ok\n");
    }
    close(null_fd);
    StdioConsole console(StdioConsole::Config{-1, out.w, StdioConsole::Mode::kSerial, true}, nullptr);
    console.write(reinterpret_cast<const uint8_t*>("still\n"), 6);
    CHECK(read_until(out.r, "still\n") == "still\n");
    CHECK(device.got().empty());
}

TEST_CASE("a detached device gets no more input", "[machines][console]") {
    Pipe in, out;
    FakeDevice device;
    StdioConsole console(config(in, out, StdioConsole::Mode::kSerial), nullptr);
    console.attach(&device);
    in.send("1");
    CHECK(device.wait_for(1) == "1");
    console.attach(nullptr);
    in.send("2");
    std::this_thread::sleep_for(50ms);
    CHECK(device.got() == "1");
    console.attach(&device);  // what came in meanwhile was kept
    CHECK(device.wait_for(2) == "12");
}

TEST_CASE("a monitor console needs a machine", "[machines][console]") {
    Pipe in, out;
    CHECK_THROWS_AS(StdioConsole(config(in, out, StdioConsole::Mode::kMux), nullptr), ConsoleError);
}

TEST_CASE("file and null consoles", "[machines][console]") {
    const std::string path = "/tmp/mimic-console-test.txt";
    {
        std::ofstream old(path);
        old << "previous contents that must go";
    }
    {
        CharDevSpec spec{CharDevKind::kFile, path, "file:" + path};
        auto backend = make_serial_backend(spec, nullptr);
        REQUIRE(dynamic_cast<FileConsole*>(backend.get()) != nullptr);
        backend->write(reinterpret_cast<const uint8_t*>("guest says hi\n"), 14);
    }
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str() == "guest says hi\n");
    std::remove(path.c_str());

    CHECK_THROWS_WITH(FileConsole("/nonexistent/dir/out.txt"), "/nonexistent/dir/out.txt: No such file or directory");
    auto null = make_serial_backend(CharDevSpec{CharDevKind::kNull, "", "null"}, nullptr);
    CHECK(dynamic_cast<NullConsole*>(null.get()) != nullptr);
    null->write(reinterpret_cast<const uint8_t*>("x"), 1);
    CHECK(make_monitor_console(CharDevSpec{CharDevKind::kNone, "", "none"}, nullptr) == nullptr);
}

namespace {

// A pseudo-terminal: the guard acts on `tty` (the slave side), as on a real stdin.
struct Pty {
    int master = -1, tty = -1;
    Pty() {
        master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        REQUIRE(master >= 0);
        REQUIRE(grantpt(master) == 0);
        REQUIRE(unlockpt(master) == 0);
        tty = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
        REQUIRE(tty >= 0);
    }
    ~Pty() {
        close(tty);
        close(master);
    }
    termios mode() const {
        termios t{};
        REQUIRE(tcgetattr(tty, &t) == 0);
        return t;
    }
};

bool cooked(const termios& t) {
    return (t.c_lflag & ICANON) && (t.c_lflag & ECHO) && (t.c_lflag & ISIG);
}

}  // namespace

TEST_CASE("the terminal is raw while a console uses it, and put back after", "[machines][console]") {
    Pty pty;
    REQUIRE(cooked(pty.mode()));
    {
        TerminalGuard guard(pty.tty, false);
        CHECK(guard.active());
        const termios raw = pty.mode();
        CHECK_FALSE(raw.c_lflag & (ICANON | ECHO | ISIG));
        CHECK_FALSE(raw.c_iflag & (ICRNL | IXON));
        CHECK(raw.c_oflag & OPOST);  // "\n" still returns the carriage
        TerminalGuard second(pty.tty, false);
        CHECK_FALSE(second.active());  // one guard at a time
    }
    CHECK(cooked(pty.mode()));
    {
        TerminalGuard guard(pty.tty, true);  // -serial stdio: Ctrl-C still kills
        CHECK(pty.mode().c_lflag & ISIG);
        CHECK_FALSE(pty.mode().c_lflag & ICANON);
    }
    CHECK(cooked(pty.mode()));
    try {
        FakeMachine machine;
        StdioConsole console(StdioConsole::Config{pty.tty, pty.master, StdioConsole::Mode::kMux, true}, &machine);
        CHECK_FALSE(pty.mode().c_lflag & ICANON);
        throw std::runtime_error("fatal error while the machine runs");
    } catch (const std::runtime_error&) {
    }
    CHECK(cooked(pty.mode()));
    int not_a_tty[2];
    REQUIRE(pipe(not_a_tty) == 0);
    CHECK_FALSE(TerminalGuard(not_a_tty[0], false).active());
    close(not_a_tty[0]);
    close(not_a_tty[1]);
}

TEST_CASE("the terminal is put back on exit(), on _Exit, and on a fatal signal", "[machines][console]") {
    // how: 0 = exit(), kQuickExit = restore_terminal_before_exit() and _Exit (mimic-system's way
    // out), a signal number = die of it, -SIGTERM = SIGTERM handled by the program.
    constexpr int kQuickExit = 1000;
    for (const int how : {0, kQuickExit, SIGTERM, SIGABRT, SIGINT, -SIGTERM}) {
        Pty pty;
        const pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            // The child stands for a program without the test framework's signal handlers.
            for (int sig : {SIGTERM, SIGABRT, SIGINT}) std::signal(sig, SIG_DFL);
            if (how < 0) std::signal(-how, [](int) { _exit(7); });
            static TerminalGuard* guard = new TerminalGuard(pty.tty, false);  // never destroyed
            if (!guard->active()) _exit(3);
            if (how == 0) std::exit(0);
            if (how == kQuickExit) {
                restore_terminal_before_exit();
                std::_Exit(0);
            }
            raise(how < 0 ? -how : how);
            _exit(4);
        }
        int status = 0;
        REQUIRE(waitpid(child, &status, 0) == child);
        INFO("how " << how);
        if (how == 0 || how == kQuickExit)
            CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
        else if (how < 0)
            CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 7));  // its handler still ran
        else
            CHECK((WIFSIGNALED(status) && WTERMSIG(status) == how));  // it still dies of the signal
        CHECK(cooked(pty.mode()));
    }
}
