// A Linux process's guest virtual memory: one reserved host region (guest address 0 at base), guest
// page permissions kept in a byte per page and mirrored in the host pages' protection (which is
// what generated code relies on), mappings tracked for mmap. It is the MemoryPort of user mode:
// the slow paths turn bad accesses into guest faults.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "engine/host_faults.h"
#include "softmmu/memory_port.h"

namespace mimic::user {

// Guest protection bits (the values of PROT_READ/WRITE/EXEC, which Linux shares across ABIs).
enum GuestProt : int { kProtRead = 1, kProtWrite = 2, kProtExec = 4 };

// How a memory fault is reported in CpuHeader::exception_cause when exception_pending == kMemoryFault:
// the access kind in the low bits, kFaultMisaligned / kFaultProtection flags above.
inline constexpr uint32_t kMemoryFault = 2;
inline constexpr uint64_t kFaultMisaligned = 1 << 8;
inline constexpr uint64_t kFaultProtection = 1 << 9;  // mapped, but not with this permission (else unmapped)

// Host protection follows the guest's: readable if the guest may read (guest write implies read,
// as on riscv64 Linux), writable if it may write and no translated code comes from the page,
// nothing for execute-only pages. A guard past the end catches accesses that cross it.
class AddressSpace final : public MemoryPort, public CodePageTracker, public host_faults::GuardedMemory {
public:
    static constexpr uint64_t kGuardSize = 64 * 1024;

    // `bits`: size of the guest address space (38 = Sv39 user half, as riscv64 Linux).
    explicit AddressSpace(unsigned bits = 38);
    ~AddressSpace() override;
    AddressSpace(const AddressSpace&) = delete;
    AddressSpace& operator=(const AddressSpace&) = delete;

    uint64_t size() const { return size_; }
    void attach(CpuHeader& env);

    // Mapping. Addresses and lengths are page-aligned by the caller (map_* round len up).
    // Anonymous, zero-filled memory.
    bool map_anonymous(uint64_t addr, uint64_t len, int prot);
    // A file's contents at `offset` (private copy, or shared with the file when `shared`).
    bool map_file(uint64_t addr, uint64_t len, int prot, int host_fd, uint64_t offset, bool shared);
    void unmap(uint64_t addr, uint64_t len);
    bool protect(uint64_t addr, uint64_t len, int prot);
    bool is_mapped(uint64_t addr, uint64_t len) const;
    // A free range of len bytes: at hint if free, else the highest one below `top` (mmap's top-down).
    std::optional<uint64_t> find_free(uint64_t len, uint64_t hint, uint64_t top) const;

    // Access from the host side (syscalls), checked against guest permissions. A pointer for
    // writing comes with the range's translated code dropped, so the host may write through it.
    uint8_t* host_pointer(uint64_t addr, uint64_t len, int prot);
    bool read(uint64_t addr, void* out, uint64_t len);
    bool write(uint64_t addr, const void* data, uint64_t len);
    // A NUL-terminated string of at most max bytes; nothing if unreadable or too long.
    std::optional<std::string> read_string(uint64_t addr, size_t max = 4096);
    // Writes / reads data ignoring guest protection (the loader filling read-only segments,
    // mremap moving pages).
    bool poke(uint64_t addr, const void* data, uint64_t len);
    bool peek(uint64_t addr, void* out, uint64_t len);

    // MemoryPort
    bool load_slow(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t* value) override;
    bool store_slow(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t value) override;
    void* atomic_pointer(CpuHeader* env, uint64_t addr, unsigned size, Access access) override;
    bool fetch(CpuHeader* env, uint64_t addr, void* out, unsigned size, uint64_t* fault_cause) override;
    // Only while one thread uses the memory: another could unmap the range, or make a write
    // protection fault of it by translating code from it.
    bool stable_range(CpuHeader* env, uint64_t first, uint64_t end, Access access) override;

    // CodePageTracker
    void set_code_page(uint64_t page_index, bool has_code) override;
    void set_code_observer(CodeObserver* observer) override { observer_ = observer; }

    // GuardedMemory
    bool contains(uintptr_t host_address) const override {
        return host_address - uintptr_t(base_) < size_ + kGuardSize;
    }
    bool resolve_write_fault(uintptr_t host_address) override;

private:
    bool in_range(uint64_t addr, uint64_t len) const { return len <= size_ && addr <= size_ - len; }
    bool check(uint64_t addr, uint64_t len, uint8_t need) const;
    bool set_prot(uint64_t addr, uint64_t len, int prot);  // false if the host refused
    // Makes the host protection of pages [first, end) match their flags; false if mprotect failed.
    bool mirror_locked(uint64_t first, uint64_t end);
    bool fault(CpuHeader* env, uint64_t addr, uint64_t access_kind, uint8_t need, bool misaligned);
    void notify_code_write(uint64_t addr, uint64_t len);
    void forget(uint64_t start, uint64_t end);

    uint64_t size_;
    uint8_t* base_ = nullptr;
    uint8_t* flags_ = nullptr;              // one PageFlags byte per guest page
    std::map<uint64_t, uint64_t> regions_;  // mapped ranges, disjoint: start -> end
    mutable std::mutex mutex_;
    // Held while page flags and host protection change together. Taken last, after the engine's
    // lock (set_code_page) or mutex_, and nothing is called while it is held.
    std::mutex prot_mutex_;
    CodeObserver* observer_ = nullptr;
    // vCPUs attached so far. Never decremented: a thread that exits is not worth tracking.
    std::atomic<unsigned> attached_{0};
};

}  // namespace mimic::user
