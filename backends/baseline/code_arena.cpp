#include "backends/baseline/code_arena.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <new>

namespace mimic::baseline {

CodeArena::~CodeArena() {
    for (const Chunk& c : chunks_) munmap(c.base, c.size);
}

void* CodeArena::add(const uint8_t* code, size_t size) {
    std::lock_guard lock(mutex_);
    const size_t need = (size + 15) & ~size_t{15};
    if (chunks_.empty() || chunks_.back().used + need > chunks_.back().size) {
        const size_t bytes = std::max(kChunkSize, (need + 4095) & ~size_t{4095});
        void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        // The chunk being left stays mapped while blocks in it live.
        if (!chunks_.empty() && chunks_.back().live == 0) {
            munmap(chunks_.back().base, chunks_.back().size);
            chunks_.pop_back();
        }
        chunks_.push_back({static_cast<uint8_t*>(p), bytes, 0, 0});
    }
    Chunk& c = chunks_.back();
    uint8_t* at = c.base + c.used;
    std::memcpy(at, code, size);
    c.used += need;
    ++c.live;
    return at;
}

void CodeArena::free(void* code) {
    std::lock_guard lock(mutex_);
    auto* p = static_cast<uint8_t*>(code);
    for (size_t i = 0; i < chunks_.size(); ++i) {
        Chunk& c = chunks_[i];
        if (p < c.base || p >= c.base + c.size) continue;
        if (--c.live == 0 && i + 1 != chunks_.size()) {
            munmap(c.base, c.size);
            chunks_.erase(chunks_.begin() + ptrdiff_t(i));
        }
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
