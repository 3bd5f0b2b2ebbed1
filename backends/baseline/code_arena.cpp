#include "backends/baseline/code_arena.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <new>

namespace mimic::baseline {

CodeArena::CodeArena() {
    host_faults::add(&recovery_);
}

CodeArena::~CodeArena() {
    host_faults::remove(&recovery_);
    for (const Chunk& c : chunks_) munmap(c.base, c.size);
}

// The chunk being filled if `need` bytes fit; else an empty chunk big enough, refilled from its
// start, or a new one. Either becomes the one being filled.
CodeArena::Chunk& CodeArena::chunk_for_locked(size_t need) {
    if (!chunks_.empty() && chunks_.back().used + need <= chunks_.back().size) return chunks_.back();
    auto empty =
        std::find_if(chunks_.begin(), chunks_.end(), [&](const Chunk& c) { return c.live == 0 && c.size >= need; });
    if (empty != chunks_.end()) {
        Chunk c = *empty;
        chunks_.erase(empty);
        c.used = 0;
        return chunks_.emplace_back(c);
    }
    const size_t bytes = std::max(kChunkSize, (need + 4095) & ~size_t{4095});
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    return chunks_.emplace_back(Chunk{static_cast<uint8_t*>(p), bytes, 0, 0});
}

void* CodeArena::add(const uint8_t* code, size_t size, std::span<const Guarded> guarded) {
    std::lock_guard lock(mutex_);
    const size_t need = (size + 15) & ~size_t{15};
    Chunk& c = chunk_for_locked(need);
    uint8_t* at = c.base + c.used;
    std::memcpy(at, code, size);
    c.used += need;
    ++c.live;
    for (const Guarded& g : guarded) recovery_.insert(uintptr_t(at + g.access), uintptr_t(at + g.resume));
    return at;
}

void CodeArena::free(void* code) {
    std::lock_guard lock(mutex_);
    auto* p = static_cast<uint8_t*>(code);
    for (Chunk& c : chunks_)
        if (p >= c.base && p < c.base + c.size) {
            --c.live;
            return;
        }
}

size_t CodeArena::mapped_bytes() {
    std::lock_guard lock(mutex_);
    size_t n = 0;
    for (const Chunk& c : chunks_) n += c.size;
    return n;
}

}  // namespace mimic::baseline
