// RISC-V frontend: the block translation loop.
#include "frontends/riscv/frontend.h"

#include <cinttypes>

#include "engine/log.h"
#include "frontends/riscv/priv_trap.h"
#include "frontends/riscv/rvc.h"
#include "frontends/riscv/system_mmu.h"
#include "frontends/riscv/trans_priv.h"
#include "frontends/riscv/trans_rva.h"
#include "frontends/riscv/trans_rvfd.h"
#include "frontends/riscv/trans_rvi.h"
#include "frontends/riscv/trans_rvm.h"
#include "frontends/riscv/trans_zb.h"
#include "frontends/riscv/trans_zicsr.h"
#include "softmmu/memory_port.h"

namespace mimic::riscv {

namespace {

const Extension kExtensions[] = {
    make_extension<RvI>("I"),           make_extension<RvM>("M"),   make_extension<RvA>("A"),
    make_extension<RvF>("F"),           make_extension<RvD>("D"),   make_extension<Zicsr>("Zicsr_Zifencei"),
    make_extension<Zba>("Zba"),         make_extension<Zbb>("Zbb"), make_extension<Zbs>("Zbs"),
    make_extension<Privileged>("Priv"),
};

bool is_fp_extension(const Extension& ext) {
    return ext.name == "F" || ext.name == "D";
}

void log_unimp(const TranslateOptions& opts, uint64_t pc, uint32_t raw, unsigned length, const char* what) {
    if (!opts.log || !opts.log->enabled(kLogUnimp)) return;
    opts.log->printf("unimp: pc=0x%016" PRIx64 " insn=%0*" PRIx32 ": %s\n", pc, length * 2, raw, what);
}

// Translates the instruction in ctx (pc, length, raw are set).
void translate_one(TranslateContext& ctx) {
    const auto insn = to_32bit_form(ctx.raw, ctx.length);
    if (!insn) {
        log_unimp(ctx.opts, ctx.pc, ctx.raw, ctx.length, "reserved compressed encoding");
        ctx.illegal();
        return;
    }
    for (const Extension& ext : kExtensions) {
        if (ext.name == "Priv" && !ctx.system()) continue;  // user mode has no privileged instructions
        if ((ctx.flags & tb_flags::kFpOff) && is_fp_extension(ext)) {
            if (ext.describe(*insn)) {  // an FP instruction while mstatus.FS is Off
                ctx.illegal();
                return;
            }
            continue;
        }
        if (auto accepted = ext.translate(ctx, *insn)) {
            if (!*accepted) {
                log_unimp(ctx.opts, ctx.pc, ctx.raw, ctx.length,
                          ("reserved encoding or unsupported operand in extension " + std::string(ext.name)).c_str());
                ctx.illegal();
            }
            return;
        }
    }
    log_unimp(ctx.opts, ctx.pc, ctx.raw, ctx.length, "no RV64GC/Zba/Zbb/Zbs instruction has this encoding");
    ctx.illegal();
}

struct FetchFault {
    uint64_t addr = 0;
    uint64_t cause = kInstructionPageFault;
};

// Fetches the instruction at pc: its raw bits and length, or nothing if it cannot be fetched.
bool fetch(CpuHeader* env, MemoryPort& mem, uint64_t pc, uint32_t& raw, unsigned& length, FetchFault& fault) {
    uint16_t lo = 0, hi = 0;
    fault.addr = pc;
    if (!mem.fetch(env, pc, &lo, 2, &fault.cause)) return false;
    raw = lo;
    length = 2;
    if ((lo & 3) != 3) return true;
    fault.addr = pc + 2;
    if (!mem.fetch(env, pc + 2, &hi, 2, &fault.cause)) return false;
    raw |= uint32_t(hi) << 16;
    length = 4;
    return true;
}

}  // namespace

std::span<const Extension> extensions() {
    return kExtensions;
}

std::optional<uint32_t> to_32bit_form(uint32_t raw, unsigned length) {
    if (length == 4) return raw;
    return expand_compressed(uint16_t(raw));
}

ir::GlobalTable RiscvFrontend::globals() const {
    return riscv::globals();
}

uint32_t RiscvFrontend::tb_flags(const CpuHeader* env) const {
    const CpuState& cpu = *reinterpret_cast<const CpuState*>(env);
    return (system_ ? system_tb_flags(cpu) : 0) | (cpu.frm != 0 ? tb_flags::kFrmNotRne : 0);
}

void RiscvFrontend::translate(CpuHeader* env, MemoryPort& mem, uint64_t start, uint32_t flags,
                              const TranslateOptions& opts, ir::Block& out) const {
    ir::Builder b(out);
    TranslateContext ctx(b, opts, flags);
    uint64_t pc = start;
    uint32_t count = 0;
    for (;;) {
        uint32_t raw = 0;
        unsigned length = 0;
        FetchFault fault;
        if (!fetch(env, mem, pc, raw, length, fault)) {
            if (count == 0) {
                b.insn_start(pc);
                ctx.pc = pc;
                ctx.raise(Cause(fault.cause), fault.addr);
            } else {
                b.goto_tb(0, pc);  // the next block raises the fault with its own pc
            }
            break;
        }
        b.insn_start(pc);
        ctx.pc = pc;
        ctx.length = length;
        ctx.raw = raw;
        translate_one(ctx);
        ++count;
        pc += length;
        if (ctx.ended) break;
        const bool next_page = (pc >> kGuestPageBits) != (start >> kGuestPageBits);
        if (count >= opts.max_insns || next_page) {
            b.goto_tb(0, pc);
            break;
        }
    }
    out.set_guest_size(pc - start);
    out.set_guest_insn_count(count);
}

std::string RiscvFrontend::disassemble(CpuHeader* env, MemoryPort& mem, uint64_t pc, uint64_t size) const {
    std::string out;
    const uint64_t end = pc + size;
    while (pc < end) {
        uint32_t raw = 0;
        unsigned length = 0;
        FetchFault fault;
        char head[48];
        if (!fetch(env, mem, pc, raw, length, fault)) break;
        std::snprintf(head, sizeof head, "0x%016" PRIx64 ":  %0*" PRIx32 "%s  ", pc, length * 2, raw,
                      length == 2 ? "    " : "");
        const auto insn = to_32bit_form(raw, length);
        out += head + (insn ? disassemble_one(*insn, pc) : std::string("(illegal)")) + "\n";
        pc += length;
    }
    return out;
}

std::string RiscvFrontend::dump_state(const CpuHeader* env) const {
    const auto* s = reinterpret_cast<const CpuState*>(env);
    std::string out;
    char buf[64];
    std::snprintf(buf, sizeof buf, " pc       %016" PRIx64 "\n", env->pc);
    out += buf;
    for (int r = 0; r < 32; ++r) {
        std::snprintf(buf, sizeof buf, " x%-2d/%-4s %016" PRIx64 "%s", r, kXNames[r], s->x[r], r % 4 == 3 ? "\n" : "");
        out += buf;
    }
    for (int r = 0; r < 32; ++r) {
        std::snprintf(buf, sizeof buf, " f%-2d/%-4s %016" PRIx64 "%s", r, kFNames[r], s->f[r], r % 4 == 3 ? "\n" : "");
        out += buf;
    }
    std::snprintf(buf, sizeof buf, " fflags %02" PRIx64 " frm %" PRIu64 "\n", s->fflags, s->frm);
    out += buf;
    if (system_) out += dump_priv(*s);
    return out;
}

}  // namespace mimic::riscv
