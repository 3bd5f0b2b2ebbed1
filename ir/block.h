// A translated block in IR form: a linear list of instructions with forward-only local branches,
// ended by exits. Values are referenced by instruction index; removed instructions become Nops
// (Opcode kept, `dead` set) until compact() renumbers them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/global.h"
#include "ir/inst.h"

namespace mimic::ir {

class Block {
public:
    explicit Block(GlobalTable globals, uint64_t guest_pc = 0, uint32_t mode_flags = 0)
        : globals_(globals), guest_pc_(guest_pc), mode_flags_(mode_flags) {}

    GlobalTable globals() const { return globals_; }
    uint64_t guest_pc() const { return guest_pc_; }
    // The frontend's TB flags the block was translated for. They still hold at its jumps (direct
    // or indirect): an instruction that changes them ends the block with an Exit.
    uint32_t mode_flags() const { return mode_flags_; }

    // Guest bytes covered, for the TB cache's page bookkeeping.
    uint64_t guest_size() const { return guest_size_; }
    void set_guest_size(uint64_t s) { guest_size_ = s; }
    uint32_t guest_insn_count() const { return guest_insns_; }
    void set_guest_insn_count(uint32_t n) { guest_insns_ = n; }

    std::vector<Inst>& insts() { return insts_; }
    const std::vector<Inst>& insts() const { return insts_; }
    const Inst& at(Value v) const { return insts_[v.inst_index()]; }
    uint32_t label_count() const { return labels_; }
    uint32_t new_label() { return labels_++; }

    uint32_t append(const Inst& inst) {
        insts_.push_back(inst);
        return uint32_t(insts_.size() - 1);
    }

    // Marks instruction i as deleted; compact() removes deleted instructions and renumbers uses.
    void erase(uint32_t i) { dead_.resize(insts_.size()), dead_[i] = true; }
    bool is_erased(uint32_t i) const { return i < dead_.size() && dead_[i]; }
    void compact();

    // Replace every use of instruction `from`'s result with `to`.
    void replace_uses(uint32_t from, Value to);
    std::vector<uint32_t> use_counts() const;

    std::string to_string() const;

private:
    GlobalTable globals_;
    uint64_t guest_pc_;
    uint32_t mode_flags_;
    uint64_t guest_size_ = 0;
    uint32_t guest_insns_ = 0;
    uint32_t labels_ = 0;
    std::vector<Inst> insts_;
    std::vector<bool> dead_;
};

}  // namespace mimic::ir
