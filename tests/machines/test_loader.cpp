// System image loading: ELF64 by physical address, raw, Linux Image, gzip; malformed files are
// one-line errors, and randomly corrupted files never crash the loader.
#include <catch2/catch.hpp>

#include <elf.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "machines/common/loader.h"

using namespace mimic::machines;

namespace {

struct SegmentSpec {
    uint64_t paddr, vaddr;
    std::vector<uint8_t> bytes;
    uint64_t memsz;
};

struct Symbol {
    std::string name;
    uint64_t value;
};

// A riscv64 ET_EXEC: header, program headers, segment bytes, then (with symbols) .symtab,
// .strtab and the section headers.
std::vector<uint8_t> make_elf(const std::vector<SegmentSpec>& segs, const std::vector<Symbol>& syms = {},
                              uint64_t entry = 0x80000000) {
    std::vector<uint8_t> f(sizeof(Elf64_Ehdr) + segs.size() * sizeof(Elf64_Phdr));
    Elf64_Ehdr eh{};
    std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_RISCV;
    eh.e_version = EV_CURRENT;
    eh.e_entry = entry;
    eh.e_phoff = sizeof(Elf64_Ehdr);
    eh.e_ehsize = sizeof(Elf64_Ehdr);
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = uint16_t(segs.size());
    for (size_t i = 0; i < segs.size(); ++i) {
        Elf64_Phdr ph{};
        ph.p_type = PT_LOAD;
        ph.p_flags = PF_R | PF_W | PF_X;
        ph.p_offset = f.size();
        ph.p_vaddr = segs[i].vaddr;
        ph.p_paddr = segs[i].paddr;
        ph.p_filesz = segs[i].bytes.size();
        ph.p_memsz = segs[i].memsz;
        ph.p_align = 8;
        std::memcpy(f.data() + sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr), &ph, sizeof ph);
        f.insert(f.end(), segs[i].bytes.begin(), segs[i].bytes.end());
    }
    if (!syms.empty()) {
        std::string strtab(1, '\0');
        std::vector<Elf64_Sym> table(1);  // entry 0 is the null symbol
        for (const Symbol& s : syms) {
            Elf64_Sym e{};
            e.st_name = uint32_t(strtab.size());
            e.st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT);
            e.st_shndx = 1;
            e.st_value = s.value;
            e.st_size = 8;
            table.push_back(e);
            strtab += s.name + '\0';
        }
        const uint64_t symoff = f.size();
        f.resize(f.size() + table.size() * sizeof(Elf64_Sym));
        std::memcpy(f.data() + symoff, table.data(), table.size() * sizeof(Elf64_Sym));
        const uint64_t stroff = f.size();
        f.insert(f.end(), strtab.begin(), strtab.end());
        while (f.size() % 8) f.push_back(0);
        Elf64_Shdr sh[3]{};
        sh[1].sh_type = SHT_SYMTAB;
        sh[1].sh_offset = symoff;
        sh[1].sh_size = table.size() * sizeof(Elf64_Sym);
        sh[1].sh_link = 2;
        sh[1].sh_entsize = sizeof(Elf64_Sym);
        sh[2].sh_type = SHT_STRTAB;
        sh[2].sh_offset = stroff;
        sh[2].sh_size = strtab.size();
        eh.e_shoff = f.size();
        eh.e_shentsize = sizeof(Elf64_Shdr);
        eh.e_shnum = 3;
        f.resize(f.size() + sizeof sh);
        std::memcpy(f.data() + eh.e_shoff, sh, sizeof sh);
    }
    std::memcpy(f.data(), &eh, sizeof eh);
    return f;
}

// Two segments, loaded by physical address (the virtual ones are a kernel's high addresses).
std::vector<uint8_t> two_segment_elf() {
    return make_elf({{0x80000000, 0xffffffff80000000, {0x13, 0, 0, 0, 0x73, 0, 0x10, 0}, 8},
                     {0x80001000, 0xffffffff80001000, {1, 2, 3, 4}, 0x1000}},
                    {{"tohost", 0x80001000}, {"fromhost", 0x80001040}, {"other", 0x1234}});
}

template <typename T>
void patch(std::vector<uint8_t>& f, size_t offset, T value) {
    std::memcpy(f.data() + offset, &value, sizeof value);
}

constexpr size_t kPh0 = sizeof(Elf64_Ehdr);
constexpr size_t kPh1 = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr);

std::string error_of(const std::vector<uint8_t>& bytes, LoadOptions options = {}) {
    try {
        load_image_bytes(bytes, "img", options);
    } catch (const LoadError& e) {
        const std::string msg = e.what();
        CHECK(msg.find('\n') == std::string::npos);
        CHECK(msg.rfind("img: ", 0) == 0);
        return msg.substr(5);
    }
    return "loaded";
}

std::vector<uint8_t> gzip(const std::vector<uint8_t>& in) {
    z_stream zs{};
    REQUIRE(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::vector<uint8_t> out(deflateBound(&zs, uLong(in.size())) + 64);
    zs.next_in = const_cast<Bytef*>(in.data());
    zs.avail_in = uInt(in.size());
    zs.next_out = out.data();
    zs.avail_out = uInt(out.size());
    REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

struct TempFile {
    std::string path;
    explicit TempFile(const std::vector<uint8_t>& bytes) {
        char tmpl[] = "/tmp/mimic-image-XXXXXX";
        const int fd = mkstemp(tmpl);
        REQUIRE(fd >= 0);
        REQUIRE(write(fd, bytes.data(), bytes.size()) == ssize_t(bytes.size()));
        close(fd);
        path = tmpl;
    }
    ~TempFile() { std::remove(path.c_str()); }
};

void check_invariants(const LoadedImage& image) {
    REQUIRE_FALSE(image.segments.empty());
    for (size_t i = 0; i < image.segments.size(); ++i) {
        const Segment& s = image.segments[i];
        CHECK(s.data.size() <= s.mem_size);
        CHECK(s.addr >= image.low);
        CHECK(s.mem_size <= image.high - s.addr);
        if (i > 0) CHECK(s.addr - image.segments[i - 1].addr >= image.segments[i - 1].mem_size);
    }
}

}  // namespace

TEST_CASE("an ELF image loads by physical address with its .bss and symbols", "[machines][loader]") {
    LoadOptions options;
    options.symbols = {"tohost", "fromhost", "missing"};
    const TempFile file(two_segment_elf());
    const LoadedImage image = load_image(file.path, options);
    CHECK(image.format == ImageFormat::kElf);
    CHECK_FALSE(image.gzipped);
    CHECK(image.entry == 0x80000000);
    CHECK(image.low == 0x80000000);
    CHECK(image.high == 0x80002000);
    REQUIRE(image.segments.size() == 2);
    CHECK(image.segments[0].addr == 0x80000000);
    CHECK(image.segments[0].data == std::vector<uint8_t>{0x13, 0, 0, 0, 0x73, 0, 0x10, 0});
    CHECK(image.segments[1].addr == 0x80001000);
    CHECK(image.segments[1].data == std::vector<uint8_t>{1, 2, 3, 4});
    CHECK(image.segments[1].mem_size == 0x1000);
    CHECK(image.symbols == std::map<std::string, uint64_t>{{"tohost", 0x80001000}, {"fromhost", 0x80001040}});
    CHECK_FALSE(image.linux_header);
}

TEST_CASE("segments are sorted, and empty PT_LOADs are skipped", "[machines][loader]") {
    const auto f = make_elf({{0x80002000, 0, {9}, 1}, {0x90000000, 0, {}, 0}, {0x80000000, 0, {8}, 1}});
    const LoadedImage image = load_image_bytes(f, "img", {});
    REQUIRE(image.segments.size() == 2);
    CHECK(image.segments[0].addr == 0x80000000);
    CHECK(image.segments[1].addr == 0x80002000);
    CHECK(image.high == 0x80002001);
}

TEST_CASE("malformed ELF images are rejected with a clear error", "[machines][loader]") {
    const auto good = two_segment_elf();
    auto with = [&](auto change) {
        auto f = good;
        change(f);
        return f;
    };
    CHECK(error_of({0x7f, 'E', 'L', 'F'}) == "truncated ELF header");
    CHECK(error_of(with([](auto& f) { f[EI_CLASS] = ELFCLASS32; })) == "not a 64-bit ELF file");
    CHECK(error_of(with([](auto& f) { f[EI_DATA] = ELFDATA2MSB; })) == "not a little-endian ELF file");
    CHECK(error_of(with([](auto& f) { f.resize(40); })) == "truncated ELF header");
    CHECK(error_of(with([](auto& f) { patch<uint16_t>(f, offsetof(Elf64_Ehdr, e_machine), EM_X86_64); })) ==
          "ELF file is not for RISC-V (e_machine 62)");
    CHECK(error_of(with([](auto& f) { patch<uint16_t>(f, offsetof(Elf64_Ehdr, e_type), ET_REL); })) ==
          "ELF file is not an executable");
    CHECK(error_of(with([](auto& f) { patch<uint32_t>(f, offsetof(Elf64_Ehdr, e_version), 7); })) ==
          "unknown ELF version");
    CHECK(error_of(with([](auto& f) { patch<uint16_t>(f, offsetof(Elf64_Ehdr, e_phentsize), 32); })) ==
          "malformed ELF file: bad program header size");
    CHECK(error_of(with([](auto& f) { patch<uint16_t>(f, offsetof(Elf64_Ehdr, e_phnum), 0); })) ==
          "malformed ELF file: bad program header count");
    CHECK(error_of(with([](auto& f) { patch<uint16_t>(f, offsetof(Elf64_Ehdr, e_phnum), 0xffff); })) ==
          "malformed ELF file: bad program header count");
    CHECK(error_of(with([](auto& f) { patch<uint64_t>(f, offsetof(Elf64_Ehdr, e_phoff), ~uint64_t(0) - 8); })) ==
          "malformed ELF file: program headers outside the file");
    CHECK(error_of(with([](auto& f) { patch<uint64_t>(f, kPh0 + offsetof(Elf64_Phdr, p_offset), ~uint64_t(0)); })) ==
          "malformed ELF file: segment outside the file");
    CHECK(error_of(with([](auto& f) {
              patch<uint64_t>(f, kPh0 + offsetof(Elf64_Phdr, p_filesz), 1u << 20);
              patch<uint64_t>(f, kPh0 + offsetof(Elf64_Phdr, p_memsz), 1u << 20);
          })) == "malformed ELF file: segment outside the file");
    CHECK(error_of(with([](auto& f) { patch<uint64_t>(f, kPh0 + offsetof(Elf64_Phdr, p_memsz), 4); })) ==
          "malformed ELF file: segment larger in the file than in memory");
    CHECK(error_of(with([](auto& f) {
              patch<uint64_t>(f, kPh1 + offsetof(Elf64_Phdr, p_paddr), ~uint64_t(0) - 16);
          })) == "malformed ELF file: segment wraps around");
    CHECK(error_of(with([](auto& f) {
              patch<uint64_t>(f, kPh1 + offsetof(Elf64_Phdr, p_memsz), uint64_t(1) << 50);
          })) == "ELF segment too large (0x4000000000000 bytes)");
    CHECK(error_of(with([](auto& f) { patch<uint64_t>(f, kPh1 + offsetof(Elf64_Phdr, p_paddr), 0x80000004); })) ==
          "malformed ELF file: segments overlap at 0x80000004");
    CHECK(error_of(with([](auto& f) {
              patch<uint64_t>(f, kPh1 + offsetof(Elf64_Phdr, p_paddr), uint64_t(1) << 45);
          })) == "ELF segments span too much memory");
    CHECK(error_of(with([](auto& f) {
              patch<uint32_t>(f, kPh0 + offsetof(Elf64_Phdr, p_type), PT_NOTE);
              patch<uint32_t>(f, kPh1 + offsetof(Elf64_Phdr, p_type), PT_DYNAMIC);
          })) == "ELF file has nothing to load");
}

TEST_CASE("malformed symbol tables are errors when symbols are wanted", "[machines][loader]") {
    LoadOptions options;
    options.symbols = {"tohost"};
    const auto good = two_segment_elf();
    Elf64_Ehdr eh;
    std::memcpy(&eh, good.data(), sizeof eh);
    auto f = good;
    patch<uint64_t>(f, offsetof(Elf64_Ehdr, e_shoff), f.size() - 8);
    CHECK(error_of(f, options) == "malformed ELF file: section headers outside the file");
    CHECK(error_of(f) == "loaded");  // nobody asked for symbols

    f = good;
    patch<uint32_t>(f, eh.e_shoff + sizeof(Elf64_Shdr) + offsetof(Elf64_Shdr, sh_link), 77);
    CHECK(error_of(f, options) == "malformed ELF file: bad symbol table");
    f = good;
    patch<uint64_t>(f, eh.e_shoff + 2 * sizeof(Elf64_Shdr) + offsetof(Elf64_Shdr, sh_size), uint64_t(1) << 40);
    CHECK(error_of(f, options) == "malformed ELF file: bad symbol string table");
    // A name running off the end of the string table is no match, not a read past it.
    f = good;
    patch<uint64_t>(f, eh.e_shoff + 2 * sizeof(Elf64_Shdr) + offsetof(Elf64_Shdr, sh_size), 3);
    CHECK(load_image_bytes(f, "img", options).symbols.empty());
}

TEST_CASE("raw images and Linux Images go at the given address", "[machines][loader]") {
    LoadOptions options;
    options.raw_address = 0x80200000;
    const std::vector<uint8_t> raw{1, 2, 3, 4, 5};
    const LoadedImage image = load_image_bytes(raw, "img", options);
    CHECK(image.format == ImageFormat::kRaw);
    CHECK(image.entry == 0x80200000);
    CHECK(image.low == 0x80200000);
    CHECK(image.high == 0x80200005);
    REQUIRE(image.segments.size() == 1);
    CHECK(image.segments[0].data == raw);
    CHECK(image.segments[0].mem_size == 5);

    // The header of a RISC-V Linux Image: code0/1, text_offset, image_size, flags, version, ...,
    // magic2 "RSC\x05" at 0x38.
    std::vector<uint8_t> linux_image(0x1000);
    patch<uint64_t>(linux_image, 8, 0x200000);
    patch<uint64_t>(linux_image, 16, 0x1234000);
    patch<uint64_t>(linux_image, 24, 0);
    patch<uint32_t>(linux_image, 32, 0x2);
    std::memcpy(linux_image.data() + 48, "RISCV\0\0\0", 8);
    std::memcpy(linux_image.data() + 0x38, "RSC\x05", 4);
    const LoadedImage li = load_image_bytes(linux_image, "img", options);
    CHECK(li.format == ImageFormat::kLinuxImage);
    REQUIRE(li.linux_header);
    CHECK(li.linux_header->text_offset == 0x200000);
    CHECK(li.linux_header->image_size == 0x1234000);
    CHECK(li.linux_header->version == 2);
    CHECK(li.segments[0].addr == 0x80200000);
    linux_image[0x3b] = 4;  // wrong magic: just a raw binary
    CHECK(load_image_bytes(linux_image, "img", options).format == ImageFormat::kRaw);

    CHECK(error_of({}) == "empty file");
    options.raw_address = ~uint64_t(0) - 2;
    CHECK(error_of(raw, options) == "image does not fit at 0xfffffffffffffffd");
    options.allow_raw = false;
    CHECK(error_of(raw, options) == "not an ELF file");
}

TEST_CASE("gzip-compressed images are decompressed, within a size cap", "[machines][loader]") {
    LoadOptions options;
    options.symbols = {"tohost"};
    const LoadedImage elf = load_image_bytes(gzip(two_segment_elf()), "img", options);
    CHECK(elf.gzipped);
    CHECK(elf.format == ImageFormat::kElf);
    CHECK(elf.segments.size() == 2);
    CHECK(elf.symbols.at("tohost") == 0x80001000);

    const std::vector<uint8_t> zeros(4 << 20);
    const auto bomb = gzip(zeros);
    CHECK(bomb.size() < 10000);
    options.max_file_size = 1 << 20;
    CHECK(error_of(bomb, options) == "decompressed image larger than 1048576 bytes");
    options.max_file_size = 4 << 20;  // exactly the cap is fine
    CHECK(load_image_bytes(bomb, "img", options).segments[0].data.size() == zeros.size());

    auto truncated = gzip(two_segment_elf());
    truncated.resize(truncated.size() / 2);
    CHECK(error_of(truncated) == "corrupt gzip data");
    auto corrupt = gzip(two_segment_elf());
    for (size_t i = 10; i < corrupt.size() - 8; ++i) corrupt[i] ^= 0x5a;
    CHECK(error_of(corrupt) == "corrupt gzip data");

    // An initrd stays compressed: the kernel unpacks it.
    LoadOptions initrd;
    initrd.gunzip = false;
    const auto packed = gzip(std::vector<uint8_t>(1000, 7));
    const LoadedImage rd = load_image_bytes(packed, "img", initrd);
    CHECK_FALSE(rd.gzipped);
    CHECK(rd.segments[0].data == packed);
}

TEST_CASE("files that cannot be read are errors naming them", "[machines][loader]") {
    CHECK_THROWS_WITH(load_image("/nonexistent/kernel", {}), "/nonexistent/kernel: No such file or directory");
    CHECK_THROWS_WITH(load_image("/tmp", {}), "/tmp: not a regular file");
    const TempFile file(std::vector<uint8_t>(100, 1));
    LoadOptions small;
    small.max_file_size = 10;
    CHECK_THROWS_WITH(load_image(file.path, small), file.path + ": file too large (100 bytes, at most 10)");
}

TEST_CASE("images that overlap are refused, as QEMU refuses them", "[machines][loader]") {
    LoadOptions options;
    options.raw_address = 0x80001000;
    const LoadedImage elf = load_image_bytes(two_segment_elf(), "kernel", {});
    const LoadedImage inside_bss = load_image_bytes({1, 2}, "initrd", options);
    options.raw_address = 0x80002000;
    const LoadedImage after = load_image_bytes({1, 2}, "initrd", options);
    CHECK_NOTHROW(check_no_overlap({{"kernel", &elf}, {"initrd", &after}}));
    CHECK_THROWS_WITH(check_no_overlap({{"kernel", &elf}, {"initrd", &inside_bss}}),
                      "initrd: overlaps kernel at 0x80001000 (images [0x80001000, 0x80002000) and "
                      "[0x80001000, 0x80001002))");
    CHECK(image_within(elf, 0x80000000, 0x2000));
    CHECK_FALSE(image_within(elf, 0x80000000, 0x1fff));
    CHECK_FALSE(image_within(elf, 0x80001000, 0x10000));
    CHECK_FALSE(image_within(after, 0x90000000, ~uint64_t(0) - 0x90000000));
}

TEST_CASE("randomly corrupted images load or fail cleanly, never crash", "[machines][loader]") {
    std::mt19937 rng(4321);
    LoadOptions options;
    options.symbols = {"tohost", "fromhost"};
    options.allow_raw = false;
    const std::vector<std::vector<uint8_t>> seeds = {two_segment_elf(), gzip(two_segment_elf())};
    int loaded = 0, rejected = 0;
    for (int i = 0; i < 2000; ++i) {
        auto f = seeds[i % 2];
        const int flips = 1 + int(rng() % 8);
        for (int k = 0; k < flips; ++k) f[rng() % f.size()] ^= uint8_t(1u << (rng() % 8));
        if (rng() % 4 == 0) f.resize(rng() % f.size());
        try {
            check_invariants(load_image_bytes(f, "img", options));
            ++loaded;
        } catch (const LoadError& e) {
            CHECK(std::string(e.what()).find('\n') == std::string::npos);
            ++rejected;
        }
    }
    CHECK(loaded + rejected == 2000);
    CHECK(loaded > 0);
    CHECK(rejected > 0);
}
