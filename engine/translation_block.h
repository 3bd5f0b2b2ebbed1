// A translation block: one compiled guest block, its place in the TB cache's intrusive containers,
// and its chaining state (two direct exits with unlink lists, as in QEMU).
#pragma once

#include <array>
#include <atomic>
#include <boost/intrusive/list.hpp>
#include <boost/intrusive/unordered_set.hpp>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "engine/backend.h"
#include "ir/block.h"

namespace mimic {

namespace bi = boost::intrusive;

// Blocks are found by virtual pc, the physical address of that pc (they are invalidated by
// physical page; in user mode the two are equal) and the CPU mode flags.
struct TbKey {
    uint64_t pc;
    uint64_t phys_pc;
    uint32_t flags;
    friend bool operator==(const TbKey&, const TbKey&) = default;
};

struct TranslationBlock {
    TbKey key;
    uint64_t guest_size = 0;
    uint32_t guest_insns = 0;
    uint64_t first_page = 0, last_page = 0;  // physical guest pages the block's code came from
    uint64_t id = 0;                         // unique per block ever made (a background compile's ticket)
    // The lower tier's code: the engine backend's, from the translation on; in tiered mode the
    // warm-up tier's once the block has run often enough (EngineOptions::warm_up). `lower` is the
    // same pointer for vCPUs that read it without the cache lock (a kRetry runs it).
    std::unique_ptr<CompiledBlock> code;
    std::atomic<const CompiledBlock*> lower{nullptr};
    std::atomic<bool> warmed_up{false};  // written under the cache lock
    // The upper tier's, once a background compile installed it: this block alone, or a region it
    // heads (then `members` lists the other blocks compiled into it).
    std::unique_ptr<CompiledBlock> hot_code;
    // What runs: `code`, then `hot_code` when it is ready (swapped atomically; both live as long as
    // the block, so a vCPU still running the old one is safe).
    std::atomic<const CompiledBlock*> active{nullptr};
    // active's direct entry while the block is valid, else null: what compiled code's inline probe
    // of the jump cache (JumpCacheEntry) tail-calls.
    std::atomic<void*> direct_entry{nullptr};
    // Handed to the background compiler, as a region's head or as a member of a region being
    // compiled; it does not head a region of its own meanwhile.
    std::atomic<bool> queued{false};

    // Chained successors of the two GotoTb exits; read without the cache lock by running vCPUs.
    std::atomic<TranslationBlock*> next[2] = {nullptr, nullptr};
    // The successors' direct entries, for tiers whose code jumps to each other (see ChainSlots).
    ChainSlots chain = {nullptr, nullptr};
    std::atomic<bool> valid{true};
    std::atomic<uint64_t> exec_count{0};  // for the tier-up policy
    std::atomic<uint64_t> warm_ns{0};     // steady-clock time of the run half the threshold (ns)
    // Targets of this block's indirect jump seen by the dispatcher (0: none), for regions.
    std::array<std::atomic<uint64_t>, 8> indirect{};

    // Blocks whose exits chain into this one: (source, slot). Guarded by the cache lock.
    std::vector<std::pair<TranslationBlock*, uint8_t>> incoming;
    // Regions, guarded by the cache lock: the other blocks of the region whose code this block's
    // hot_code is, and the heads of the regions this block is a member of. Invalidating a member
    // drops its heads' hot code, which is kept in `dropped` (a vCPU may still be running it), as
    // is the interpreter's code of a block moved to the warm-up tier.
    std::vector<TranslationBlock*> members;
    std::vector<TranslationBlock*> regions;
    std::vector<std::unique_ptr<CompiledBlock>> dropped;

    // The block whose chain slots these are (see CpuHeader::exit_chain).
    static TranslationBlock* from_chain(void* slots) {
        return reinterpret_cast<TranslationBlock*>(static_cast<char*>(slots) - chain_offset());
    }
    static size_t chain_offset();

    void activate(const CompiledBlock* c) {
        active.store(c, std::memory_order_release);
        direct_entry.store(c->direct_entry(), std::memory_order_release);
    }

    bi::unordered_set_member_hook<> hash_hook;
    bi::list_member_hook<> first_page_hook;
    bi::list_member_hook<> last_page_hook;
};

// Per-vCPU direct-mapped cache in front of the shared hash table (QEMU's tb_jmp_cache). It is
// keyed by virtual pc alone, so the vCPU clears it whenever its address translation changes.
// Compiled code probes it inline (CpuHeader::jump_cache, JumpCacheEntry in engine/backend.h).
class JumpCache {
public:
    TranslationBlock* find(uint64_t pc, uint32_t flags) const {
        const JumpCacheEntry& e = entries_[jump_cache_index(pc)];
        return e.tb && e.pc == pc && e.flags == flags && e.tb->valid.load(std::memory_order_relaxed) ? e.tb : nullptr;
    }
    void insert(TranslationBlock* tb) {
        entries_[jump_cache_index(tb->key.pc)] = {tb->key.pc, tb->key.flags, &tb->direct_entry, tb};
    }
    void clear() { entries_.fill({}); }
    const JumpCacheEntry* entries() const { return entries_.data(); }

private:
    std::array<JumpCacheEntry, size_t{1} << kJumpCacheBits> entries_{};
};

}  // namespace mimic
