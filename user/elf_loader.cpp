// ELF64 loading: header and program-header validation, PT_LOAD mapping, PT_INTERP.
#include "user/elf_loader.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mimic::user {
namespace {

constexpr uint64_t kMaxElfSize = uint64_t(1) << 31;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw UserError(path + ": " + what);
}

// An ELF file, open: its headers are read up front, its segments straight into guest memory
// (through a small buffer) rather than the whole file into one, which cost a page fault per 4 KiB.
class File {
public:
    File() = default;
    explicit File(const std::string& path) : path_(path) {
        fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) fail(path, std::strerror(errno));
        // A constructor that throws runs no destructor: the checks close the file themselves.
        struct stat st {};
        if (fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
            ::close(std::exchange(fd_, -1));
            fail(path, "not a regular file");
        }
        if (uint64_t(st.st_size) > kMaxElfSize) {
            ::close(std::exchange(fd_, -1));
            fail(path, "file too large");
        }
        size_ = uint64_t(st.st_size);
    }
    File(File&& other) noexcept { *this = std::move(other); }
    File& operator=(File&& other) noexcept {
        std::swap(path_, other.path_);
        std::swap(fd_, other.fd_);
        std::swap(size_, other.size_);
        return *this;
    }
    ~File() {
        if (fd_ >= 0) ::close(fd_);
    }

    const std::string& path() const { return path_; }
    uint64_t size() const { return size_; }
    // Bytes [offset, offset + len), which the caller has checked lie in the file.
    void read(uint64_t offset, void* out, uint64_t len) const {
        for (uint64_t done = 0; done < len;) {
            const ssize_t n = ::pread(fd_, static_cast<char*>(out) + done, len - done, off_t(offset + done));
            if (n <= 0) fail(path_, "read error");
            done += uint64_t(n);
        }
    }

private:
    std::string path_;
    int fd_ = -1;
    uint64_t size_ = 0;
};

struct Headers {
    Elf64_Ehdr eh;
    std::vector<Elf64_Phdr> ph;
};

Headers read_headers(const File& f, uint16_t machine) {
    Headers h{};
    if (f.size() < sizeof(Elf64_Ehdr)) fail(f.path(), "not an ELF file");
    f.read(0, &h.eh, sizeof h.eh);
    const Elf64_Ehdr& eh = h.eh;
    if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) fail(f.path(), "not an ELF file");
    if (eh.e_ident[EI_CLASS] != ELFCLASS64) fail(f.path(), "not a 64-bit ELF file");
    if (eh.e_ident[EI_DATA] != ELFDATA2LSB) fail(f.path(), "not a little-endian ELF file");
    if (eh.e_ident[EI_VERSION] != EV_CURRENT) fail(f.path(), "unknown ELF version");
    if (eh.e_machine != machine)
        fail(f.path(), "ELF file is for another architecture (e_machine " + std::to_string(eh.e_machine) + ")");
    if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) fail(f.path(), "ELF file is not an executable");
    if (eh.e_phentsize != sizeof(Elf64_Phdr)) fail(f.path(), "malformed ELF file: bad program header size");
    if (eh.e_phnum == 0 || eh.e_phnum > 512) fail(f.path(), "malformed ELF file: bad program header count");
    if (eh.e_phoff > f.size() || uint64_t(eh.e_phnum) * sizeof(Elf64_Phdr) > f.size() - eh.e_phoff)
        fail(f.path(), "malformed ELF file: program headers outside the file");
    h.ph.resize(eh.e_phnum);
    f.read(eh.e_phoff, h.ph.data(), h.ph.size() * sizeof(Elf64_Phdr));
    return h;
}

int prot_of(uint32_t p_flags) {
    return (p_flags & PF_R ? kProtRead : 0) | (p_flags & PF_W ? kProtWrite : 0) | (p_flags & PF_X ? kProtExec : 0);
}

struct Loaded {
    uint64_t bias = 0, entry = 0, phdr_addr = 0, end = 0;
};

// Maps every PT_LOAD of f at `bias` (ET_DYN) or at its own addresses (ET_EXEC).
Loaded map_segments(AddressSpace& as, const File& f, const Headers& h, uint64_t dyn_base) {
    const Elf64_Ehdr& eh = h.eh;
    const Elf64_Phdr* ph = h.ph.data();
    uint64_t lo = UINT64_MAX, hi = 0;
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        if (ph[i].p_type != PT_LOAD) continue;
        const Elf64_Phdr& p = ph[i];
        if (p.p_filesz > p.p_memsz) fail(f.path(), "malformed ELF file: segment larger in the file than in memory");
        if (p.p_offset > f.size() || p.p_filesz > f.size() - p.p_offset)
            fail(f.path(), "malformed ELF file: segment outside the file");
        if (p.p_vaddr + p.p_memsz < p.p_vaddr) fail(f.path(), "malformed ELF file: segment wraps around");
        if (p.p_align > 1 && (p.p_vaddr - p.p_offset) % p.p_align != 0)
            fail(f.path(), "malformed ELF file: misaligned segment");
        lo = std::min(lo, p.p_vaddr & ~(kGuestPageSize - 1));
        hi = std::max(hi, p.p_vaddr + p.p_memsz);
    }
    if (hi == 0) fail(f.path(), "ELF file has nothing to load");

    Loaded out;
    out.bias = eh.e_type == ET_DYN ? dyn_base - lo : 0;
    if (hi - lo > as.size() || lo + out.bias > as.size() - (hi - lo))
        fail(f.path(), "ELF segments do not fit in the guest address space");

    // Segments may share a page: such a page gets the union of their permissions. The pages are
    // cut at every segment boundary and each piece is mapped once, with the union of the
    // permissions of the segments covering it (at most 2 * e_phnum pieces, whatever the sizes).
    struct Span {
        uint64_t start, end;
        int prot;
    };
    std::vector<Span> spans;
    std::vector<uint64_t> cuts;
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0) continue;
        const uint64_t start = (ph[i].p_vaddr + out.bias) & ~(kGuestPageSize - 1);
        const uint64_t end = (ph[i].p_vaddr + out.bias + ph[i].p_memsz + kGuestPageSize - 1) & ~(kGuestPageSize - 1);
        spans.push_back({start, end, prot_of(ph[i].p_flags)});
        cuts.push_back(start);
        cuts.push_back(end);
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    for (size_t c = 0; c + 1 < cuts.size(); ++c) {
        int prot = 0;
        bool covered = false;
        for (const Span& span : spans) {
            if (span.start <= cuts[c] && cuts[c + 1] <= span.end) prot |= span.prot, covered = true;
        }
        if (covered && !as.map_anonymous(cuts[c], cuts[c + 1] - cuts[c], prot))
            fail(f.path(), "cannot map segment (out of memory?)");
    }
    constexpr uint64_t kChunk = 64 * 1024;
    const auto buffer = std::make_unique_for_overwrite<char[]>(kChunk);
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        if (ph[i].p_type != PT_LOAD) continue;
        const Elf64_Phdr& p = ph[i];
        for (uint64_t done = 0; done < p.p_filesz;) {
            const uint64_t n = std::min(p.p_filesz - done, kChunk);
            f.read(p.p_offset + done, buffer.get(), n);
            if (!as.poke(p.p_vaddr + out.bias + done, buffer.get(), n)) fail(f.path(), "cannot load segment");
            done += n;
        }
        if (p.p_offset <= eh.e_phoff && eh.e_phoff - p.p_offset < p.p_filesz)
            out.phdr_addr = p.p_vaddr + out.bias + (eh.e_phoff - p.p_offset);
    }
    for (unsigned i = 0; i < eh.e_phnum; ++i)
        if (ph[i].p_type == PT_PHDR) out.phdr_addr = ph[i].p_vaddr + out.bias;
    out.entry = eh.e_entry + out.bias;
    out.end = hi + out.bias;
    return out;
}

}  // namespace

ElfImage load_elf(AddressSpace& as, const std::string& path, const ElfTarget& target,
                  const std::string& interp_prefix) {
    const File exe(path);
    const Headers h = read_headers(exe, target.machine);
    const Elf64_Ehdr& eh = h.eh;

    std::string interp;
    for (const Elf64_Phdr& p : h.ph) {
        if (p.p_type != PT_INTERP) continue;
        if (p.p_offset > exe.size() || p.p_filesz > exe.size() - p.p_offset || p.p_filesz < 2 || p.p_filesz > 4096)
            fail(path, "malformed ELF file: bad PT_INTERP");
        interp.resize(p.p_filesz - 1);
        exe.read(p.p_offset, interp.data(), interp.size());
    }

    const Loaded prog = map_segments(as, exe, h, target.dyn_base);
    ElfImage image;
    image.program_entry = image.entry = prog.entry;
    image.phdr_addr = prog.phdr_addr;
    image.phent = eh.e_phentsize;
    image.phnum = eh.e_phnum;
    image.load_bias = prog.bias;
    image.brk_start = (prog.end + kGuestPageSize - 1) & ~(kGuestPageSize - 1);

    if (!interp.empty()) {
        const std::string interp_path = interp_prefix.empty() ? interp : interp_prefix + "/" + interp;
        File ld;
        try {
            ld = File(interp_path);
        } catch (const UserError& e) {
            throw UserError(path + ": dynamically linked, and its interpreter " + interp_path +
                            " cannot be loaded (use -L to give the guest's root): " + e.what());
        }
        const Loaded l = map_segments(as, ld, read_headers(ld, target.machine), target.interp_base);
        image.interp_base = l.bias;
        image.entry = l.entry;
    }
    return image;
}

}  // namespace mimic::user
