// User mode's host-guarded guest memory: host page protection mirrors the guest's (generated code
// relies on it instead of checking permissions), faults in generated code resume in their slow
// paths with exact guest state, and faults that are not the guest's still end the process.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>

#include "engine/host_faults.h"
#include "tests/frontends/riscv/encode.h"
#include "tests/frontends/riscv/harness.h"
#include "user/address_space.h"

using namespace mimic;
using namespace mimic::test;
using namespace mimic::test::rv;

namespace {

// Whether the host lets this process read / write the byte at p, asked through the kernel (which
// returns EFAULT instead of raising a signal).
bool host_readable(const void* p) {
    char byte;
    iovec local{&byte, 1}, remote{const_cast<void*>(p), 1};
    return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == 1;
}
bool host_writable(void* p) {
    char byte = 0;
    if (!host_readable(p)) return false;
    iovec in{&byte, 1}, at{p, 1};
    process_vm_readv(getpid(), &in, 1, &at, 1, 0);
    return process_vm_writev(getpid(), &in, 1, &at, 1, 0) == 1;  // writes back what was there
}

// Runs `body` in a child process and returns how it ended (waitpid's status).
template <typename F>
int in_child(F body) {
    const pid_t pid = fork();
    if (pid == 0) {
        alarm(10);  // a hang ends as SIGALRM
        // Catch's own handler is in place: make the default action the one Mimic's passes on to.
        signal(SIGSEGV, SIG_DFL);
        signal(SIGBUS, SIG_DFL);
        user::AddressSpace reinstalls(16);
        body();
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

constexpr uint64_t kPage = 0x40000;

}  // namespace

TEST_CASE("host protection mirrors the guest's, and code pages are write-protected", "[user][guarded]") {
    user::AddressSpace memory(24);
    memory.map_anonymous(kPage, 0x5000, user::kProtRead);
    memory.protect(kPage + 0x1000, 0x1000, user::kProtRead | user::kProtWrite);
    memory.protect(kPage + 0x2000, 0x1000, user::kProtExec);
    memory.protect(kPage + 0x3000, 0x1000, user::kProtWrite);
    memory.protect(kPage + 0x4000, 0x1000, 0);
    uint8_t* base = memory.host_pointer(kPage, 1, user::kProtRead);
    REQUIRE(base);
    CHECK((host_readable(base) && !host_writable(base)));
    CHECK((host_readable(base + 0x1000) && host_writable(base + 0x1000)));
    CHECK((!host_readable(base + 0x2000) && !host_writable(base + 0x2000)));  // execute-only
    CHECK((host_readable(base + 0x3000) && host_writable(base + 0x3000)));    // write implies read
    CHECK(memory.host_pointer(kPage + 0x3000, 8, user::kProtRead) != nullptr);
    CHECK(!host_readable(base + 0x4000));
    CHECK(!host_readable(base + memory.size() - kPage));  // the guard past the end

    // Translated code from a writable page: writes fault until the code is dropped.
    memory.set_code_page((kPage + 0x1000) >> kGuestPageBits, true);
    CHECK(!host_writable(base + 0x1000));
    const uint32_t word = 0x12345678;
    CHECK(memory.write(kPage + 0x1008, &word, 4));
    CHECK(host_writable(base + 0x1000));

    // The translator still reads execute-only code.
    uint32_t fetched = 1;
    CHECK(memory.fetch(nullptr, kPage + 0x2000, &fetched, 4, nullptr));
    CHECK(fetched == 0);
}

// What a versioned loop's check asks before it runs without per-access checks.
TEST_CASE("a stable range is accessible in every page, without code for writes, while one thread uses it",
          "[user][guarded]") {
    user::AddressSpace memory(24);
    CpuHeader first, second;
    memory.attach(first);
    memory.map_anonymous(kPage, 0x3000, user::kProtRead | user::kProtWrite);
    memory.protect(kPage + 0x2000, 0x1000, user::kProtRead);
    CHECK(memory.stable_range(&first, kPage, kPage + 0x2000, Access::kWrite));
    CHECK(memory.stable_range(&first, kPage + 0x10, kPage + 0x3000, Access::kRead));
    CHECK(!memory.stable_range(&first, kPage + 0x10, kPage + 0x2001, Access::kWrite));  // one byte read-only
    CHECK(!memory.stable_range(&first, kPage - 1, kPage + 0x10, Access::kRead));        // one byte unmapped
    CHECK(!memory.stable_range(&first, kPage + 0x10, kPage + 0x10, Access::kRead));     // empty
    CHECK(!memory.stable_range(&first, kPage + 0x20, kPage + 0x10, Access::kRead));     // wrapped
    CHECK(!memory.stable_range(&first, memory.size() - 8, memory.size() + 8, Access::kRead));
    memory.map_anonymous(memory.size() - 0x1000, 0x1000, user::kProtRead);
    CHECK(memory.stable_range(&first, memory.size() - 8, memory.size(), Access::kRead));

    // A page translated code comes from takes reads, not writes.
    memory.set_code_page((kPage + 0x1000) >> kGuestPageBits, true);
    CHECK(!memory.stable_range(&first, kPage, kPage + 0x2000, Access::kWrite));
    CHECK(memory.stable_range(&first, kPage, kPage + 0x2000, Access::kRead));
    memory.set_code_page((kPage + 0x1000) >> kGuestPageBits, false);
    CHECK(memory.stable_range(&first, kPage, kPage + 0x2000, Access::kWrite));

    // Another thread could unmap or protect the range meanwhile.
    memory.attach(second);
    CHECK(!memory.stable_range(&first, kPage, kPage + 0x2000, Access::kRead));
    CHECK(!memory.stable_range(&second, kPage, kPage + 0x2000, Access::kRead));
}

TEST_CASE("pages are read and written ignoring protection, which stays as it was", "[user][guarded]") {
    user::AddressSpace memory(24);
    memory.map_anonymous(kPage, 0x2000, 0);  // as mremap finds a PROT_NONE mapping
    const uint64_t word = 0x1122334455667788;
    REQUIRE(memory.poke(kPage + 0xffc, &word, 8));
    uint64_t back = 0;
    REQUIRE(memory.peek(kPage + 0xffc, &back, 8));
    CHECK(back == word);
    uint8_t* base = memory.host_pointer(kPage, 1, 0);
    CHECK(!host_readable(base));
    CHECK(!host_readable(base + 0x1000));
}

TEST_CASE("a permission the host refuses leaves the guest's as it was", "[user][guarded]") {
    char path[] = "/tmp/mimic-guarded-XXXXXX";
    const int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    REQUIRE(ftruncate(fd, 0x1000) == 0);
    const int read_only = open(path, O_RDONLY);
    unlink(path);
    close(fd);
    user::AddressSpace memory(24);
    REQUIRE(memory.map_file(kPage, 0x1000, user::kProtRead, read_only, 0, true));
    close(read_only);
    CHECK(!memory.protect(kPage, 0x1000, user::kProtRead | user::kProtWrite));
    CHECK(memory.host_pointer(kPage, 4, user::kProtWrite) == nullptr);
    CHECK(memory.host_pointer(kPage, 4, user::kProtRead) != nullptr);
}

TEST_CASE("Mimic's own write to a code page of the guest drops the code and goes through", "[user][guarded]") {
    user::AddressSpace memory(24);
    memory.map_anonymous(kPage, 0x1000, user::kProtRead | user::kProtWrite | user::kProtExec);
    // A raw host store, as the interpreter's or a helper's would be when a translation on another
    // thread protects the page between their check and their store.
    uint8_t* raw = memory.host_pointer(kPage, 1, user::kProtRead);
    memory.set_code_page(kPage >> kGuestPageBits, true);
    REQUIRE(!host_writable(raw));
    *reinterpret_cast<volatile uint32_t*>(raw + 16) = 0xabcd;
    uint32_t back = 0;
    CHECK(memory.read(kPage + 16, &back, 4));
    CHECK(back == 0xabcd);
}

TEST_CASE("faults that are not the guest's still end the process", "[user][guarded]") {
    user::AddressSpace memory(24);
    memory.map_anonymous(kPage, 0x1000, user::kProtRead);
    uint8_t* read_only = memory.host_pointer(kPage, 1, user::kProtRead);
    int status = in_child([] { *static_cast<volatile int*>(nullptr) = 1; });
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV));
    // Inside guest memory, but the guest may not write there either: Mimic's bug, not a retry loop.
    status = in_child([&] { *reinterpret_cast<volatile uint32_t*>(read_only) = 1; });
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV));
    status = in_child([] { raise(SIGSEGV); });  // sent, not raised by an access
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV));
}

TEST_CASE("compiled guest accesses fault with exact state, also across a page end", "[user][guarded][llvm]") {
    for (Tier tier : {Tier::kInterp, Tier::kLlvm}) {
        CAPTURE(int(tier));
        RiscvMachine m(256, true, tier);
        // A doubleword whose last 4 bytes are on an unmapped page: the fault is at that page.
        m.cpu.x[1] = RiscvMachine::kData + 0x10000 - 4;
        m.cpu.x[6] = RiscvMachine::kData;
        m.run({addi(2, 0, 7), store(3, 2, 6, 0), load(3, 3, 1, 0), addi(4, 0, 9)});
        REQUIRE(m.exit.kind == BlockExit::Kind::kException);
        CHECK(m.cpu.header.exception_pending == user::kMemoryFault);
        CHECK(m.cpu.header.exception_tval == RiscvMachine::kData + 0x10000);
        CHECK(m.cpu.header.pc == RiscvMachine::kCode + 8);
        CHECK(m.cpu.x[2] == 7);
        CHECK(m.load64(RiscvMachine::kData) == 7);  // the store before it happened
        CHECK(m.cpu.x[4] == 0);

        // A load from execute-only memory is a protection fault; a store to read-only memory too.
        m.memory().protect(RiscvMachine::kData, 0x1000, user::kProtExec);
        m.cpu.x[1] = RiscvMachine::kData;
        m.run({load(3, 3, 1, 0)});
        REQUIRE(m.exit.kind == BlockExit::Kind::kException);
        CHECK((m.cpu.header.exception_cause & user::kFaultProtection) != 0);
        CHECK(m.cpu.header.pc == RiscvMachine::kCode);
        m.cpu.x[1] = RiscvMachine::kCode;
        m.run({store(3, 2, 1, 0x400)});
        REQUIRE(m.exit.kind == BlockExit::Kind::kException);
        CHECK((m.cpu.header.exception_cause & user::kFaultProtection) != 0);
        CHECK(m.cpu.header.exception_tval == RiscvMachine::kCode + 0x400);
    }
}

TEST_CASE("the recovery table finds every entry it was given, as it grows", "[user][guarded]") {
    host_faults::RecoveryTable table;
    for (uintptr_t i = 1; i <= 5000; ++i) table.insert(0x7f0000000000 + 7 * i, i);
    CHECK(table.size() == 5000);
    for (uintptr_t i = 1; i <= 5000; ++i) REQUIRE(table.lookup(0x7f0000000000 + 7 * i) == i);
    CHECK(table.lookup(0x7f0000000000 + 3) == 0);
    CHECK(table.lookup(0) == 0);
}
