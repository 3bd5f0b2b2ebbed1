// ELF64 system images: PT_LOAD segments by physical address, and symbol lookup in .symtab.
// Every header field is read with memcpy and checked against the file before use.
#include <elf.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "machines/common/loader.h"

namespace mimic::machines {
namespace {

constexpr unsigned kMaxProgramHeaders = 4096;

[[noreturn]] void fail(const std::string& name, const std::string& what) {
    throw LoadError(name + ": " + what);
}

template <typename T>
T read_struct(const std::vector<uint8_t>& bytes, uint64_t offset) {
    T v;
    std::memcpy(&v, bytes.data() + offset, sizeof v);
    return v;
}

// Whether [offset, offset + size) lies inside the file, without overflowing.
bool in_file(const std::vector<uint8_t>& bytes, uint64_t offset, uint64_t size) {
    return offset <= bytes.size() && size <= bytes.size() - offset;
}

std::string hex(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

void find_symbols(const std::vector<uint8_t>& f, const std::string& name, const Elf64_Ehdr& eh,
                  const std::vector<std::string>& wanted, std::map<std::string, uint64_t>& out) {
    // No section headers (stripped, or extended numbering we do not need): no symbols.
    if (eh.e_shoff == 0 || eh.e_shnum == 0) return;
    if (eh.e_shentsize != sizeof(Elf64_Shdr) || !in_file(f, eh.e_shoff, uint64_t(eh.e_shnum) * sizeof(Elf64_Shdr)))
        fail(name, "malformed ELF file: section headers outside the file");
    auto section = [&](unsigned i) {
        return read_struct<Elf64_Shdr>(f, eh.e_shoff + uint64_t(i) * sizeof(Elf64_Shdr));
    };
    for (unsigned i = 0; i < eh.e_shnum; ++i) {
        const Elf64_Shdr sym = section(i);
        if (sym.sh_type != SHT_SYMTAB) continue;
        if (sym.sh_entsize != sizeof(Elf64_Sym) || !in_file(f, sym.sh_offset, sym.sh_size) || sym.sh_link >= eh.e_shnum)
            fail(name, "malformed ELF file: bad symbol table");
        const Elf64_Shdr str = section(sym.sh_link);
        if (str.sh_type != SHT_STRTAB || !in_file(f, str.sh_offset, str.sh_size))
            fail(name, "malformed ELF file: bad symbol string table");
        const char* strings = reinterpret_cast<const char*>(f.data() + str.sh_offset);
        for (uint64_t k = 0; k < sym.sh_size / sizeof(Elf64_Sym); ++k) {
            const Elf64_Sym s = read_struct<Elf64_Sym>(f, sym.sh_offset + k * sizeof(Elf64_Sym));
            if (s.st_name == 0 || s.st_shndx == SHN_UNDEF || s.st_name >= str.sh_size) continue;
            const size_t max_len = str.sh_size - s.st_name;
            const size_t len = strnlen(strings + s.st_name, max_len);
            if (len == max_len) continue;  // not terminated inside the table
            const std::string sym_name(strings + s.st_name, len);
            if (std::find(wanted.begin(), wanted.end(), sym_name) != wanted.end()) out.emplace(sym_name, s.st_value);
        }
    }
}

}  // namespace

LoadedImage parse_elf(const std::vector<uint8_t>& f, const std::string& name, const LoadOptions& options) {
    if (f.size() < SELFMAG || std::memcmp(f.data(), ELFMAG, SELFMAG) != 0) fail(name, "not an ELF file");
    if (f.size() < EI_NIDENT) fail(name, "truncated ELF header");
    if (f[EI_CLASS] != ELFCLASS64) fail(name, "not a 64-bit ELF file");
    if (f[EI_DATA] != ELFDATA2LSB) fail(name, "not a little-endian ELF file");
    if (f.size() < sizeof(Elf64_Ehdr)) fail(name, "truncated ELF header");
    const auto eh = read_struct<Elf64_Ehdr>(f, 0);
    if (f[EI_VERSION] != EV_CURRENT || eh.e_version != EV_CURRENT) fail(name, "unknown ELF version");
    if (eh.e_machine != EM_RISCV)
        fail(name, "ELF file is not for RISC-V (e_machine " + std::to_string(eh.e_machine) + ")");
    if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) fail(name, "ELF file is not an executable");
    if (eh.e_phentsize != sizeof(Elf64_Phdr)) fail(name, "malformed ELF file: bad program header size");
    if (eh.e_phnum == 0 || eh.e_phnum > kMaxProgramHeaders) fail(name, "malformed ELF file: bad program header count");
    if (!in_file(f, eh.e_phoff, uint64_t(eh.e_phnum) * sizeof(Elf64_Phdr)))
        fail(name, "malformed ELF file: program headers outside the file");

    LoadedImage image;
    image.format = ImageFormat::kElf;
    image.entry = eh.e_entry;
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        const auto ph = read_struct<Elf64_Phdr>(f, eh.e_phoff + uint64_t(i) * sizeof(Elf64_Phdr));
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
        if (ph.p_filesz > ph.p_memsz) fail(name, "malformed ELF file: segment larger in the file than in memory");
        if (!in_file(f, ph.p_offset, ph.p_filesz)) fail(name, "malformed ELF file: segment outside the file");
        if (ph.p_memsz > ~uint64_t(0) - ph.p_paddr) fail(name, "malformed ELF file: segment wraps around");
        if (ph.p_memsz > options.max_mem_size) fail(name, "ELF segment too large (" + hex(ph.p_memsz) + " bytes)");
        Segment s;
        s.addr = ph.p_paddr;
        s.mem_size = ph.p_memsz;
        s.data.assign(f.begin() + ph.p_offset, f.begin() + ph.p_offset + ph.p_filesz);
        image.segments.push_back(std::move(s));
    }
    if (image.segments.empty()) fail(name, "ELF file has nothing to load");

    std::sort(image.segments.begin(), image.segments.end(),
              [](const Segment& a, const Segment& b) { return a.addr < b.addr; });
    for (size_t i = 1; i < image.segments.size(); ++i) {
        const Segment& prev = image.segments[i - 1];
        if (image.segments[i].addr - prev.addr < prev.mem_size)
            fail(name, "malformed ELF file: segments overlap at " + hex(image.segments[i].addr));
    }
    image.low = image.segments.front().addr;
    const Segment& last = image.segments.back();
    image.high = last.addr + last.mem_size;
    if (image.high - image.low > options.max_mem_size) fail(name, "ELF segments span too much memory");
    if (!options.symbols.empty()) find_symbols(f, name, eh, options.symbols, image.symbols);
    return image;
}

}  // namespace mimic::machines
