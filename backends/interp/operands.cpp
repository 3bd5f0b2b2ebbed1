// The interpreter's operand words: which word of env each instruction reads and writes.
#include "backends/interp/operands.h"

#include <algorithm>
#include <stdexcept>

namespace mimic::interp {

using namespace mimic::ir;

std::vector<uint32_t> assign_operands(const Block& block, std::vector<uint64_t>& consts,
                                      std::unordered_map<uint64_t, uint32_t>& const_words, std::vector<bool>& dropped) {
    const auto& insts = block.insts();
    const uint32_t n = uint32_t(insts.size());
    std::vector<uint32_t> last_use(n, 0);
    for (uint32_t i = 0; i < n; ++i) {
        // The pcs of InsnStart and GotoTb live in the ops themselves, not in words.
        const bool pc_only = insts[i].op == Opcode::kInsnStart || insts[i].op == Opcode::kGotoTb;
        for (const Value& v : insts[i].args) {
            if (v.is_inst()) last_use[v.inst_index()] = i;
            if (v.is_const() && !pc_only && const_words.emplace(v.const_value(), kScratchWord + consts.size()).second)
                consts.push_back(v.const_value());
        }
    }
    auto register_word = [&](uint64_t g) -> uint32_t {
        const GlobalInfo& info = block.globals()[g];
        return info.type == Type::kI64 && info.env_offset % 8 == 0 ? info.env_offset / 8 : 0;
    };
    // An op reads its operands before it writes its result: a write at the last use itself is fine.
    auto untouched = [&](uint64_t g, uint32_t from, uint32_t to) {
        for (uint32_t j = from + 1; j < to; ++j)
            if (insts[j].writes_global(uint32_t(g))) return false;
        return true;
    };

    std::vector<uint32_t> word(n, 0);
    dropped.assign(n, false);
    for (uint32_t i = 0; i < n; ++i) {
        if (insts[i].op == Opcode::kGetGlobal && untouched(insts[i].aux, i, last_use[i]))
            if ((word[i] = register_word(insts[i].aux))) dropped[i] = true;
    }
    for (uint32_t j = 1; j < n; ++j) {
        const Inst& set = insts[j];
        const uint32_t k = j - 1;
        if (set.op != Opcode::kSetGlobal || !set.args[0].is_inst() || set.args[0].inst_index() != k) continue;
        if (insts[k].op == Opcode::kGetGlobal || insts[k].type != Type::kI64 || word[k]) continue;
        if (!untouched(set.aux, j, last_use[k])) continue;  // the register changes before k's last use
        if ((word[k] = register_word(set.aux))) dropped[j] = true;
    }

    // Temporaries: a free list of scratch words after the constants.
    const uint32_t first_temp = kScratchWord + uint32_t(consts.size());
    uint32_t high_water = first_temp;
    std::vector<uint32_t> free_words;
    // The temporaries that die at each op, as lists in the order they were made (no allocation
    // per op: this runs for every block translated).
    constexpr uint32_t kNone = UINT32_MAX;
    std::vector<uint32_t> first_dying(n, kNone), last_dying(n, kNone), next_dying(n, kNone);
    for (uint32_t i = 0; i < n; ++i) {
        for (uint32_t v = first_dying[i]; v != kNone; v = next_dying[v]) free_words.push_back(word[v]);
        if (!insts[i].has_result() || word[i]) continue;
        if (free_words.empty()) {
            word[i] = high_water++;
        } else {
            word[i] = free_words.back();
            free_words.pop_back();
        }
        // Freed after its last use (or right away when unused), so an op may reuse an operand's word.
        const uint32_t dies = std::min(std::max(last_use[i], i + 1), n - 1);
        (first_dying[dies] == kNone ? first_dying[dies] : next_dying[last_dying[dies]]) = i;
        last_dying[dies] = i;
    }
    if (high_water > kScratchWord + CpuHeader::kScratchWords)
        throw std::length_error("interpreter: block needs more scratch words than CpuHeader::scratch holds");
    return word;
}

}  // namespace mimic::interp
