// How the frontend sees an extension: a decode table of its own and a translator class over the
// shared TranslateContext. Each extension lives in trans_<ext>.{h,cpp} with its table in isa_<ext>.inc.
#pragma once

#include <optional>
#include <string_view>

#include "frontends/common/decoder.h"
#include "frontends/riscv/translate_context.h"

namespace mimic::riscv {

// Bits fixed by every 32-bit pattern's bucket: major opcode and funct3.
inline constexpr uint32_t kBucketMask32 = 0x707f;

struct InsnText {
    std::string_view mnemonic;
    std::string_view syntax;
};

struct Extension {
    std::string_view name;
    // nullopt: no encoding of this extension matches. Otherwise the handler's verdict: false means
    // the encoding is reserved and the caller raises illegal instruction.
    std::optional<bool> (*translate)(TranslateContext& ctx, uint32_t insn);
    std::optional<InsnText> (*describe)(uint32_t insn);
};

template <typename Ext>
constexpr Extension make_extension(std::string_view name) {
    return Extension{
        name,
        [](TranslateContext& ctx, uint32_t insn) -> std::optional<bool> {
            const auto* m = Ext::table().decode(insn);
            if (!m) return std::nullopt;
            Ext ext(ctx);
            return m->call(ext, insn);
        },
        [](uint32_t insn) -> std::optional<InsnText> {
            const auto* m = Ext::table().decode(insn);
            if (!m) return std::nullopt;
            return InsnText{m->name, m->syntax};
        },
    };
}

// Base of every extension's translator: the context and its builder under short names.
class ExtensionTranslator {
public:
    explicit ExtensionTranslator(TranslateContext& ctx) : c(ctx), b(ctx.b) {}

protected:
    TranslateContext& c;
    ir::Builder& b;
};

}  // namespace mimic::riscv

// Defines Ext::table() from an isa_<ext>.inc file.
#define MIMIC_RISCV_TABLE_ENTRY(Ext, handler, mnemonic, syntax, bits) \
    ::mimic::decoder::make_matcher<uint32_t, bits, &Ext::handler>(mnemonic, syntax),
