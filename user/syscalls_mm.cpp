// Memory system calls: brk, mmap and friends on the guest address space.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "user/process.h"
#include "user/syscalls.h"

namespace mimic::user {
namespace {

constexpr uint64_t kPageMask = kGuestPageSize - 1;
uint64_t page_up(uint64_t v) {
    return (v + kPageMask) & ~kPageMask;
}

// mmap flags (the same values in the generic ABI and on x86-64).
constexpr uint64_t kMapShared = 0x01, kMapPrivate = 0x02, kMapFixed = 0x10, kMapAnonymous = 0x20,
                   kMapFixedNoreplace = 0x100000;

// Fills [addr, addr+len) from the file, as a private mapping sees it; bytes past the end stay zero.
bool copy_file(AddressSpace& as, uint64_t addr, uint64_t len, int fd, uint64_t offset) {
    std::vector<uint8_t> buf(1 << 16);
    for (uint64_t done = 0; done < len;) {
        const ssize_t n = ::pread(fd, buf.data(), std::min<uint64_t>(buf.size(), len - done), off_t(offset + done));
        if (n < 0) return false;
        if (n == 0) break;
        as.poke(addr + done, buf.data(), uint64_t(n));
        done += uint64_t(n);
    }
    return true;
}

}  // namespace

int64_t sys_brk(Process& p, Thread&, const uint64_t* a) {
    std::lock_guard lock(p.mm_mutex());
    const uint64_t want = a[0];
    if (want < p.brk_start) return int64_t(p.brk_current);
    const uint64_t old_end = page_up(p.brk_current), new_end = page_up(want);
    if (new_end > old_end) {
        if (new_end > p.mmap_top || !p.memory().find_free(new_end - old_end, old_end, p.mmap_top) ||
            *p.memory().find_free(new_end - old_end, old_end, p.mmap_top) != old_end ||
            !p.memory().map_anonymous(old_end, new_end - old_end, kProtRead | kProtWrite))
            return int64_t(p.brk_current);  // Linux returns the old break on failure
    } else if (new_end < old_end) {
        p.memory().unmap(new_end, old_end - new_end);
    }
    p.brk_current = want;
    return int64_t(want);
}

int64_t sys_mmap(Process& p, Thread&, const uint64_t* a) {
    const uint64_t addr = a[0], len = a[1], flags = a[3], offset = a[5];
    const int prot = int(a[2]) & (kProtRead | kProtWrite | kProtExec);
    const int fd = int(a[4]);
    if (len == 0 || (offset & kPageMask) || page_up(len) < len) return -EINVAL;
    if (!(flags & (kMapShared | kMapPrivate))) return -EINVAL;
    const bool anonymous = flags & kMapAnonymous;
    struct stat st {};
    if (!anonymous && ::fstat(fd, &st) != 0) return -EBADF;

    std::lock_guard lock(p.mm_mutex());
    uint64_t where;
    if (flags & (kMapFixed | kMapFixedNoreplace)) {
        if (addr & kPageMask) return -EINVAL;
        if (!p.memory().find_free(len, addr, addr + page_up(len)) && (flags & kMapFixedNoreplace)) return -EEXIST;
        where = addr;
    } else {
        auto found = p.memory().find_free(len, addr & ~kPageMask, p.mmap_top);
        if (!found) return -ENOMEM;
        where = *found;
    }
    if (where + page_up(len) > p.memory().size()) return -ENOMEM;

    if (anonymous) {
        if (!p.memory().map_anonymous(where, len, prot)) return -ENOMEM;
    } else if (flags & kMapShared) {
        // Shared file mappings really share the file. Only the pages inside the file are backed
        // by it (a guest touching beyond would get SIGBUS from Linux; it reads zeros here).
        const uint64_t in_file = uint64_t(st.st_size) > offset ? page_up(uint64_t(st.st_size) - offset) : 0;
        const uint64_t backed = std::min(page_up(len), in_file);
        if (backed && !p.memory().map_file(where, backed, prot, fd, offset, true)) return -errno;
        if (page_up(len) > backed && !p.memory().map_anonymous(where + backed, page_up(len) - backed, prot))
            return -ENOMEM;
    } else {
        if (!p.memory().map_anonymous(where, len, prot) || !copy_file(p.memory(), where, len, fd, offset)) {
            p.memory().unmap(where, len);
            return -EACCES;
        }
    }
    return int64_t(where);
}

int64_t sys_munmap(Process& p, Thread&, const uint64_t* a) {
    if ((a[0] & kPageMask) || a[1] == 0 || a[0] + a[1] < a[0]) return -EINVAL;
    std::lock_guard lock(p.mm_mutex());
    p.memory().unmap(a[0], a[1]);
    return 0;
}

int64_t sys_mprotect(Process& p, Thread&, const uint64_t* a) {
    if (a[0] & kPageMask) return -EINVAL;
    std::lock_guard lock(p.mm_mutex());
    if (p.memory().protect(a[0], a[1], int(a[2]) & 7)) return 0;
    // Unmapped pages, or a permission the host refuses (writing a file opened read-only).
    return p.memory().is_mapped(a[0], page_up(a[1])) ? -EACCES : -ENOMEM;
}

int64_t sys_mremap(Process& p, Thread&, const uint64_t* a) {
    constexpr uint64_t kMayMove = 1;
    const uint64_t old_addr = a[0], old_len = page_up(a[1]), new_len = page_up(a[2]), flags = a[3];
    if ((old_addr & kPageMask) || new_len == 0 || (flags & ~kMayMove)) return -EINVAL;
    std::lock_guard lock(p.mm_mutex());
    if (!p.memory().is_mapped(old_addr, old_len)) return -EFAULT;
    if (new_len <= old_len) {
        if (new_len < old_len) p.memory().unmap(old_addr + new_len, old_len - new_len);
        return int64_t(old_addr);
    }
    // Grow in place when the pages after it are free.
    if (auto next = p.memory().find_free(new_len - old_len, old_addr + old_len, old_addr + new_len);
        next && *next == old_addr + old_len) {
        if (p.memory().map_anonymous(old_addr + old_len, new_len - old_len, kProtRead | kProtWrite))
            return int64_t(old_addr);
    }
    if (!(flags & kMayMove)) return -ENOMEM;
    auto to = p.memory().find_free(new_len, 0, p.mmap_top);
    if (!to || !p.memory().map_anonymous(*to, new_len, kProtRead | kProtWrite)) return -ENOMEM;
    std::vector<uint8_t> bytes(old_len);
    if (!p.memory().peek(old_addr, bytes.data(), old_len) || !p.memory().poke(*to, bytes.data(), old_len)) {
        p.memory().unmap(*to, new_len);
        return -ENOMEM;
    }
    p.memory().unmap(old_addr, old_len);
    return int64_t(*to);
}

int64_t sys_madvise(Process& p, Thread&, const uint64_t* a) {
    constexpr uint64_t kDontNeed = 4;
    if (a[0] & kPageMask) return -EINVAL;
    if (a[2] != kDontNeed) return 0;  // advice only
    // MADV_DONTNEED on private memory reads back zeros afterwards: programs rely on it.
    std::lock_guard lock(p.mm_mutex());
    const uint64_t len = page_up(a[1]);
    if (!p.memory().is_mapped(a[0], len)) return -ENOMEM;
    std::vector<uint8_t> zeros(len);
    p.memory().poke(a[0], zeros.data(), len);
    return 0;
}

int64_t sys_riscv_flush_icache(Process&, Thread&, const uint64_t*) {
    // Stores into translated code are already caught page by page; nothing is stale.
    return 0;
}

}  // namespace mimic::user
