// User-mode command line parsing and the guest address space's bookkeeping.
#include <catch2/catch.hpp>

#include "user/address_space.h"
#include "user/elf_loader.h"
#include "user/options.h"

using namespace mimic::user;

namespace {
UserOptions parse(std::vector<const char*> args, std::vector<const char*> env = {}) {
    args.insert(args.begin(), "mimic-riscv64");
    env.push_back(nullptr);
    return parse_user_options(int(args.size()), args.data(), env.data());
}
}  // namespace

TEST_CASE("QEMU-style options are understood", "[user][options]") {
    const UserOptions o = parse({"-d", "in_asm,op", "-D", "log.txt", "-L", "/sysroot", "-E", "A=2", "-U", "B",
                                 "-strace", "-one-insn-per-tb", "-s", "1M", "prog", "-x", "y"},
                                {"A=1", "B=2", "C=3"});
    CHECK(o.log_items == "in_asm,op");
    CHECK(o.log_file == "log.txt");
    CHECK(o.interp_prefix == "/sysroot");
    CHECK(o.env == std::vector<std::string>{"C=3", "A=2"});
    CHECK(o.strace);
    CHECK(o.one_insn_per_tb);
    CHECK(o.stack_size == 1 << 20);
    CHECK(o.program == "prog");
    CHECK(o.args == std::vector<std::string>{"prog", "-x", "y"});  // options after the program are its own
}

TEST_CASE("bad command lines are one-line errors", "[user][options]") {
    CHECK_THROWS_WITH(parse({"-frobnicate", "prog"}), "unknown option '-frobnicate' (try -h)");
    CHECK_THROWS_WITH(parse({"-d"}), "option '-d' needs an argument");
    CHECK_THROWS_WITH(parse({}), "no program given (try -h)");
    CHECK_THROWS_WITH(parse({"-E", "novalue", "p"}), "-E expects var=value, got 'novalue'");
    CHECK_THROWS_WITH(parse({"-cpu", "pentium", "p"}), "unknown CPU model 'pentium' (try -cpu help)");
    CHECK_THROWS_WITH(parse({"-s", "12Q", "p"}), "invalid size '12Q'");
    CHECK(parse({"-h"}).action == UserOptions::Action::kHelp);
    CHECK(parse({"-d", "help"}).action == UserOptions::Action::kLogHelp);
}

TEST_CASE("the address space maps, protects, finds free ranges and checks accesses", "[user][memory]") {
    AddressSpace as(30);
    REQUIRE(as.map_anonymous(0x10000, 0x3000, kProtRead | kProtWrite));
    CHECK(as.is_mapped(0x10000, 0x3000));
    CHECK_FALSE(as.is_mapped(0x10000, 0x4000));
    CHECK(as.write(0x10ffe, "abcd", 4));  // across a page boundary
    REQUIRE(as.protect(0x11000, 0x1000, kProtRead));
    CHECK_FALSE(as.write(0x11000, "x", 1));
    char buf[4];
    CHECK(as.read(0x10ffe, buf, 4));
    CHECK(std::string(buf, 4) == "abcd");
    as.unmap(0x11000, 0x1000);
    CHECK_FALSE(as.read(0x11000, buf, 1));
    CHECK(as.is_mapped(0x12000, 0x1000));
    // Top-down search below 0x13000 skips the mapped pages.
    const auto free = as.find_free(0x2000, 0, 0x13000);
    REQUIRE(free);
    CHECK(*free + 0x2000 <= 0x13000);
    CHECK_FALSE(as.is_mapped(*free, 0x2000));
    CHECK_FALSE(as.map_anonymous(as.size() - 0x1000, 0x2000, kProtRead));  // beyond the guest's range
    CHECK(as.host_pointer(~uint64_t(0) - 2, 8, kProtRead) == nullptr);     // wild pointer
}

TEST_CASE("a fixed mapping inside another keeps the outer one's pages taken", "[user][memory]") {
    // The dynamic linker reserves a range and then maps segments at fixed addresses inside it; a
    // later search for free space must still see the whole reserved range as used.
    AddressSpace as(30);
    REQUIRE(as.map_anonymous(0x10000, 0x10000, kProtRead));
    REQUIRE(as.map_anonymous(0x12000, 0x1000, kProtRead | kProtWrite));
    const auto free = as.find_free(0x1000, 0, 0x20000);
    REQUIRE(free);
    CHECK((*free + 0x1000 <= 0x10000 || *free >= 0x20000));
    CHECK(as.is_mapped(0x10000, 0x10000));
    as.unmap(0x12000, 0x1000);
    CHECK(as.is_mapped(0x10000, 0x2000));
    CHECK_FALSE(as.is_mapped(0x12000, 0x1000));
    CHECK(as.is_mapped(0x13000, 0xd000));
}
