// TB cache: insertion, lookup, chaining with unlink lists, and invalidation by guest page.
#include "engine/tb_cache.h"

#include <algorithm>
#include <cstddef>

namespace mimic {

namespace {
constexpr size_t kInitialBuckets = 1 << 12;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"  // not standard-layout (atomics), but a plain struct
size_t TranslationBlock::chain_offset() {
    return offsetof(TranslationBlock, chain);
}
#pragma GCC diagnostic pop

TbCache::TbCache() : buckets_(kInitialBuckets), set_(HashSet::bucket_traits(buckets_.data(), buckets_.size())) {}

TbCache::~TbCache() {
    invalidate_all();
}

TranslationBlock* TbCache::find(const TbKey& key) {
    auto it = set_.find(key, KeyHash(), KeyEqual());
    return it == set_.end() ? nullptr : &*it;
}

void TbCache::maybe_grow() {
    if (set_.size() < buckets_.size()) return;
    std::vector<HashSet::bucket_type> bigger(buckets_.size() * 2);
    set_.rehash(HashSet::bucket_traits(bigger.data(), bigger.size()));
    buckets_.swap(bigger);
}

void TbCache::insert(std::unique_ptr<TranslationBlock> owned) {
    TranslationBlock* tb = owned.release();
    maybe_grow();
    set_.insert(*tb);
    pages_[tb->first_page].starting.push_back(*tb);
    if (tb->last_page != tb->first_page) pages_[tb->last_page].ending.push_back(*tb);
}

void TbCache::link(TranslationBlock* src, unsigned slot, TranslationBlock* dst) {
    if (!src->valid.load(std::memory_order_relaxed) || !dst->valid.load(std::memory_order_relaxed)) return;
    if (src->next[slot].load(std::memory_order_relaxed) == dst) return;
    src->next[slot].store(dst, std::memory_order_release);
    dst->incoming.emplace_back(src, uint8_t(slot));
    link_direct(src, slot, dst);
}

// Compiled code of src jumps straight into dst's when both tiers allow it.
void TbCache::link_direct(TranslationBlock* src, unsigned slot, TranslationBlock* dst) {
    if (src->next[slot].load(std::memory_order_relaxed) != dst) return;
    src->chain[slot].store(dst->active.load(std::memory_order_acquire)->direct_entry(), std::memory_order_release);
}

void TbCache::invalidate_block(TranslationBlock* tb) {
    // Unhook from both pages' lists before the block is retired.
    auto& first = pages_[tb->first_page];
    first.starting.erase(first.starting.iterator_to(*tb));
    if (tb->last_page != tb->first_page) {
        auto& last = pages_[tb->last_page];
        last.ending.erase(last.ending.iterator_to(*tb));
    }
    for (uint64_t p : {tb->first_page, tb->last_page}) {
        auto it = pages_.find(p);
        if (it != pages_.end() && it->second.starting.empty() && it->second.ending.empty()) pages_.erase(it);
    }
    invalidate(tb);
}

void TbCache::install_region(TranslationBlock* head, const std::vector<TranslationBlock*>& members,
                             std::unique_ptr<CompiledBlock> code) {
    head->hot_code = std::move(code);
    head->activate(head->hot_code.get());
    head->members = members;
    for (TranslationBlock* m : members) m->regions.push_back(head);
    for (auto [src, slot] : head->incoming) link_direct(src, slot, head);
}

void TbCache::drop_region(TranslationBlock* head) {
    for (TranslationBlock* m : head->members) std::erase(m->regions, head);
    head->members.clear();
    if (head->hot_code) {
        head->activate(head->code.get());
        head->dropped.push_back(std::move(head->hot_code));
        ++regions_dropped_;
        for (auto [src, slot] : head->incoming) link_direct(src, slot, head);
    }
    head->exec_count.store(0, std::memory_order_relaxed);
    head->queued.store(false, std::memory_order_relaxed);
}

void TbCache::invalidate(TranslationBlock* tb) {
    tb->valid.store(false, std::memory_order_release);
    tb->direct_entry.store(nullptr, std::memory_order_release);
    set_.erase(set_.iterator_to(*tb));
    // Regions compiled from this block's code go with it.
    for (TranslationBlock* head : std::vector(tb->regions)) drop_region(head);
    for (TranslationBlock* m : tb->members) std::erase(m->regions, tb);
    tb->members.clear();
    // Unchain every block that jumps here, and forget our own outgoing chains.
    for (auto [src, slot] : tb->incoming) {
        if (src->next[slot].load(std::memory_order_relaxed) == tb) {
            src->chain[slot].store(nullptr, std::memory_order_release);
            src->next[slot].store(nullptr, std::memory_order_release);
        }
    }
    tb->incoming.clear();
    for (auto& next : tb->next) {
        TranslationBlock* dst = next.exchange(nullptr);
        if (!dst) continue;
        std::erase_if(dst->incoming, [tb](const auto& in) { return in.first == tb; });
    }
    retired_.push_back({std::unique_ptr<TranslationBlock>(tb), epoch_.fetch_add(1, std::memory_order_seq_cst)});
}

size_t TbCache::invalidate_page(uint64_t page_index, uint64_t start, uint64_t end) {
    auto it = pages_.find(page_index);
    if (it == pages_.end()) return 0;
    // A block's bytes on its first page run from its physical pc to the page's end at most; the
    // rest, if any, is at the start of its last page.
    const uint64_t page_base = page_index * kGuestPageSize;
    auto overlaps = [&](uint64_t from, uint64_t to) { return from < page_base + end && page_base + start < to; };
    std::vector<TranslationBlock*> victims;
    for (TranslationBlock& tb : it->second.starting) {
        const uint64_t size = std::max<uint64_t>(tb.guest_size, 1);
        const uint64_t first_end = std::min(tb.key.phys_pc + size, page_base + kGuestPageSize);
        if (overlaps(tb.key.phys_pc, first_end)) victims.push_back(&tb);
    }
    for (TranslationBlock& tb : it->second.ending) {
        const uint64_t first_len = kGuestPageSize - (tb.key.phys_pc & (kGuestPageSize - 1));
        if (overlaps(page_base, page_base + (tb.guest_size - first_len))) victims.push_back(&tb);
    }
    for (TranslationBlock* tb : victims) invalidate_block(tb);
    return victims.size();
}

size_t TbCache::reclaim(uint64_t safe_epoch) {
    size_t n = 0;
    while (n < retired_.size() && retired_[n].epoch < safe_epoch) ++n;
    retired_.erase(retired_.begin(), retired_.begin() + ptrdiff_t(n));
    return n;
}

void TbCache::invalidate_all() {
    std::vector<uint64_t> pages;
    for (auto& [page, blocks] : pages_) pages.push_back(page);
    for (uint64_t p : pages) invalidate_page(p);
}

}  // namespace mimic
