// A extension helpers: LR/SC and AMOs with the host's atomic instructions on the guest memory itself.
// Every operation is sequentially consistent, which satisfies any combination of the aq/rl bits.
#include <type_traits>

#include "frontends/riscv/helpers.h"
#include "softmmu/memory_port.h"

namespace mimic::riscv {
namespace {

// The host location of the naturally aligned T at addr, or nullptr with the fault recorded in env.
// LR is a load (its faults are load faults, and a read-only page will do); SC and AMOs are stores.
template <typename T>
T* host(CpuHeader* env, uint64_t addr, Access access = Access::kWrite) {
    return static_cast<T*>(env->mem_port->atomic_pointer(env, addr, sizeof(T), access));
}

// A register result: 32-bit values are sign-extended, as for every .w instruction.
template <typename T>
uint64_t to_reg(T v) {
    if constexpr (sizeof(T) == 4) return uint64_t(int64_t(int32_t(v)));
    return v;
}

template <typename T>
uint64_t load_reserved(CpuHeader* env, uint64_t addr) {
    T* p = host<T>(env, addr, Access::kRead);
    return p ? to_reg(__atomic_load_n(p, __ATOMIC_SEQ_CST)) : 0;
}

template <typename T>
uint64_t store_conditional(CpuHeader* env, uint64_t addr, uint64_t value, uint64_t res_addr, uint64_t res_value) {
    // Without a matching reservation the SC fails without touching memory (as QEMU does), so it
    // raises no fault either.
    if (addr != res_addr) return 1;
    T* p = host<T>(env, addr);
    if (!p) return 0;
    T expected = T(res_value);
    return __atomic_compare_exchange_n(p, &expected, T(value), false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) ? 0 : 1;
}

// Read-modify-write by compare-and-swap for the operations x86 has no single instruction for.
template <typename T, typename Op>
T fetch_update(T* p, T operand, Op op) {
    T old = __atomic_load_n(p, __ATOMIC_RELAXED);
    while (!__atomic_compare_exchange_n(p, &old, op(old, operand), false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
    }
    return old;
}

enum class Amo { kSwap, kAdd, kXor, kAnd, kOr, kMin, kMax, kMinU, kMaxU };

template <typename T, Amo kOp>
uint64_t amo(CpuHeader* env, uint64_t addr, uint64_t operand) {
    using S = std::make_signed_t<T>;
    T* p = host<T>(env, addr);
    if (!p) return 0;
    const T v = T(operand);
    T old;
    switch (kOp) {
        case Amo::kSwap: old = __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); break;
        case Amo::kAdd: old = __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); break;
        case Amo::kXor: old = __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST); break;
        case Amo::kAnd: old = __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST); break;
        case Amo::kOr: old = __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST); break;
        case Amo::kMin: old = fetch_update(p, v, [](T a, T b) { return S(a) < S(b) ? a : b; }); break;
        case Amo::kMax: old = fetch_update(p, v, [](T a, T b) { return S(a) > S(b) ? a : b; }); break;
        case Amo::kMinU: old = fetch_update(p, v, [](T a, T b) { return a < b ? a : b; }); break;
        case Amo::kMaxU: old = fetch_update(p, v, [](T a, T b) { return a > b ? a : b; }); break;
    }
    return to_reg(old);
}

}  // namespace

uint64_t helper_lr_w(CpuHeader* env, uint64_t addr, uint64_t, uint64_t, uint64_t) {
    return load_reserved<uint32_t>(env, addr);
}
uint64_t helper_lr_d(CpuHeader* env, uint64_t addr, uint64_t, uint64_t, uint64_t) {
    return load_reserved<uint64_t>(env, addr);
}
uint64_t helper_sc_w(CpuHeader* env, uint64_t addr, uint64_t value, uint64_t res_addr, uint64_t res_value) {
    return store_conditional<uint32_t>(env, addr, value, res_addr, res_value);
}
uint64_t helper_sc_d(CpuHeader* env, uint64_t addr, uint64_t value, uint64_t res_addr, uint64_t res_value) {
    return store_conditional<uint64_t>(env, addr, value, res_addr, res_value);
}

#define AMO_HELPERS(name, op)                                                                         \
    uint64_t helper_##name##_w(CpuHeader* env, uint64_t addr, uint64_t operand, uint64_t, uint64_t) { \
        return amo<uint32_t, op>(env, addr, operand);                                                 \
    }                                                                                                 \
    uint64_t helper_##name##_d(CpuHeader* env, uint64_t addr, uint64_t operand, uint64_t, uint64_t) { \
        return amo<uint64_t, op>(env, addr, operand);                                                 \
    }
AMO_HELPERS(amoswap, Amo::kSwap)
AMO_HELPERS(amoadd, Amo::kAdd)
AMO_HELPERS(amoxor, Amo::kXor)
AMO_HELPERS(amoand, Amo::kAnd)
AMO_HELPERS(amoor, Amo::kOr)
AMO_HELPERS(amomin, Amo::kMin)
AMO_HELPERS(amomax, Amo::kMax)
AMO_HELPERS(amominu, Amo::kMinU)
AMO_HELPERS(amomaxu, Amo::kMaxU)
#undef AMO_HELPERS

}  // namespace mimic::riscv
