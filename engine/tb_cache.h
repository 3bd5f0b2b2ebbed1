// The shared translation-block cache: blocks keyed by (pc, mode flags) in a Boost.Intrusive hash
// table, indexed by guest page for invalidation, chained and unchained under one lock.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "engine/translation_block.h"
#include "softmmu/memory_port.h"

namespace mimic {

class TbCache {
public:
    TbCache();
    ~TbCache();
    TbCache(const TbCache&) = delete;
    TbCache& operator=(const TbCache&) = delete;

    // All members below expect the caller to hold lock().
    std::mutex& lock() { return mutex_; }
    TranslationBlock* find(const TbKey& key);
    void insert(std::unique_ptr<TranslationBlock> tb);
    // Chains src's exit `slot` to dst, unless either was invalidated meanwhile.
    void link(TranslationBlock* src, unsigned slot, TranslationBlock* dst);
    // Refreshes src's direct entry into dst (chained already) after dst's code changed tier.
    void link_direct(TranslationBlock* src, unsigned slot, TranslationBlock* dst);
    // Invalidates the blocks whose code came from bytes [start, end) of the page (offsets within
    // it; the whole page by default); returns how many.
    size_t invalidate_page(uint64_t page_index, uint64_t start = 0, uint64_t end = kGuestPageSize);
    void invalidate_all();
    // Invalidates one block (found stale for another reason than a write to its pages).
    void invalidate_block(TranslationBlock* tb);
    // Installs `code`, the region of head and members, as head's hot code.
    void install_region(TranslationBlock* head, const std::vector<TranslationBlock*>& members,
                        std::unique_ptr<CompiledBlock> code);
    // Head's region code goes (a member changed): head runs its first tier's code again, and may
    // head a new region once it gets hot again.
    void drop_region(TranslationBlock* head);
    bool page_has_code(uint64_t page_index) const { return pages_.count(page_index) != 0; }

    size_t live_blocks() const { return set_.size(); }
    size_t retired_blocks() const { return retired_.size(); }
    uint64_t regions_dropped() const { return regions_dropped_; }

    // Invalidated blocks are retired, not freed: a vCPU may still run one, or hold it in its jump
    // cache. Each retirement advances the epoch; reclaim() frees the blocks retired before
    // `safe_epoch`, the oldest epoch any vCPU inside the engine may still be working in.
    uint64_t epoch() const { return epoch_.load(std::memory_order_seq_cst); }
    size_t reclaim(uint64_t safe_epoch);

private:
    // The buckets are a power of 2, so only the hash's low bits choose one. pc and phys_pc share
    // their page offset, and the former (pc * 31 + phys_pc) * 31 + flags made that offset times
    // 992, whose low 5 bits are 0: blocks crowded into 1 bucket in 32 (TbCache::find was 9% of a
    // Linux boot). Every bit of the key is mixed into the low ones now.
    struct KeyHash {
        size_t operator()(const TbKey& k) const {
            constexpr uint64_t kMul = 0x9e3779b97f4a7c15ull;  // odd: a multiply loses no bit
            uint64_t x = (k.pc * kMul) ^ k.phys_pc;
            x = (x ^ (x >> 32)) * kMul + k.flags;
            x = (x ^ (x >> 29)) * kMul;
            return size_t(x ^ (x >> 32));
        }
        size_t operator()(const TranslationBlock& tb) const { return (*this)(tb.key); }
    };
    struct KeyEqual {
        bool operator()(const TbKey& k, const TranslationBlock& tb) const { return k == tb.key; }
        bool operator()(const TranslationBlock& tb, const TbKey& k) const { return k == tb.key; }
        bool operator()(const TranslationBlock& a, const TranslationBlock& b) const { return a.key == b.key; }
    };
    using HashSet = bi::unordered_set<
        TranslationBlock,
        bi::member_hook<TranslationBlock, bi::unordered_set_member_hook<>, &TranslationBlock::hash_hook>,
        bi::hash<KeyHash>, bi::equal<KeyEqual>, bi::power_2_buckets<true>>;
    using FirstPageList =
        bi::list<TranslationBlock,
                 bi::member_hook<TranslationBlock, bi::list_member_hook<>, &TranslationBlock::first_page_hook>>;
    using LastPageList =
        bi::list<TranslationBlock,
                 bi::member_hook<TranslationBlock, bi::list_member_hook<>, &TranslationBlock::last_page_hook>>;
    struct PageBlocks {
        FirstPageList starting;  // blocks whose first byte is on the page
        LastPageList ending;     // blocks that started on the previous page and spill onto this one
    };

    void invalidate(TranslationBlock* tb);
    void maybe_grow();

    std::mutex mutex_;
    std::vector<HashSet::bucket_type> buckets_;
    HashSet set_;
    std::unordered_map<uint64_t, PageBlocks> pages_;
    struct Retired {
        std::unique_ptr<TranslationBlock> tb;
        uint64_t epoch;
    };
    std::vector<Retired> retired_;  // oldest first
    std::atomic<uint64_t> epoch_{1};
    uint64_t regions_dropped_ = 0;
};

}  // namespace mimic
