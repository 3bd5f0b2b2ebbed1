// The interpreter's lowering: IR -> pre-decoded ops (ops.h), and their -d out_asm form.
#include <cinttypes>
#include <cstdio>
#include <unordered_map>
#include <utility>
#include <vector>

#include "backends/interp/interp.h"
#include "backends/interp/operands.h"
#include "backends/interp/ops.h"

namespace mimic::interp {
namespace {

using namespace ir;

std::string disp_text(const Op& op) {
    if (op.disp == 0) return "";
    char text[24];
    std::snprintf(text, sizeof text, "  disp=%d", op.disp);
    return text;
}

}  // namespace

// Operands print as w<N>: env word N (guest registers come first, then CpuHeader::scratch).
std::string InterpretedBlock::dump() const {
    std::string out;
    char line[160];
    for (size_t i = 0; i < const_count; ++i) {
        std::snprintf(line, sizeof line, "  const w%zu = 0x%" PRIx64 "\n", size_t(offsetof(CpuHeader, scratch) / 8 + i),
                      consts[i]);
        out += line;
    }
    for (size_t i = 0; i < ops.size(); ++i) {
        const Op& op = ops[i];
        std::snprintf(line, sizeof line,
                      "  %3zu: %-14s w%u <- w%u, w%u, w%u, w%u  imm=0x%" PRIx64 "%s  pc=0x%" PRIx64 "\n", i,
                      kIOpNames[size_t(op.kind)], op.dst, op.a, op.b, op.c, op.d, op.imm, disp_text(op).c_str(), op.pc);
        out += line;
    }
    return out;
}

namespace {

IOp pick(Type t, IOp op32, IOp op64) {
    return t == Type::kI64 ? op64 : op32;
}

// User mode's loads and stores: the specialised ops where they apply (see FLAT_LOAD).
IOp flat_load_op(Type t, MemOp m) {
    if (t != Type::kI64 || m.big_endian || m.aligned) return pick(t, IOp::kLoad32, IOp::kLoad64);
    static constexpr IOp kOps[2][4] = {{IOp::kLoadU8, IOp::kLoadU16, IOp::kLoadU32, IOp::kLoadX64},
                                       {IOp::kLoadS8, IOp::kLoadS16, IOp::kLoadS32, IOp::kLoadX64}};
    return kOps[m.sign][m.log2_size];
}

IOp flat_store_op(Type t, MemOp m) {
    if (m.big_endian || m.aligned) return pick(t, IOp::kStore32, IOp::kStore64);
    static constexpr IOp kOps[4] = {IOp::kStore8, IOp::kStore16, IOp::kStoreX32, IOp::kStoreX64};
    return kOps[m.log2_size];
}

IOp cmp_op(Cond c, Type t) {
#define CONDS(T)                                                                                        \
    IOp::kCmpEq##T, IOp::kCmpNe##T, IOp::kCmpLtS##T, IOp::kCmpGeS##T, IOp::kCmpLtU##T, IOp::kCmpGeU##T, \
        IOp::kCmpLeS##T, IOp::kCmpGtS##T, IOp::kCmpLeU##T, IOp::kCmpGtU##T
    static constexpr IOp k32[] = {CONDS(32)}, k64[] = {CONDS(64)};
#undef CONDS
    return (t == Type::kI64 ? k64 : k32)[size_t(c)];
}

}  // namespace

std::unique_ptr<CompiledBlock> InterpreterBackend::compile(const Block& block) {
    const void* const* labels = nullptr;
    execute(nullptr, nullptr, &labels);

    auto out = std::make_unique<InterpretedBlock>();
    const auto& insts = block.insts();

    std::vector<bool> dropped;
    std::unordered_map<uint64_t, uint32_t> const_words;
    const std::vector<uint32_t> operand_of = assign_operands(block, out->consts, const_words, dropped);
    out->const_count = out->consts.size();
    if (out->consts.size() < InterpretedBlock::kInlineConstWords)
        out->consts.resize(InterpretedBlock::kInlineConstWords);
    auto operand = [&](const Value& v) -> uint32_t {
        if (v.is_const()) return const_words.at(v.const_value());
        if (v.is_inst()) return operand_of[v.inst_index()];
        return kScratchWord;  // unused operand: any valid word
    };

    // An address computed as base + constant right before its only use, a load or store, is
    // folded into the access as its displacement: one op less for most guest loads and stores.
    std::vector<uint32_t> uses(insts.size(), 0);
    for (const Inst& in : insts)
        for (const Value& v : in.args)
            if (v.is_inst()) ++uses[v.inst_index()];
    std::vector<int32_t> disp_of(insts.size(), 0);
    std::vector<Value> base_of(insts.size());
    for (uint32_t i = 0; i < insts.size(); ++i) {
        const Inst& in = insts[i];
        if ((in.op != Opcode::kLoad && in.op != Opcode::kStore) || dropped[i] || !in.args[0].is_inst()) continue;
        const uint32_t k = in.args[0].inst_index();
        const Inst& add = insts[k];
        if (add.op != Opcode::kAdd || add.type != Type::kI64 || dropped[k] || uses[k] != 1 || !add.args[1].is_const())
            continue;
        const int64_t disp = int64_t(add.args[1].const_value());
        if (disp != int64_t(int32_t(disp))) continue;
        // Nothing may run in between: the base is read at the access instead of at the Add.
        bool adjacent = true;
        for (uint32_t j = k + 1; j < i && adjacent; ++j) adjacent = dropped[j] || insts[j].op == Opcode::kInsnStart;
        if (!adjacent) continue;
        dropped[k] = true;
        disp_of[i] = int32_t(disp);
        base_of[i] = add.args[0];
    }

    std::vector<uint32_t> label_at(block.label_count(), 0);
    std::vector<std::pair<size_t, uint32_t>> branch_fixups;
    uint64_t pc = block.guest_pc();

    for (uint32_t i = 0; i < insts.size(); ++i) {
        const Inst& in = insts[i];
        if (dropped[i]) continue;
        if (in.op == Opcode::kInsnStart) {
            pc = in.args[0].const_value();
            continue;
        }
        if (in.op == Opcode::kGotoTb) {
            Op op;
            op.kind = IOp::kGotoTb;
            op.handler = labels[size_t(op.kind)];
            op.imm = in.aux;                   // the slot
            op.pc = in.args[0].const_value();  // the target
            out->ops.push_back(op);
            continue;
        }
        Op op;
        op.dst = operand_of[i];
        op.a = operand(in.args[0]);
        op.b = operand(in.args[1]);
        op.c = operand(in.args[2]);
        op.d = operand(in.args[3]);
        op.imm = in.aux;
        op.pc = pc;
        if (!base_of[i].is_none()) {  // an Add folded in
            op.a = operand(base_of[i]);
            op.disp = disp_of[i];
        }
        IOp kind{};  // every case below sets it (-Werror=switch keeps the switch complete)
        const Type t = in.type;
        switch (in.op) {
            case Opcode::kAdd: kind = pick(t, IOp::kAdd32, IOp::kAdd64); break;
            case Opcode::kSub: kind = pick(t, IOp::kSub32, IOp::kSub64); break;
            case Opcode::kMul: kind = pick(t, IOp::kMul32, IOp::kMul64); break;
            case Opcode::kMulHighS: kind = pick(t, IOp::kMulHighS32, IOp::kMulHighS64); break;
            case Opcode::kMulHighU: kind = pick(t, IOp::kMulHighU32, IOp::kMulHighU64); break;
            case Opcode::kMulHighSU: kind = pick(t, IOp::kMulHighSU32, IOp::kMulHighSU64); break;
            case Opcode::kDivS: kind = pick(t, IOp::kDivS32, IOp::kDivS64); break;
            case Opcode::kDivU: kind = pick(t, IOp::kDivU32, IOp::kDivU64); break;
            case Opcode::kRemS: kind = pick(t, IOp::kRemS32, IOp::kRemS64); break;
            case Opcode::kRemU: kind = pick(t, IOp::kRemU32, IOp::kRemU64); break;
            case Opcode::kAnd: kind = pick(t, IOp::kAnd32, IOp::kAnd64); break;
            case Opcode::kOr: kind = pick(t, IOp::kOr32, IOp::kOr64); break;
            case Opcode::kXor: kind = pick(t, IOp::kXor32, IOp::kXor64); break;
            case Opcode::kShl: kind = pick(t, IOp::kShl32, IOp::kShl64); break;
            case Opcode::kShrU: kind = pick(t, IOp::kShrU32, IOp::kShrU64); break;
            case Opcode::kShrS: kind = pick(t, IOp::kShrS32, IOp::kShrS64); break;
            case Opcode::kRotL: kind = pick(t, IOp::kRotL32, IOp::kRotL64); break;
            case Opcode::kRotR: kind = pick(t, IOp::kRotR32, IOp::kRotR64); break;
            case Opcode::kClz: kind = pick(t, IOp::kClz32, IOp::kClz64); break;
            case Opcode::kCtz: kind = pick(t, IOp::kCtz32, IOp::kCtz64); break;
            case Opcode::kPopcount: kind = pick(t, IOp::kPopcount32, IOp::kPopcount64); break;
            case Opcode::kByteSwap: kind = pick(t, IOp::kByteSwap32, IOp::kByteSwap64); break;
            case Opcode::kSignExtend: kind = pick(t, IOp::kSignExtend32, IOp::kSignExtend64); break;
            case Opcode::kZeroExtend: kind = pick(t, IOp::kZeroExtend32, IOp::kZeroExtend64); break;
            case Opcode::kLoad:
                kind = memory_ == MemoryModel::kSoftTlb ? pick(t, IOp::kTlbLoad32, IOp::kTlbLoad64)
                                                        : flat_load_op(t, in.memop());
                break;
            case Opcode::kTruncate: kind = IOp::kTruncate; break;
            case Opcode::kExtendS: kind = IOp::kExtendS; break;
            case Opcode::kExtendU: kind = IOp::kExtendU; break;
            case Opcode::kSelect: kind = IOp::kSelect; break;
            case Opcode::kCmp: kind = cmp_op(in.cond(), in.args[0].type()); break;
            case Opcode::kGetGlobal:
                kind = pick(t, IOp::kGetGlobal32, IOp::kGetGlobal64);
                op.imm = block.globals()[in.aux].env_offset;
                break;
            case Opcode::kSetGlobal:
                kind = pick(in.args[0].type(), IOp::kSetGlobal32, IOp::kSetGlobal64);
                op.imm = block.globals()[in.aux].env_offset;
                break;
            case Opcode::kStore:
                kind = memory_ == MemoryModel::kSoftTlb ? IOp::kTlbStore : flat_store_op(in.args[1].type(), in.memop());
                break;
            case Opcode::kCall:
                kind = time_helpers_                          ? IOp::kCallTimed
                       : in.helper()->flags & kHelperMayRaise ? IOp::kCallRaise
                                                              : IOp::kCall;
                break;
            case Opcode::kInsnStart:
            case Opcode::kGotoTb: continue;  // handled above
            case Opcode::kLabel: label_at[in.aux] = uint32_t(out->ops.size()); continue;
            case Opcode::kBranch:
            case Opcode::kBranchIf:
                kind = in.op == Opcode::kBranch ? IOp::kBranch : IOp::kBranchIf;
                branch_fixups.emplace_back(out->ops.size(), uint32_t(in.aux));
                break;
            case Opcode::kLookupAndGoto: kind = IOp::kLookupAndGoto; break;
            case Opcode::kExit: kind = IOp::kExit; break;
            case Opcode::kRaise: kind = IOp::kRaise; break;
        }
        op.kind = kind;
        op.handler = labels[size_t(kind)];
        out->ops.push_back(op);
    }
    for (auto [at, label] : branch_fixups) out->ops[at].imm = label_at[label];
    return out;
}

}  // namespace mimic::interp
