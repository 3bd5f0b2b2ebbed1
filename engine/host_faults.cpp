// The process's SIGSEGV/SIGBUS handler: a fault at a guest access of generated code resumes at its
// slow path; a write refused only to guard translated code is let through; anything else goes to
// the handler that was there before (by default, the process dies as it would have).
#include "engine/host_faults.h"

#include <signal.h>
#include <ucontext.h>

#include <array>
#include <cerrno>
#include <stdexcept>
#include <utility>

#if !defined(__x86_64__)
#error "host_faults.cpp reads the faulting pc from an x86-64 signal context"
#endif

namespace mimic::host_faults {

namespace {

constexpr size_t kMaxOwners = 64;

// Signal dispositions are per process, so this is the one place Mimic keeps process-wide state:
// the owners the handler asks, and the handlers it replaced. Machines add and remove themselves.
struct Registry {
    std::array<std::atomic<RecoveryTable*>, kMaxOwners> tables{};
    std::array<std::atomic<GuardedMemory*>, kMaxOwners> memories{};
    struct sigaction previous_segv {};
    struct sigaction previous_bus {};
    std::mutex installing;
};

Registry& registry() {
    static Registry r;
    return r;
}

void pass_on(int sig, siginfo_t* info, void* context) {
    const struct sigaction& previous = sig == SIGSEGV ? registry().previous_segv : registry().previous_bus;
    if ((previous.sa_flags & SA_SIGINFO) && previous.sa_sigaction) {
        previous.sa_sigaction(sig, info, context);
        return;
    }
    if (!(previous.sa_flags & SA_SIGINFO) && previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        previous.sa_handler(sig);
        return;
    }
    if (!(previous.sa_flags & SA_SIGINFO) && previous.sa_handler == SIG_IGN && info->si_code <= 0) return;
    // The default action, as if Mimic had no handler: delivered as soon as this one returns.
    signal(sig, SIG_DFL);
    raise(sig);
}

void on_fault(int sig, siginfo_t* info, void* context) {
    const int saved_errno = errno;
    auto* uc = static_cast<ucontext_t*>(context);
    Registry& r = registry();
    if (info->si_code > 0) {  // raised by an instruction, not sent by kill()
        const auto pc = uintptr_t(uc->uc_mcontext.gregs[REG_RIP]);
        for (auto& slot : r.tables) {
            const RecoveryTable* table = slot.load(std::memory_order_acquire);
            if (!table) continue;
            if (const uintptr_t resume = table->lookup(pc)) {
                uc->uc_mcontext.gregs[REG_RIP] = greg_t(resume);
                errno = saved_errno;
                return;
            }
        }
        if (sig == SIGSEGV && info->si_code == SEGV_ACCERR) {
            const auto address = reinterpret_cast<uintptr_t>(info->si_addr);
            for (auto& slot : r.memories) {
                GuardedMemory* memory = slot.load(std::memory_order_acquire);
                if (memory && memory->contains(address) && memory->resolve_write_fault(address)) {
                    errno = saved_errno;
                    return;  // the write runs again and succeeds
                }
            }
        }
    }
    errno = saved_errno;
    pass_on(sig, info, context);
}

// Installs the handler unless it is already the current one: something else (a test framework)
// may have put its own in place since, which then becomes the one faults are passed on to.
void install() {
    Registry& r = registry();
    std::lock_guard lock(r.installing);
    for (auto [sig, previous] : {std::pair{SIGSEGV, &r.previous_segv}, std::pair{SIGBUS, &r.previous_bus}}) {
        struct sigaction current {};
        sigaction(sig, nullptr, &current);
        if ((current.sa_flags & SA_SIGINFO) && current.sa_sigaction == on_fault) continue;
        struct sigaction action {};
        action.sa_sigaction = on_fault;
        action.sa_flags = SA_SIGINFO;
        sigemptyset(&action.sa_mask);
        if (sigaction(sig, &action, previous) != 0)
            throw std::runtime_error("cannot install the SIGSEGV/SIGBUS handler for guest memory");
    }
}

template <typename T>
void add_to(std::array<std::atomic<T*>, kMaxOwners>& slots, T* owner) {
    install();
    for (auto& slot : slots) {
        T* expected = nullptr;
        if (slot.compare_exchange_strong(expected, owner, std::memory_order_acq_rel)) return;
    }
    throw std::runtime_error("too many machines in one process (the guest memory fault handler serves 64)");
}

template <typename T>
void remove_from(std::array<std::atomic<T*>, kMaxOwners>& slots, T* owner) {
    for (auto& slot : slots) {
        T* expected = owner;
        if (slot.compare_exchange_strong(expected, nullptr, std::memory_order_acq_rel)) return;
    }
}

uintptr_t hash(uintptr_t pc) {
    return (pc * 0x9E3779B97F4A7C15ull) >> 17;
}

}  // namespace

void add(RecoveryTable* table) {
    add_to(registry().tables, table);
}
void remove(RecoveryTable* table) {
    remove_from(registry().tables, table);
}
void add(GuardedMemory* memory) {
    add_to(registry().memories, memory);
}
void remove(GuardedMemory* memory) {
    remove_from(registry().memories, memory);
}

// Open addressing, keys published with release after their values; 0 marks an empty slot.
struct RecoveryTable::Slots {
    explicit Slots(size_t capacity)
        : mask(capacity - 1), keys(new std::atomic<uintptr_t>[capacity]), values(new uintptr_t[capacity]) {
        for (size_t i = 0; i < capacity; ++i) keys[i].store(0, std::memory_order_relaxed);
    }
    size_t capacity() const { return mask + 1; }
    // The slot holding `pc`, or the empty one where it would go.
    size_t find(uintptr_t pc) const {
        size_t i = hash(pc) & mask;
        for (;;) {
            const uintptr_t key = keys[i].load(std::memory_order_acquire);
            if (key == pc || key == 0) return i;
            i = (i + 1) & mask;
        }
    }
    void put(uintptr_t pc, uintptr_t resume) {
        const size_t i = find(pc);
        values[i] = resume;
        keys[i].store(pc, std::memory_order_release);
    }

    size_t mask;
    std::unique_ptr<std::atomic<uintptr_t>[]> keys;
    std::unique_ptr<uintptr_t[]> values;
};

RecoveryTable::RecoveryTable() : slots_(nullptr) {
    all_.push_back(std::make_unique<Slots>(256));
    slots_.store(all_.back().get(), std::memory_order_release);
}

RecoveryTable::~RecoveryTable() = default;

void RecoveryTable::insert(uintptr_t fault_pc, uintptr_t resume_pc) {
    if (fault_pc == 0) return;
    std::lock_guard lock(mutex_);
    Slots* slots = slots_.load(std::memory_order_relaxed);
    if (slots->keys[slots->find(fault_pc)].load(std::memory_order_relaxed) == 0) {
        if (2 * (count_ + 1) > slots->capacity()) {
            grow_locked();
            slots = slots_.load(std::memory_order_relaxed);
        }
        ++count_;
    }
    slots->put(fault_pc, resume_pc);
}

void RecoveryTable::grow_locked() {
    const Slots& old = *slots_.load(std::memory_order_relaxed);
    auto bigger = std::make_unique<Slots>(2 * old.capacity());
    for (size_t i = 0; i < old.capacity(); ++i)
        if (const uintptr_t pc = old.keys[i].load(std::memory_order_relaxed)) bigger->put(pc, old.values[i]);
    slots_.store(bigger.get(), std::memory_order_release);
    all_.push_back(std::move(bigger));
}

uintptr_t RecoveryTable::lookup(uintptr_t pc) const {
    const Slots& slots = *slots_.load(std::memory_order_acquire);
    const size_t i = slots.find(pc);
    return slots.keys[i].load(std::memory_order_acquire) == pc && pc != 0 ? slots.values[i] : 0;
}

size_t RecoveryTable::size() const {
    std::lock_guard lock(mutex_);
    return count_;
}

}  // namespace mimic::host_faults
