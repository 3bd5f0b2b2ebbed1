// SiFive PLIC as on QEMU virt (0x0c000000): level-triggered sources with priorities, per-context
// enables, thresholds and claim/complete; one output line per context (virt: context 2h is hart
// h's M-mode external interrupt, 2h+1 its S-mode one).
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "devices/device.h"
#include "devices/irq.h"
#include "engine/log.h"

namespace mimic::devices {

class Plic final : public MmioDevice, public IrqSink {
public:
    static constexpr uint64_t kPriorityBase = 0x0;
    static constexpr uint64_t kPendingBase = 0x1000;
    static constexpr uint64_t kEnableBase = 0x2000;
    static constexpr uint64_t kEnableStride = 0x80;
    static constexpr uint64_t kContextBase = 0x200000;
    static constexpr uint64_t kContextStride = 0x1000;
    static constexpr unsigned kMaxSources = 1024;

    // `num_sources` counts the reserved source 0 (virt: 96, so devices use 1..95, and the device
    // tree's riscv,ndev is 95). One context per entry of `contexts`. Throws std::invalid_argument
    // for more than kMaxSources sources or priority bits outside 1..31.
    Plic(unsigned num_sources, std::vector<IrqLine> contexts, Log* log = nullptr, unsigned priority_bits = 3);

    static uint64_t region_size(unsigned num_contexts) { return kContextBase + num_contexts * kContextStride; }

    std::string_view name() const override { return "plic"; }
    unsigned access_sizes() const override { return kSize4; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;

    // Source `line`'s level. A rising level makes the source pending until it is claimed; a
    // claimed source is not pending again before its completion, then again if its level is high.
    void set_irq(unsigned line, bool level) override;

private:
    // The claimable source for `ctx` (highest priority above the threshold, lowest id on a tie), or 0.
    unsigned best_locked(unsigned ctx) const;
    void update_locked();
    uint32_t claim_locked(unsigned ctx);
    void complete_locked(unsigned ctx, uint32_t id);
    void guest_error(const char* what, uint64_t offset, uint64_t value);

    static bool bit(const std::vector<uint32_t>& v, unsigned n) { return (v[n / 32] >> (n % 32)) & 1; }
    static void set_bit(std::vector<uint32_t>& v, unsigned n, bool on) {
        if (on)
            v[n / 32] |= 1u << (n % 32);
        else
            v[n / 32] &= ~(1u << (n % 32));
    }

    const unsigned num_sources_;
    const unsigned words_;  // 32-source words in each bit array
    const uint32_t max_priority_;
    const std::vector<IrqLine> outputs_;
    Log* const log_;

    std::mutex mutex_;
    std::vector<uint32_t> level_;    // input levels
    std::vector<uint32_t> pending_;  // what the pending registers show
    std::vector<uint32_t> claimed_;
    std::vector<uint32_t> enable_;  // words_ per context
    std::vector<uint32_t> priority_;
    std::vector<uint32_t> threshold_;
    std::vector<bool> output_level_;
};

}  // namespace mimic::devices
