// perf reads the map when it reports, so each line is flushed as it is written: a guest that
// kills Mimic still leaves a complete map.
#include "engine/perf_map.h"

#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstring>
#include <stdexcept>

namespace mimic {

PerfMap::PerfMap() {
    const std::string path = "/tmp/perf-" + std::to_string(::getpid()) + ".map";
    file_ = std::fopen(path.c_str(), "w");
    if (!file_) throw std::runtime_error("-perfmap: cannot write " + path + ": " + std::strerror(errno));
}

PerfMap::~PerfMap() {
    std::fclose(file_);
}

void PerfMap::add(const void* code, size_t size, std::string_view tier, uint64_t guest_pc, size_t blocks) {
    if (!code || size == 0) return;
    std::lock_guard lock(mutex_);
    std::fprintf(file_, "%" PRIxPTR " %zx mimic-%.*s:0x%" PRIx64, reinterpret_cast<uintptr_t>(code), size,
                 int(tier.size()), tier.data(), guest_pc);
    if (blocks > 1) std::fprintf(file_, "+%zu", blocks - 1);
    std::fputc('\n', file_);
    std::fflush(file_);
}

}  // namespace mimic
