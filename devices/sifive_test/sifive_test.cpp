// SiFive test finisher. Stateless, so it needs no lock: MachineControl is callable from any thread.
#include "devices/sifive_test/sifive_test.h"

#include "devices/device_log.h"

namespace mimic::devices {

void SifiveTest::write(uint64_t offset, unsigned size, uint64_t value) {
    if (offset == 0 && control_) {
        const uint32_t status = value & 0xffff;
        const int code = int((value >> 16) & 0xffff);
        switch (status) {
            case kFail: control_->request_poweroff(code); return;
            case kPass: control_->request_poweroff(0); return;
            case kReset: control_->request_reset(); return;
            default: break;
        }
    }
    if (log_enabled(log_, kLogGuestErrors))
        log_->printf("sifive_test: write of 0x%llx at offset 0x%llx\n", (unsigned long long)value,
                     (unsigned long long)offset);
}

}  // namespace mimic::devices
