// Executable memory for the baseline tier: blocks are copied into 1 MiB chunks, bump-allocated.
// A chunk whose blocks have all been freed is refilled from its start once the chunk being filled
// is full; chunks go back to the kernel only with the arena. Blocks are small and short-lived ones
// are few (invalidation), so freed space inside a live chunk is not reused. Thread-safe: vCPUs
// translate in parallel, and blocks are freed by whichever thread reclaims them.
//
// The arena also keeps the recovery table of the guest accesses in its code (user mode's accesses
// that the host's page protection checks; engine/host_faults.h). Its entries are never removed:
// since the arena's addresses stay its own, a stale entry can only name a place where newer code
// faults at nothing but a newer access, whose own entry replaced it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <utility>
#include <vector>

#include "engine/host_faults.h"

namespace mimic::baseline {

class CodeArena {
public:
    CodeArena();
    ~CodeArena();
    CodeArena(const CodeArena&) = delete;
    CodeArena& operator=(const CodeArena&) = delete;

    // An access in the code, at `access`, which resumes at `resume` if the host refuses it
    // (both offsets from the code's start).
    struct Guarded {
        uint32_t access;
        uint32_t resume;
    };
    // Copies `size` bytes of code in and returns where they are (16-byte aligned); its guarded
    // accesses are in the recovery table by then.
    void* add(const uint8_t* code, size_t size, std::span<const Guarded> guarded = {});
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
    Chunk& chunk_for_locked(size_t need);

    std::mutex mutex_;
    std::vector<Chunk> chunks_;  // the last one is being filled
    host_faults::RecoveryTable recovery_;
};

}  // namespace mimic::baseline
