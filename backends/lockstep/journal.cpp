// JournalPort: stores and atomics recorded on their way to the real port.
#include "backends/lockstep/journal.h"

#include <cstring>

namespace mimic::lockstep {

uint64_t read_bytes(const uint8_t* p, unsigned size) {
    uint64_t v = 0;
    std::memcpy(&v, p, size);  // little-endian host
    return v;
}

bool JournalPort::store_slow(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t value) {
    const unsigned size = op.size();
    // The old bytes can only be read where the store can succeed: every page it touches is
    // writable (hence mapped, and readable from the host). Elsewhere the real port raises the
    // fault and writes nothing.
    bool writable = size <= 8 && addr < limit_ && size <= limit_ - addr;
    for (uint64_t p = addr >> kGuestPageBits; writable && p <= (addr + size - 1) >> kGuestPageBits; ++p)
        writable = env->page_flags[p] & kPageWrite;
    uint64_t before = 0;
    if (writable) before = read_bytes(base_ + addr, size);
    if (!real_.store_slow(env, addr, op, value)) return false;
    if (writable) writes_.push_back({addr, size, base_ + addr, before});
    return true;
}

void* JournalPort::atomic_pointer(CpuHeader* env, uint64_t addr, unsigned size, Access access) {
    void* p = real_.atomic_pointer(env, addr, size, access);
    // A load-reserved only reads; every other atomic may write, so its location is recorded as it
    // is now and again after the run.
    if (p && access != Access::kRead && size <= 8) {
        auto* host = static_cast<uint8_t*>(p);
        writes_.push_back({addr, size, host, read_bytes(host, size)});
    }
    return p;
}

void JournalPort::finish() {
    for (Write& w : writes_) w.after = read_bytes(w.host, w.size);
}

void JournalPort::undo() {
    for (auto it = writes_.rbegin(); it != writes_.rend(); ++it) std::memcpy(it->host, &it->before, it->size);
}

}  // namespace mimic::lockstep
