// Executable memory for the baseline tier: blocks are copied into 1 MiB chunks, bump-allocated;
// a chunk goes back to the kernel when the last block in it is freed and it is not the one being
// filled. Blocks are small and short-lived ones are few (invalidation), so freed space inside a
// live chunk is not reused. Thread-safe: vCPUs translate in parallel, and blocks are freed by
// whichever thread reclaims them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace mimic::baseline {

class CodeArena {
public:
    CodeArena() = default;
    ~CodeArena();
    CodeArena(const CodeArena&) = delete;
    CodeArena& operator=(const CodeArena&) = delete;

    // Copies `size` bytes of code in and returns where they are (16-byte aligned).
    void* add(const uint8_t* code, size_t size);
    void free(void* code);
    size_t mapped_bytes();

private:
    struct Chunk {
        uint8_t* base;
        size_t size;
        size_t used;
        size_t live;  // blocks not yet freed
    };
    static constexpr size_t kChunkSize = size_t{1} << 20;

    std::mutex mutex_;
    std::vector<Chunk> chunks_;  // the last one is being filled
};

}  // namespace mimic::baseline
