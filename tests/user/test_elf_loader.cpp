// The ELF loader accepts a well-formed executable and rejects malformed ones with a one-line error.
#include <catch2/catch.hpp>

#include <elf.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <vector>

#include "user/elf_loader.h"

using namespace mimic::user;

namespace {

constexpr ElfTarget kRiscv{243, 1ull << 36, 1ull << 35};

// A minimal riscv64 ET_EXEC with one RX segment holding `ebreak` at 0x10000.
std::vector<uint8_t> minimal_elf() {
    std::vector<uint8_t> f(sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr) + 4);
    auto* eh = reinterpret_cast<Elf64_Ehdr*>(f.data());
    std::memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_EXEC;
    eh->e_machine = 243;
    eh->e_version = EV_CURRENT;
    eh->e_entry = 0x10000 + sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr);
    eh->e_phoff = sizeof(Elf64_Ehdr);
    eh->e_ehsize = sizeof(Elf64_Ehdr);
    eh->e_phentsize = sizeof(Elf64_Phdr);
    eh->e_phnum = 1;
    auto* ph = reinterpret_cast<Elf64_Phdr*>(f.data() + sizeof(Elf64_Ehdr));
    ph->p_type = PT_LOAD;
    ph->p_flags = PF_R | PF_X;
    ph->p_offset = 0;
    ph->p_vaddr = 0x10000;
    ph->p_filesz = ph->p_memsz = f.size();
    ph->p_align = 0x1000;
    const uint32_t ebreak = 0x00100073;
    std::memcpy(f.data() + f.size() - 4, &ebreak, 4);
    return f;
}

struct TempFile {
    std::string path;
    explicit TempFile(const std::vector<uint8_t>& bytes) {
        char tmpl[] = "/tmp/mimic-elf-XXXXXX";
        const int fd = mkstemp(tmpl);
        REQUIRE(fd >= 0);
        REQUIRE(write(fd, bytes.data(), bytes.size()) == ssize_t(bytes.size()));
        close(fd);
        path = tmpl;
    }
    ~TempFile() { std::remove(path.c_str()); }
};

std::string load_error(const std::vector<uint8_t>& bytes) {
    TempFile f(bytes);
    AddressSpace as(38);
    try {
        load_elf(as, f.path, kRiscv, "");
    } catch (const UserError& e) {
        const std::string msg = e.what();
        CHECK(msg.find('\n') == std::string::npos);
        CHECK(msg.rfind(f.path + ": ", 0) == 0);  // names the file
        return msg.substr(f.path.size() + 2);
    }
    return "loaded";
}

template <typename T>
void patch(std::vector<uint8_t>& f, size_t offset, T value) {
    std::memcpy(f.data() + offset, &value, sizeof value);
}

}  // namespace

TEST_CASE("a well-formed executable loads with its segment's permissions", "[user][elf]") {
    TempFile f(minimal_elf());
    AddressSpace as(38);
    const ElfImage image = load_elf(as, f.path, kRiscv, "");
    CHECK(image.entry == 0x10000 + sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr));
    CHECK(image.phdr_addr == 0x10000 + sizeof(Elf64_Ehdr));
    CHECK(image.brk_start == 0x11000);
    uint32_t word = 0;
    CHECK(as.fetch(nullptr, image.entry, &word, 4, nullptr));
    CHECK(word == 0x00100073);
    CHECK(as.host_pointer(0x10000, 4, kProtWrite) == nullptr);  // RX segment is not writable
}

TEST_CASE("malformed executables are rejected with a clear error", "[user][elf]") {
    const size_t ph = sizeof(Elf64_Ehdr);
    auto f = minimal_elf();
    CHECK(load_error({}) == "not an ELF file");
    CHECK(load_error({0x7f, 'E', 'L', 'F'}) == "not an ELF file");
    {
        auto g = f;
        g[EI_CLASS] = ELFCLASS32;
        CHECK(load_error(g) == "not a 64-bit ELF file");
    }
    {
        auto g = f;
        patch<uint16_t>(g, offsetof(Elf64_Ehdr, e_machine), 62);
        CHECK(load_error(g) == "ELF file is for another architecture (e_machine 62)");
    }
    {
        auto g = f;
        patch<uint64_t>(g, offsetof(Elf64_Ehdr, e_phoff), 1u << 30);
        CHECK(load_error(g) == "malformed ELF file: program headers outside the file");
    }
    {
        auto g = f;
        patch<uint16_t>(g, offsetof(Elf64_Ehdr, e_phnum), 0xffff);
        CHECK(load_error(g) == "malformed ELF file: bad program header count");
    }
    {
        auto g = f;
        patch<uint64_t>(g, ph + offsetof(Elf64_Phdr, p_filesz), 1u << 20);
        patch<uint64_t>(g, ph + offsetof(Elf64_Phdr, p_memsz), 1u << 20);
        CHECK(load_error(g) == "malformed ELF file: segment outside the file");
    }
    {
        auto g = f;
        patch<uint64_t>(g, ph + offsetof(Elf64_Phdr, p_memsz), 1);
        CHECK(load_error(g) == "malformed ELF file: segment larger in the file than in memory");
    }
    {
        auto g = f;
        patch<uint64_t>(g, ph + offsetof(Elf64_Phdr, p_vaddr), ~uint64_t(0) - 10);
        CHECK(load_error(g) == "malformed ELF file: segment wraps around");
    }
    {
        auto g = f;
        patch<uint64_t>(g, ph + offsetof(Elf64_Phdr, p_vaddr), 1ull << 40);
        CHECK(load_error(g) == "ELF segments do not fit in the guest address space");
    }
    {
        auto g = f;
        g.resize(40);  // truncated inside the header
        CHECK(load_error(g) == "not an ELF file");
    }
}

TEST_CASE("a missing file is an error naming it", "[user][elf]") {
    AddressSpace as(38);
    CHECK_THROWS_WITH(load_elf(as, "/nonexistent/prog", kRiscv, ""), "/nonexistent/prog: No such file or directory");
}

TEST_CASE("randomly corrupted executables load or fail cleanly, never crash", "[user][elf]") {
    std::mt19937 rng(1234);
    const auto good = minimal_elf();
    int loaded = 0, rejected = 0;
    for (int i = 0; i < 500; ++i) {
        auto f = good;
        const int flips = 1 + int(rng() % 8);
        for (int k = 0; k < flips; ++k) f[rng() % f.size()] ^= uint8_t(1u << (rng() % 8));
        if (rng() % 4 == 0) f.resize(rng() % f.size());
        TempFile file(f);
        AddressSpace as(38);
        try {
            load_elf(as, file.path, kRiscv, "");
            ++loaded;
        } catch (const UserError&) {
            ++rejected;
        }
    }
    CHECK(loaded + rejected == 500);
    CHECK(rejected > 0);
}
