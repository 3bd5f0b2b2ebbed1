// Reading image files, gzip decompression, format detection, raw images and overlap checks.
#include "machines/common/loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace mimic::machines {
namespace {

[[noreturn]] void fail(const std::string& name, const std::string& what) {
    throw LoadError(name + ": " + what);
}

std::string hex(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

uint64_t le64(const std::vector<uint8_t>& b, size_t at) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = v << 8 | b[at + i];
    return v;
}

constexpr size_t kLinuxMagicOffset = 0x38;
constexpr size_t kLinuxHeaderSize = 0x40;

}  // namespace

std::vector<uint8_t> read_file(const std::string& path, uint64_t max_size) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(path, std::strerror(errno));
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        fail(path, "not a regular file");
    }
    if (uint64_t(st.st_size) > max_size) {
        ::close(fd);
        fail(path,
             "file too large (" + std::to_string(st.st_size) + " bytes, at most " + std::to_string(max_size) + ")");
    }
    std::vector<uint8_t> bytes(size_t(st.st_size));
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ::close(fd);
            fail(path, n == 0 ? "file shrank while being read" : std::strerror(errno));
        }
        done += size_t(n);
    }
    ::close(fd);
    return bytes;
}

bool is_gzip(const std::vector<uint8_t>& bytes) {
    return bytes.size() >= 3 && bytes[0] == 0x1f && bytes[1] == 0x8b && bytes[2] == 8;  // deflate
}

std::vector<uint8_t> gunzip(const std::vector<uint8_t>& in, uint64_t max_size, const std::string& name) {
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) fail(name, "cannot initialise zlib");
    std::vector<uint8_t> out;
    zs.next_in = const_cast<Bytef*>(in.data());
    zs.avail_in = 0;
    size_t consumed = 0;
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        if (zs.avail_in == 0) {
            // zlib counts in 32 bits: feed the input in pieces.
            const size_t piece = std::min<size_t>(in.size() - consumed, 1u << 30);
            zs.next_in = const_cast<Bytef*>(in.data() + consumed);
            zs.avail_in = uInt(piece);
            consumed += piece;
        }
        if (out.size() >= max_size) {
            inflateEnd(&zs);
            fail(name, "decompressed image larger than " + std::to_string(max_size) + " bytes");
        }
        const size_t chunk = size_t(std::min<uint64_t>(max_size - out.size(), 1u << 20));
        const size_t old = out.size();
        out.resize(old + chunk);
        zs.next_out = out.data() + old;
        zs.avail_out = uInt(chunk);
        rc = inflate(&zs, Z_NO_FLUSH);
        out.resize(old + chunk - zs.avail_out);
        if (rc == Z_BUF_ERROR && zs.avail_in == 0 && consumed == in.size()) rc = Z_DATA_ERROR;  // truncated
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
            inflateEnd(&zs);
            fail(name, "corrupt gzip data");
        }
    }
    inflateEnd(&zs);
    return out;
}

std::optional<LinuxImageHeader> parse_linux_image_header(const std::vector<uint8_t>& b) {
    if (b.size() < kLinuxHeaderSize || std::memcmp(b.data() + kLinuxMagicOffset, "RSC\x05", 4) != 0)
        return std::nullopt;
    LinuxImageHeader h;
    h.text_offset = le64(b, 8);
    h.image_size = le64(b, 16);
    h.flags = le64(b, 24);
    h.version = uint32_t(le64(b, 32));
    return h;
}

LoadedImage load_image_bytes(std::vector<uint8_t> bytes, const std::string& name, const LoadOptions& options) {
    bool gzipped = false;
    if (options.gunzip && is_gzip(bytes)) {
        bytes = gunzip(bytes, options.max_file_size, name);
        gzipped = true;
    }
    if (bytes.size() >= 4 && std::memcmp(bytes.data(),
                                         "\x7f"
                                         "ELF",
                                         4) == 0) {
        LoadedImage image = parse_elf(bytes, name, options);
        image.gzipped = gzipped;
        return image;
    }
    if (!options.allow_raw) fail(name, "not an ELF file");
    if (bytes.empty()) fail(name, "empty file");
    if (bytes.size() > options.max_mem_size || bytes.size() > ~uint64_t(0) - options.raw_address)
        fail(name, "image does not fit at " + hex(options.raw_address));
    LoadedImage image;
    image.gzipped = gzipped;
    image.linux_header = parse_linux_image_header(bytes);
    image.format = image.linux_header ? ImageFormat::kLinuxImage : ImageFormat::kRaw;
    image.entry = image.low = options.raw_address;
    image.high = options.raw_address + bytes.size();
    Segment s;
    s.addr = options.raw_address;
    s.mem_size = bytes.size();
    s.data = std::move(bytes);
    image.segments.push_back(std::move(s));
    return image;
}

LoadedImage load_image(const std::string& path, const LoadOptions& options) {
    return load_image_bytes(read_file(path, options.max_file_size), path, options);
}

void check_no_overlap(const std::vector<NamedImage>& images) {
    struct Span {
        uint64_t start, size;
        const std::string* name;
    };
    std::vector<Span> spans;
    for (const NamedImage& n : images)
        for (const Segment& s : n.image->segments) spans.push_back({s.addr, s.mem_size, &n.name});
    // Stable: with equal starts, the message names the later image as the intruder.
    std::stable_sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.start < b.start; });
    for (size_t i = 1; i < spans.size(); ++i) {
        const Span &a = spans[i - 1], &b = spans[i];
        if (b.start - a.start < a.size)
            throw LoadError(*b.name + ": overlaps " + *a.name + " at " + hex(b.start) + " (images [" + hex(a.start) +
                            ", " + hex(a.start + a.size) + ") and [" + hex(b.start) + ", " + hex(b.start + b.size) +
                            "))");
    }
}

bool image_within(const LoadedImage& image, uint64_t base, uint64_t size) {
    for (const Segment& s : image.segments)
        if (s.addr < base || s.addr - base > size || s.mem_size > size - (s.addr - base)) return false;
    return true;
}

}  // namespace mimic::machines
