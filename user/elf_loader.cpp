// ELF64 loading: header and program-header validation, PT_LOAD mapping, PT_INTERP.
#include "user/elf_loader.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace mimic::user {
namespace {

constexpr uint64_t kMaxElfSize = uint64_t(1) << 31;

struct File {
    std::string path;
    std::vector<uint8_t> bytes;
};

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw UserError(path + ": " + what);
}

File read_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(path, std::strerror(errno));
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        fail(path, "not a regular file");
    }
    if (uint64_t(st.st_size) > kMaxElfSize) {
        ::close(fd);
        fail(path, "file too large");
    }
    File f{path, std::vector<uint8_t>(size_t(st.st_size))};
    size_t done = 0;
    while (done < f.bytes.size()) {
        const ssize_t n = ::read(fd, f.bytes.data() + done, f.bytes.size() - done);
        if (n <= 0) {
            ::close(fd);
            fail(path, "read error");
        }
        done += size_t(n);
    }
    ::close(fd);
    return f;
}

const Elf64_Ehdr& check_header(const File& f, uint16_t machine) {
    if (f.bytes.size() < sizeof(Elf64_Ehdr) || std::memcmp(f.bytes.data(), ELFMAG, SELFMAG) != 0)
        fail(f.path, "not an ELF file");
    const auto& eh = *reinterpret_cast<const Elf64_Ehdr*>(f.bytes.data());
    if (eh.e_ident[EI_CLASS] != ELFCLASS64) fail(f.path, "not a 64-bit ELF file");
    if (eh.e_ident[EI_DATA] != ELFDATA2LSB) fail(f.path, "not a little-endian ELF file");
    if (eh.e_ident[EI_VERSION] != EV_CURRENT) fail(f.path, "unknown ELF version");
    if (eh.e_machine != machine)
        fail(f.path, "ELF file is for another architecture (e_machine " + std::to_string(eh.e_machine) + ")");
    if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) fail(f.path, "ELF file is not an executable");
    if (eh.e_phentsize != sizeof(Elf64_Phdr)) fail(f.path, "malformed ELF file: bad program header size");
    if (eh.e_phnum == 0 || eh.e_phnum > 512) fail(f.path, "malformed ELF file: bad program header count");
    if (eh.e_phoff > f.bytes.size() || uint64_t(eh.e_phnum) * sizeof(Elf64_Phdr) > f.bytes.size() - eh.e_phoff)
        fail(f.path, "malformed ELF file: program headers outside the file");
    return eh;
}

const Elf64_Phdr* phdrs(const File& f, const Elf64_Ehdr& eh) {
    return reinterpret_cast<const Elf64_Phdr*>(f.bytes.data() + eh.e_phoff);
}

int prot_of(uint32_t p_flags) {
    return (p_flags & PF_R ? kProtRead : 0) | (p_flags & PF_W ? kProtWrite : 0) | (p_flags & PF_X ? kProtExec : 0);
}

struct Loaded {
    uint64_t bias = 0, entry = 0, phdr_addr = 0, end = 0;
};

// Maps every PT_LOAD of f at `bias` (ET_DYN) or at its own addresses (ET_EXEC).
Loaded map_segments(AddressSpace& as, const File& f, const Elf64_Ehdr& eh, uint64_t dyn_base) {
    const Elf64_Phdr* ph = phdrs(f, eh);
    uint64_t lo = UINT64_MAX, hi = 0;
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        if (ph[i].p_type != PT_LOAD) continue;
        const Elf64_Phdr& p = ph[i];
        if (p.p_filesz > p.p_memsz) fail(f.path, "malformed ELF file: segment larger in the file than in memory");
        if (p.p_offset > f.bytes.size() || p.p_filesz > f.bytes.size() - p.p_offset)
            fail(f.path, "malformed ELF file: segment outside the file");
        if (p.p_vaddr + p.p_memsz < p.p_vaddr) fail(f.path, "malformed ELF file: segment wraps around");
        if (p.p_align > 1 && (p.p_vaddr - p.p_offset) % p.p_align != 0)
            fail(f.path, "malformed ELF file: misaligned segment");
        lo = std::min(lo, p.p_vaddr & ~(kGuestPageSize - 1));
        hi = std::max(hi, p.p_vaddr + p.p_memsz);
    }
    if (hi == 0) fail(f.path, "ELF file has nothing to load");

    Loaded out;
    out.bias = eh.e_type == ET_DYN ? dyn_base - lo : 0;
    if (hi - lo > as.size() || lo + out.bias > as.size() - (hi - lo))
        fail(f.path, "ELF segments do not fit in the guest address space");

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
            fail(f.path, "cannot map segment (out of memory?)");
    }
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        if (ph[i].p_type != PT_LOAD) continue;
        const Elf64_Phdr& p = ph[i];
        if (!as.poke(p.p_vaddr + out.bias, f.bytes.data() + p.p_offset, p.p_filesz))
            fail(f.path, "cannot load segment");
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
    const File exe = read_file(path);
    const Elf64_Ehdr& eh = check_header(exe, target.machine);

    std::string interp;
    const Elf64_Phdr* ph = phdrs(exe, eh);
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        if (ph[i].p_type != PT_INTERP) continue;
        if (ph[i].p_offset > exe.bytes.size() || ph[i].p_filesz > exe.bytes.size() - ph[i].p_offset ||
            ph[i].p_filesz < 2)
            fail(path, "malformed ELF file: bad PT_INTERP");
        interp.assign(reinterpret_cast<const char*>(exe.bytes.data() + ph[i].p_offset), ph[i].p_filesz - 1);
    }

    const Loaded prog = map_segments(as, exe, eh, target.dyn_base);
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
            ld = read_file(interp_path);
        } catch (const UserError& e) {
            throw UserError(path + ": dynamically linked, and its interpreter " + interp_path +
                            " cannot be loaded (use -L to give the guest's root): " + e.what());
        }
        const Elf64_Ehdr& ldh = check_header(ld, target.machine);
        const Loaded l = map_segments(as, ld, ldh, target.interp_base);
        image.interp_base = l.bias;
        image.entry = l.entry;
    }
    return image;
}

}  // namespace mimic::user
