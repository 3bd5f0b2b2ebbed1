// A MemoryPort for lockstep checking: it forwards every access to the real port and records what
// each store and atomic changed, so that one tier's run of a block can be compared and undone; and
// SlowPathRedirect, which sends a vCPU's accesses to such a port.
// It assumes user mode's flat memory model: guest address a lives at base + a.
#pragma once

#include <cstdint>
#include <vector>

#include "softmmu/memory_port.h"

namespace mimic::lockstep {

class JournalPort final : public MemoryPort {
public:
    // One location a store or an atomic wrote: its bytes before, and after the whole run.
    struct Write {
        uint64_t addr;
        unsigned size;  // 1 to 8
        uint8_t* host;
        uint64_t before = 0;  // little-endian bytes
        uint64_t after = 0;   // filled by finish()
    };

    // `base` and `limit` are the real env->mem_base and mem_limit: the block runs with other
    // values, so that every load and store takes the slow path and comes here.
    JournalPort(MemoryPort& real, uint8_t* base, uint64_t limit) : real_(real), base_(base), limit_(limit) {}

    bool load_slow(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t* value) override {
        return real_.load_slow(env, addr, op, value);
    }
    bool store_slow(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t value) override;
    void* atomic_pointer(CpuHeader* env, uint64_t addr, unsigned size, Access access) override;
    bool fetch(CpuHeader* env, uint64_t addr, void* out, unsigned size, uint64_t* fault_cause) override {
        return real_.fetch(env, addr, out, size, fault_cause);
    }
    bool code_address(CpuHeader* env, uint64_t pc, uint64_t* paddr) override {
        return real_.code_address(env, pc, paddr);
    }
    void flush_translations(CpuHeader* env) override { real_.flush_translations(env); }
    void flush_translation(CpuHeader* env, uint64_t vaddr) override { real_.flush_translation(env, vaddr); }

    MemoryPort& real() { return real_; }
    // After the run: records the final bytes of every location written.
    void finish();
    // Puts back the bytes every write replaced, last write first.
    void undo();
    const std::vector<Write>& writes() const { return writes_; }

private:
    MemoryPort& real_;
    uint8_t* base_;
    uint64_t limit_;
    std::vector<Write> writes_;
};

// Sends every guest access of the vCPU to `port` while it lives: with mem_limit 0 every tier's
// inline fast path fails its bounds check. mem_base points at the real memory's guard (CpuHeader)
// meanwhile, so that nothing reaches the real memory past the journal.
class SlowPathRedirect {
public:
    SlowPathRedirect(CpuHeader* env, MemoryPort& port)
        : env_(env), base_(env->mem_base), limit_(env->mem_limit), port_(env->mem_port) {
        env->mem_base = base_ + limit_;
        env->mem_limit = 0;
        env->mem_port = &port;
    }
    ~SlowPathRedirect() {
        env_->mem_base = base_;
        env_->mem_limit = limit_;
        env_->mem_port = port_;
    }
    SlowPathRedirect(const SlowPathRedirect&) = delete;
    SlowPathRedirect& operator=(const SlowPathRedirect&) = delete;

private:
    CpuHeader* env_;
    uint8_t* base_;
    uint64_t limit_;
    MemoryPort* port_;
};

// The little-endian value of `size` bytes at p.
uint64_t read_bytes(const uint8_t* p, unsigned size);

}  // namespace mimic::lockstep
