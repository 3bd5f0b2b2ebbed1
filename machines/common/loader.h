// Guest images for system mode (firmware, kernel, initrd) read into segments placed by physical
// address: ELF64, raw binaries, RISC-V Linux `Image`s, optionally gzip-compressed. Nothing in a
// file is trusted: a malformed image is a one-line LoadError, never a crash or a huge allocation.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mimic::machines {

// "PATH: what is wrong".
struct LoadError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// `data` goes at `addr`; the rest of [addr, addr + mem_size) is zero (an ELF's .bss).
struct Segment {
    uint64_t addr = 0;
    std::vector<uint8_t> data;
    uint64_t mem_size = 0;  // >= data.size()
};

enum class ImageFormat { kElf, kRaw, kLinuxImage };

// The RISC-V Linux boot image header (Documentation/riscv/boot-image-header.rst).
struct LinuxImageHeader {
    uint64_t text_offset = 0;  // where the kernel wants to be, from a 2 MiB aligned RAM base
    uint64_t image_size = 0;   // bytes the kernel occupies once running, .bss included (0: unknown)
    uint64_t flags = 0;
    uint32_t version = 0;
};

struct LoadedImage {
    ImageFormat format = ImageFormat::kRaw;
    bool gzipped = false;
    std::vector<Segment> segments;  // sorted by address, non-empty, not overlapping
    uint64_t entry = 0;             // ELF: e_entry; otherwise the load address
    uint64_t low = 0, high = 0;     // [low, high) spans every segment's memory
    std::optional<LinuxImageHeader> linux_header;
    std::map<std::string, uint64_t> symbols;  // the requested symbols the ELF defines (st_value)
};

struct LoadOptions {
    uint64_t raw_address = 0;                    // where a raw binary or Linux Image goes
    bool allow_raw = true;                       // false: anything but an ELF file is an error
    bool gunzip = true;                          // false for an initrd: the kernel decompresses it itself
    uint64_t max_file_size = uint64_t(1) << 30;  // also the limit after decompression
    uint64_t max_mem_size = uint64_t(1) << 40;   // largest memory span of one image
    std::vector<std::string> symbols;            // ELF symbols to look up (e.g. tohost, fromhost)
};

// Reads and decodes the file at `path`. Throws LoadError ("PATH: ...").
LoadedImage load_image(const std::string& path, const LoadOptions& options);
// The same for bytes already in memory; `name` stands for the path in messages.
LoadedImage load_image_bytes(std::vector<uint8_t> bytes, const std::string& name, const LoadOptions& options);

// The parts, for boards and tests.
std::vector<uint8_t> read_file(const std::string& path, uint64_t max_size);
bool is_gzip(const std::vector<uint8_t>& bytes);
std::vector<uint8_t> gunzip(const std::vector<uint8_t>& bytes, uint64_t max_size, const std::string& name);
std::optional<LinuxImageHeader> parse_linux_image_header(const std::vector<uint8_t>& bytes);
LoadedImage parse_elf(const std::vector<uint8_t>& bytes, const std::string& name, const LoadOptions& options);

struct NamedImage {
    std::string name;
    const LoadedImage* image;
};
// QEMU refuses to load images whose bytes overlap; so do we. Throws LoadError naming both.
void check_no_overlap(const std::vector<NamedImage>& images);
// Whether every segment of `image` lies inside [base, base + size).
bool image_within(const LoadedImage& image, uint64_t base, uint64_t size);

}  // namespace mimic::machines
