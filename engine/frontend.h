// The contract between the engine and a guest architecture: translate guest code at a pc into IR,
// and say which CPU modes change translation.
#pragma once

#include <cstdint>
#include <string>

#include "engine/cpu_header.h"
#include "ir/block.h"

namespace mimic {

class MemoryPort;
class Log;

struct TranslateOptions {
    uint32_t max_insns = 256;
    Log* log = nullptr;  // for -d unimp
};

class Frontend {
public:
    virtual ~Frontend() = default;
    virtual ir::GlobalTable globals() const = 0;
    // Mode bits that change how code translates (privilege, FP enabled, ...): part of the TB key.
    virtual uint32_t tb_flags(const CpuHeader* env) const = 0;
    // Translates the block starting at `pc`. Instructions that cannot be fetched end the block before
    // them; when not even the first can, the block raises the fetch fault itself.
    // Code is fetched through `mem` in the mode of the vCPU `env` (whose state must not change).
    virtual void translate(CpuHeader* env, MemoryPort& mem, uint64_t pc, uint32_t flags, const TranslateOptions& opts,
                           ir::Block& out) const = 0;
    // One line of disassembly per guest instruction in [pc, pc+size), for -d in_asm.
    virtual std::string disassemble(CpuHeader* env, MemoryPort& mem, uint64_t pc, uint64_t size) const = 0;
    // The guest registers, for -d cpu.
    virtual std::string dump_state(const CpuHeader* env) const = 0;
};

}  // namespace mimic
