// Block maintenance: use counts, use replacement and compaction after passes erase instructions.
#include "ir/block.h"

namespace mimic::ir {

std::vector<uint32_t> Block::use_counts() const {
    std::vector<uint32_t> uses(insts_.size());
    for (uint32_t i = 0; i < insts_.size(); ++i) {
        if (is_erased(i)) continue;
        for (const Value& v : insts_[i].args)
            if (v.is_inst()) ++uses[v.inst_index()];
    }
    return uses;
}

void Block::replace_uses(uint32_t from, Value to) {
    for (uint32_t i = from + 1; i < insts_.size(); ++i)
        for (Value& v : insts_[i].args)
            if (v.is_inst() && v.inst_index() == from) v = to;
}

void Block::compact() {
    if (dead_.empty()) return;
    dead_.resize(insts_.size());
    std::vector<uint32_t> renumber(insts_.size());
    uint32_t out = 0;
    for (uint32_t i = 0; i < insts_.size(); ++i) {
        if (dead_[i]) continue;
        renumber[i] = out;
        Inst inst = insts_[i];
        for (Value& v : inst.args)
            if (v.is_inst()) v = Value::inst(v.type(), renumber[v.inst_index()]);
        insts_[out++] = inst;
    }
    insts_.resize(out);
    dead_.clear();
}

}  // namespace mimic::ir
