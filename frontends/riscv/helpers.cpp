// HelperInfo records for every helper in helpers.inc.
#include "frontends/riscv/helpers.h"

#include "frontends/riscv/cpu.h"

namespace mimic::riscv {
namespace {
using ir::Type;
constexpr Type Void = Type::kVoid, I32 = Type::kI32, I64 = Type::kI64;

template <typename... T>
constexpr ir::HelperInfo info(std::string_view name, ir::HelperFn fn, uint32_t flags, Type result, T... args) {
    static_assert(sizeof...(T) <= 4, "helpers take at most four arguments besides env");
    ir::HelperInfo h{name, fn, flags, result, uint8_t(sizeof...(T)), {args...}};
    if (flags & kFpStatus) {
        h.global_count = 2;
        h.globals = {kGlobalFflags, kGlobalFrm};
    }
    return h;
}
}  // namespace

#define MIMIC_HELPER(name, flags, result, ...) \
    const ir::HelperInfo kHelper_##name = info(#name, helper_##name, flags, result __VA_OPT__(, ) __VA_ARGS__);
#include "frontends/riscv/helpers.inc"
#undef MIMIC_HELPER

}  // namespace mimic::riscv
