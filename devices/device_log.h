// Devices report guest misbehaviour (a register that does not exist, a bad command) to the
// machine's Log under -d guest_errors; the Log is optional, so every device checks for it here.
#pragma once

#include <cstdint>

#include "engine/log.h"

namespace mimic::devices {

inline bool log_enabled(Log* log, uint32_t items) {
    return log != nullptr && log->enabled(items);
}

}  // namespace mimic::devices
