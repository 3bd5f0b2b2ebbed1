// What a device may ask of the machine as a whole: power off with an exit status, or reset.
#pragma once

namespace mimic::devices {

class MachineControl {
public:
    virtual ~MachineControl() = default;
    // Stops every vCPU; the emulator exits with `exit_status`. Callable from any thread.
    virtual void request_poweroff(int exit_status) = 0;
    virtual void request_reset() = 0;
};

}  // namespace mimic::devices
