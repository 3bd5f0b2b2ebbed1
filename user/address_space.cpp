// AddressSpace: reservation, mapping bookkeeping, checked host access and the slow paths.
#include "user/address_space.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace mimic::user {

namespace {
constexpr uint64_t kPageMask = kGuestPageSize - 1;

uint8_t page_flags_for(int prot) {
    return uint8_t((prot & (kProtRead | kProtWrite) ? kPageRead : 0) | (prot & kProtWrite ? kPageWrite : 0) |
                   (prot & kProtExec ? kPageExec : 0));
}

int host_prot_for(uint8_t flags) {
    if (!(flags & kPageRead)) return PROT_NONE;
    return PROT_READ | ((flags & kPageWrite) && !(flags & kPageCode) ? PROT_WRITE : 0);
}

// Reads memory whatever its host protection (execute-only and PROT_NONE pages), as a debugger
// does, without the window in which other threads could use a page made readable meanwhile.
bool read_ignoring_protection(const void* from, void* out, size_t size) {
    const int fd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    size_t done = 0;
    while (done < size) {
        const ssize_t n =
            pread(fd, static_cast<char*>(out) + done, size - done, off_t(reinterpret_cast<uintptr_t>(from) + done));
        if (n <= 0) break;
        done += size_t(n);
    }
    close(fd);
    return done == size;
}
}  // namespace

AddressSpace::AddressSpace(unsigned bits) : size_(uint64_t(1) << bits) {
    void* base = mmap(nullptr, size_ + kGuardSize, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    void* flags = mmap(nullptr, size_ >> kGuestPageBits, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED || flags == MAP_FAILED) {
        const int err = errno;
        if (base != MAP_FAILED) munmap(base, size_ + kGuardSize);
        if (flags != MAP_FAILED) munmap(flags, size_ >> kGuestPageBits);
        throw std::runtime_error("cannot reserve " + std::to_string(size_ >> 30) +
                                 " GiB of address space for the guest (" + std::strerror(err) +
                                 "; is the virtual memory limit, ulimit -v, too low?)");
    }
    base_ = static_cast<uint8_t*>(base);
    flags_ = static_cast<uint8_t*>(flags);
    host_faults::add(static_cast<host_faults::GuardedMemory*>(this));
}

AddressSpace::~AddressSpace() {
    host_faults::remove(static_cast<host_faults::GuardedMemory*>(this));
    munmap(base_, size_ + kGuardSize);
    munmap(flags_, size_ >> kGuestPageBits);
}

void AddressSpace::attach(CpuHeader& env) {
    env.mem_base = base_;
    env.mem_limit = size_;
    env.page_flags = flags_;
    env.mem_port = this;
    attached_.fetch_add(1, std::memory_order_relaxed);  // before the thread runs: spawn_thread attaches
}

bool AddressSpace::stable_range(CpuHeader*, uint64_t first, uint64_t end, Access access) {
    if (attached_.load(std::memory_order_relaxed) != 1 || !(first < end && end <= size_)) return false;
    const bool write = access == Access::kWrite;
    const uint8_t mask = write ? kPageWrite | kPageCode : kPageRead;
    const uint8_t want = write ? kPageWrite : kPageRead;
    for (uint64_t p = first >> kGuestPageBits; p <= (end - 1) >> kGuestPageBits; ++p)
        if ((flags_[p] & mask) != want) return false;
    return true;
}

bool AddressSpace::set_prot(uint64_t addr, uint64_t len, int prot) {
    const uint8_t f = page_flags_for(prot);
    std::lock_guard lock(prot_mutex_);
    for (uint64_t p = addr >> kGuestPageBits; p < (addr + len) >> kGuestPageBits; ++p)
        flags_[p] = uint8_t((flags_[p] & kPageCode) | f);
    return mirror_locked(addr >> kGuestPageBits, (addr + len) >> kGuestPageBits);
}

bool AddressSpace::mirror_locked(uint64_t first, uint64_t end) {
    bool ok = true;
    for (uint64_t run = first; run < end;) {
        const int prot = host_prot_for(flags_[run]);
        uint64_t next = run + 1;
        while (next < end && host_prot_for(flags_[next]) == prot) ++next;
        ok &= mprotect(base_ + (run << kGuestPageBits), (next - run) << kGuestPageBits, prot) == 0;
        run = next;
    }
    return ok;
}

bool AddressSpace::map_anonymous(uint64_t addr, uint64_t len, int prot) {
    len = (len + kPageMask) & ~kPageMask;
    if ((addr & kPageMask) || !in_range(addr, len)) return false;
    std::lock_guard lock(mutex_);
    void* p = mmap(base_ + addr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (p == MAP_FAILED) return false;
    notify_code_write(addr, len);
    set_prot(addr, len, prot);
    forget(addr, addr + len);
    regions_[addr] = addr + len;
    return true;
}

bool AddressSpace::map_file(uint64_t addr, uint64_t len, int prot, int host_fd, uint64_t offset, bool shared) {
    len = (len + kPageMask) & ~kPageMask;
    if ((addr & kPageMask) || !in_range(addr, len)) return false;
    std::lock_guard lock(mutex_);
    // Mapped writable if it may ever be (private copies always may); set_prot then mirrors the guest's.
    const int host_prot = PROT_READ | (!shared || (prot & kProtWrite) ? PROT_WRITE : 0);
    void* p =
        mmap(base_ + addr, len, host_prot, (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED, host_fd, off_t(offset));
    if (p == MAP_FAILED) return false;
    notify_code_write(addr, len);
    set_prot(addr, len, prot);
    forget(addr, addr + len);
    regions_[addr] = addr + len;
    return true;
}

void AddressSpace::unmap(uint64_t addr, uint64_t len) {
    len = (len + kPageMask) & ~kPageMask;
    if (!in_range(addr, len) || len == 0) return;
    std::lock_guard lock(mutex_);
    notify_code_write(addr, len);
    std::lock_guard prot_lock(prot_mutex_);
    mmap(base_ + addr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
    // A code mark set again meanwhile stays, so that a mapping made here later drops that code.
    for (uint64_t p = addr >> kGuestPageBits; p < (addr + len) >> kGuestPageBits; ++p) flags_[p] &= kPageCode;
    forget(addr, addr + len);
}

// Removes [start, end) from the region map, splitting regions that straddle its ends, so that the
// map stays a set of disjoint ranges (find_free relies on it).
void AddressSpace::forget(uint64_t start, uint64_t end) {
    std::vector<std::pair<uint64_t, uint64_t>> keep;
    auto it = regions_.upper_bound(start);
    if (it != regions_.begin() && std::prev(it)->second > start) --it;
    while (it != regions_.end() && it->first < end) {
        if (it->first < start) keep.emplace_back(it->first, start);
        if (it->second > end) keep.emplace_back(end, it->second);
        it = regions_.erase(it);
    }
    for (auto [s, e] : keep) regions_[s] = e;
}

bool AddressSpace::protect(uint64_t addr, uint64_t len, int prot) {
    len = (len + kPageMask) & ~kPageMask;
    if ((addr & kPageMask) || !in_range(addr, len)) return false;
    std::lock_guard lock(mutex_);
    for (uint64_t p = addr >> kGuestPageBits; p < (addr + len) >> kGuestPageBits; ++p)
        if (!(flags_[p] & (kPageRead | kPageWrite | kPageExec)) && !is_mapped(p << kGuestPageBits, 1)) return false;
    // Code that loses exec permission (or gains write) must be retranslated when run again.
    notify_code_write(addr, len);
    const uint64_t first = addr >> kGuestPageBits, end = (addr + len) >> kGuestPageBits;
    const std::vector<uint8_t> old(flags_ + first, flags_ + end);
    if (set_prot(addr, len, prot)) return true;
    // The host refused (a shared mapping of a file opened read-only made writable): as it was.
    std::lock_guard prot_lock(prot_mutex_);
    for (uint64_t p = first; p < end; ++p) flags_[p] = uint8_t((flags_[p] & kPageCode) | (old[p - first] & ~kPageCode));
    mirror_locked(first, end);
    return false;
}

bool AddressSpace::is_mapped(uint64_t addr, uint64_t len) const {
    uint64_t cursor = addr;
    const uint64_t end = addr + len;
    auto it = regions_.upper_bound(cursor);
    if (it != regions_.begin()) --it;
    for (; it != regions_.end() && cursor < end; ++it) {
        if (it->first > cursor) return false;
        if (it->second > cursor) cursor = it->second;
    }
    return cursor >= end;
}

std::optional<uint64_t> AddressSpace::find_free(uint64_t len, uint64_t hint, uint64_t top) const {
    len = (len + kPageMask) & ~kPageMask;
    std::lock_guard lock(mutex_);
    auto overlaps = [&](uint64_t start) {
        auto it = regions_.lower_bound(start + len);
        if (it == regions_.begin()) return false;
        --it;
        return it->second > start;
    };
    if (hint && !(hint & kPageMask) && in_range(hint, len) && !overlaps(hint)) return hint;
    // Top-down: try the gap just below each region, starting from `top`.
    uint64_t candidate_end = std::min(top, size_);
    for (auto it = regions_.lower_bound(candidate_end);;) {
        if (candidate_end >= len + kGuestPageSize) {
            const uint64_t start = (candidate_end - len) & ~kPageMask;
            if (!overlaps(start)) return start;
        }
        if (it == regions_.begin()) break;
        --it;
        candidate_end = std::min(candidate_end, it->first);
    }
    return std::nullopt;
}

bool AddressSpace::check(uint64_t addr, uint64_t len, uint8_t need) const {
    if (len == 0) return true;
    if (!in_range(addr, len)) return false;
    for (uint64_t p = addr >> kGuestPageBits; p <= (addr + len - 1) >> kGuestPageBits; ++p)
        if ((flags_[p] & need) != need) return false;
    return true;
}

uint8_t* AddressSpace::host_pointer(uint64_t addr, uint64_t len, int prot) {
    if (!check(addr, len, page_flags_for(prot))) return nullptr;
    if (prot & kProtWrite) notify_code_write(addr, len);
    return base_ + addr;
}

bool AddressSpace::read(uint64_t addr, void* out, uint64_t len) {
    const uint8_t* p = host_pointer(addr, len, kProtRead);
    if (!p) return false;
    std::memcpy(out, p, len);
    return true;
}

bool AddressSpace::write(uint64_t addr, const void* data, uint64_t len) {
    uint8_t* p = host_pointer(addr, len, kProtWrite);
    if (!p) return false;
    std::memcpy(p, data, len);
    return true;
}

bool AddressSpace::poke(uint64_t addr, const void* data, uint64_t len) {
    if (!in_range(addr, len) || !is_mapped(addr, len)) return false;
    if (len == 0) return true;
    notify_code_write(addr, len);
    // Writable for the copy only. Another thread's generated code could meanwhile access these
    // pages as if the guest could; pokes (the loader, file copies, madvise, mremap) are brief.
    const uint64_t first = addr >> kGuestPageBits, end = ((addr + len - 1) >> kGuestPageBits) + 1;
    bool ok = false;
    {
        std::lock_guard lock(prot_mutex_);
        if (mprotect(base_ + (first << kGuestPageBits), (end - first) << kGuestPageBits, PROT_READ | PROT_WRITE) != 0)
            return false;
        std::memcpy(base_ + addr, data, len);
        ok = mirror_locked(first, end);
    }
    notify_code_write(addr, len);  // code translated from the old bytes meanwhile
    return ok;
}

bool AddressSpace::peek(uint64_t addr, void* out, uint64_t len) {
    if (!in_range(addr, len) || !is_mapped(addr, len)) return false;
    return len == 0 || read_ignoring_protection(base_ + addr, out, len);
}

std::optional<std::string> AddressSpace::read_string(uint64_t addr, size_t max) {
    std::string s;
    for (size_t i = 0; i < max; ++i) {
        const uint8_t* p = host_pointer(addr + i, 1, kProtRead);
        if (!p) return std::nullopt;
        if (*p == 0) return s;
        s.push_back(char(*p));
    }
    return std::nullopt;
}

// Host protection is per page, so a write to a code page drops all of the page's translated code,
// as QEMU's user mode does: the page is then writable until code is translated from it again.
void AddressSpace::notify_code_write(uint64_t addr, uint64_t len) {
    if (len == 0) return;
    for (uint64_t p = addr >> kGuestPageBits; p <= (addr + len - 1) >> kGuestPageBits; ++p) {
        if (!(flags_[p] & kPageCode)) continue;
        if (observer_)
            observer_->code_written(p << kGuestPageBits, kGuestPageSize);  // it clears the mark
        else
            set_code_page(p, false);  // nobody keeps code from it
    }
}

void AddressSpace::set_code_page(uint64_t page_index, bool has_code) {
    if (page_index >= (size_ >> kGuestPageBits)) return;
    std::lock_guard lock(prot_mutex_);
    const uint8_t old = flags_[page_index];
    flags_[page_index] = has_code ? uint8_t(old | kPageCode) : uint8_t(old & ~kPageCode);
    if (flags_[page_index] != old && (old & kPageWrite)) mirror_locked(page_index, page_index + 1);
}

bool AddressSpace::resolve_write_fault(uintptr_t host_address) {
    const uint64_t page = (host_address - uintptr_t(base_)) >> kGuestPageBits;
    if (page >= (size_ >> kGuestPageBits) || !(flags_[page] & kPageWrite)) return false;
    notify_code_write(page << kGuestPageBits, kGuestPageSize);
    std::lock_guard lock(prot_mutex_);
    // Code translated from the page meanwhile protects it again: the write then faults again.
    return mirror_locked(page, page + 1);
}

bool AddressSpace::fault(CpuHeader* env, uint64_t addr, uint64_t access_kind, uint8_t need, bool misaligned) {
    env->exception_pending = kMemoryFault;
    env->exception_cause =
        access_kind | (misaligned ? kFaultMisaligned : 0) |
        (in_range(addr, 1) && (flags_[addr >> kGuestPageBits] & (kPageRead | kPageWrite | kPageExec)) ? kFaultProtection
                                                                                                      : 0);
    env->exception_tval = addr;
    return false;
}

bool AddressSpace::load_slow(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t* value) {
    const unsigned size = op.size();
    if (op.aligned && (addr & (size - 1))) return fault(env, addr, uint64_t(Access::kRead), kPageRead, true);
    if (!check(addr, size, kPageRead)) {
        // Report the first byte that is not readable, as Linux's si_addr does.
        uint64_t bad = addr;
        while (bad < addr + size - 1 && check(bad, 1, kPageRead)) ++bad;
        return fault(env, bad, uint64_t(Access::kRead), kPageRead, false);
    }
    uint64_t v = 0;
    std::memcpy(&v, base_ + addr, size);
    if (op.big_endian) v = __builtin_bswap64(v) >> (64 - 8 * size);
    if (op.sign && size < 8) v = uint64_t(int64_t(v << (64 - 8 * size)) >> (64 - 8 * size));
    *value = v;
    return true;
}

bool AddressSpace::store_slow(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t value) {
    const unsigned size = op.size();
    if (op.aligned && (addr & (size - 1))) return fault(env, addr, uint64_t(Access::kWrite), kPageWrite, true);
    if (!check(addr, size, kPageWrite)) {
        uint64_t bad = addr;
        while (bad < addr + size - 1 && check(bad, 1, kPageWrite)) ++bad;
        return fault(env, bad, uint64_t(Access::kWrite), kPageWrite, false);
    }
    notify_code_write(addr, size);  // self-modifying code: drop the blocks first
    if (op.big_endian) value = __builtin_bswap64(value) >> (64 - 8 * size);
    std::memcpy(base_ + addr, &value, size);
    return true;
}

void* AddressSpace::atomic_pointer(CpuHeader* env, uint64_t addr, unsigned size, Access access) {
    const uint8_t need = access == Access::kRead ? kPageRead : kPageRead | kPageWrite;
    if (addr & (size - 1)) return fault(env, addr, uint64_t(access), need, true), nullptr;
    if (!check(addr, size, need)) return fault(env, addr, uint64_t(access), need, false), nullptr;
    if (access != Access::kRead) notify_code_write(addr, size);
    return base_ + addr;
}

bool AddressSpace::fetch(CpuHeader*, uint64_t addr, void* out, unsigned size, uint64_t*) {
    if (!check(addr, size, kPageExec)) return false;
    if (!check(addr, size, kPageRead)) return read_ignoring_protection(base_ + addr, out, size);
    std::memcpy(out, base_ + addr, size);
    return true;
}

}  // namespace mimic::user
