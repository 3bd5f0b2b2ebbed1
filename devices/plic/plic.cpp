// PLIC register model. Every change of inputs or registers recomputes the context outputs and
// signals only the ones that changed.
#include "devices/plic/plic.h"

#include <stdexcept>

#include "devices/device_log.h"

namespace mimic::devices {

Plic::Plic(unsigned num_sources, std::vector<IrqLine> contexts, Log* log, unsigned priority_bits)
    : num_sources_(num_sources),
      words_((num_sources + 31) / 32),
      max_priority_(priority_bits >= 1 && priority_bits <= 31 ? (1u << priority_bits) - 1 : 0),
      outputs_(std::move(contexts)),
      log_(log),
      level_(words_),
      pending_(words_),
      claimed_(words_),
      enable_(outputs_.size() * words_),
      priority_(num_sources),
      threshold_(outputs_.size()),
      output_level_(outputs_.size()) {
    if (num_sources > kMaxSources) throw std::invalid_argument("plic: too many interrupt sources");
    if (max_priority_ == 0) throw std::invalid_argument("plic: priority bits must be 1..31");
}

void Plic::guest_error(const char* what, uint64_t offset, uint64_t value) {
    if (log_enabled(log_, kLogGuestErrors))
        log_->printf("plic: %s at offset 0x%llx (value 0x%llx)\n", what, (unsigned long long)offset,
                     (unsigned long long)value);
}

unsigned Plic::best_locked(unsigned ctx) const {
    unsigned best = 0;
    uint32_t best_priority = threshold_[ctx];
    for (unsigned w = 0; w < words_; ++w) {
        uint32_t candidates = pending_[w] & enable_[ctx * words_ + w];
        while (candidates) {
            const unsigned src = w * 32 + unsigned(__builtin_ctz(candidates));
            candidates &= candidates - 1;
            if (priority_[src] > best_priority) best = src, best_priority = priority_[src];
        }
    }
    return best;
}

void Plic::update_locked() {
    for (unsigned ctx = 0; ctx < outputs_.size(); ++ctx) {
        const bool level = best_locked(ctx) != 0;
        if (level == output_level_[ctx]) continue;
        output_level_[ctx] = level;
        outputs_[ctx].set(level);
    }
}

uint32_t Plic::claim_locked(unsigned ctx) {
    const unsigned src = best_locked(ctx);
    if (src) {
        set_bit(pending_, src, false);
        set_bit(claimed_, src, true);
        update_locked();
    }
    return src;
}

void Plic::complete_locked(unsigned ctx, uint32_t id) {
    if (id == 0 || id >= num_sources_) {
        guest_error("completion of a source that does not exist", kContextBase + ctx * kContextStride + 4, id);
        return;
    }
    if (!bit(claimed_, id)) return;  // not claimed: nothing to complete, as on hardware
    set_bit(claimed_, id, false);
    set_bit(pending_, id, bit(level_, id));  // a level still high is a new request
    update_locked();
}

void Plic::set_irq(unsigned line, bool level) {
    if (line == 0 || line >= num_sources_) return;
    std::lock_guard lock(mutex_);
    set_bit(level_, line, level);
    // The gateway latches a request: it stays pending until claimed even if the level drops (the
    // PLIC spec's gateway, and QEMU 7.2 as measured), and a claimed source waits for completion.
    if (!level || bit(claimed_, line) || bit(pending_, line)) return;
    set_bit(pending_, line, true);
    update_locked();
}

uint64_t Plic::read(uint64_t offset, unsigned size) {
    std::lock_guard lock(mutex_);
    if (offset < kPendingBase) {
        const uint64_t src = offset / 4;
        if (src < num_sources_) return priority_[src];
    } else if (offset < kEnableBase) {
        const uint64_t word = (offset - kPendingBase) / 4;
        if (word < words_) return pending_[word];
    } else if (offset < kContextBase) {
        const uint64_t ctx = (offset - kEnableBase) / kEnableStride;
        const uint64_t word = (offset - kEnableBase) % kEnableStride / 4;
        if (ctx < outputs_.size() && word < words_) return enable_[ctx * words_ + word];
    } else {
        const uint64_t ctx = (offset - kContextBase) / kContextStride;
        const uint64_t reg = (offset - kContextBase) % kContextStride;
        if (ctx < outputs_.size() && reg == 0) return threshold_[ctx];
        if (ctx < outputs_.size() && reg == 4) return claim_locked(unsigned(ctx));
    }
    guest_error("read of a register that does not exist", offset, 0);
    return 0;
}

void Plic::write(uint64_t offset, unsigned size, uint64_t value) {
    std::lock_guard lock(mutex_);
    const uint32_t v = uint32_t(value);
    if (offset < kPendingBase) {
        const uint64_t src = offset / 4;
        if (src != 0 && src < num_sources_) {
            priority_[src] = v & max_priority_;
            update_locked();
            return;
        }
    } else if (offset < kEnableBase) {
        guest_error("write to the read-only pending bits", offset, value);
        return;
    } else if (offset < kContextBase) {
        const uint64_t ctx = (offset - kEnableBase) / kEnableStride;
        const uint64_t word = (offset - kEnableBase) % kEnableStride / 4;
        if (ctx < outputs_.size() && word < words_) {
            enable_[ctx * words_ + word] = v;  // as QEMU: absent sources are never pending anyway
            update_locked();
            return;
        }
    } else {
        const uint64_t ctx = (offset - kContextBase) / kContextStride;
        const uint64_t reg = (offset - kContextBase) % kContextStride;
        if (ctx < outputs_.size() && reg == 0) {
            // QEMU ignores a threshold above the highest priority rather than truncating it.
            if (v <= max_priority_) {
                threshold_[ctx] = v;
                update_locked();
            } else {
                guest_error("threshold above the highest priority", offset, value);
            }
            return;
        }
        if (ctx < outputs_.size() && reg == 4) {
            complete_locked(unsigned(ctx), v);
            return;
        }
    }
    guest_error("write to a register that does not exist", offset, value);
}

}  // namespace mimic::devices
