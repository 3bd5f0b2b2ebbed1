// Host SIGSEGV/SIGBUS raised by guest memory accesses: where user mode lets the host's page
// protection check the guest's accesses instead of checking each one in generated code.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace mimic::host_faults {

// The guest accesses in a code owner's generated code, each with the address to resume at when it
// faults (its slow path, which raises the guest's exception with exact state, or does the access
// the page's host protection refused). Inserts take a lock; lookups are lock-free, for the signal
// handler. Entries stay for the table's lifetime, so an owner keeps its code's addresses to itself
// until it removes the table (LLVM units are never freed; the baseline tier's arena refills freed
// space, whose new accesses replace the old entries).
class RecoveryTable {
public:
    RecoveryTable();
    ~RecoveryTable();
    RecoveryTable(const RecoveryTable&) = delete;
    RecoveryTable& operator=(const RecoveryTable&) = delete;

    void insert(uintptr_t fault_pc, uintptr_t resume_pc);
    // Where a fault at `pc` resumes, or 0. Async-signal-safe.
    uintptr_t lookup(uintptr_t pc) const;
    size_t size() const;

private:
    struct Slots;
    void grow_locked();

    mutable std::mutex mutex_;
    std::atomic<Slots*> slots_;
    std::vector<std::unique_ptr<Slots>> all_;  // older tables stay: a handler may still be reading one
    size_t count_ = 0;
};

// Guest memory whose host pages are protected to match it (user mode's AddressSpace).
class GuardedMemory {
public:
    virtual ~GuardedMemory() = default;
    // Async-signal-safe.
    virtual bool contains(uintptr_t host_address) const = 0;
    // A write outside generated code faulted at host_address (Mimic's own store into a page whose
    // write protection only guards translated code). Makes it writable and returns true, or
    // returns false if the guest may not write there. Runs in the signal handler: it may take the
    // engine's locks because Mimic never writes guest memory while holding them.
    virtual bool resolve_write_fault(uintptr_t host_address) = 0;
};

// The handler is process-wide, as signal dispositions are: it is installed on the first
// registration and passes faults that are not ours to the handler it replaced.
void add(RecoveryTable* table);
void remove(RecoveryTable* table);
void add(GuardedMemory* memory);
void remove(GuardedMemory* memory);

}  // namespace mimic::host_faults
