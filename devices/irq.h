// Interrupt wiring: a device raises or lowers a level on an IrqLine, which lands on an input of
// an interrupt controller or a CPU (an IrqSink). Machines connect the two.
#pragma once

namespace mimic::devices {

class IrqSink {
public:
    virtual ~IrqSink() = default;
    // Level-triggered input `line` is now `level`. Callable from any thread.
    virtual void set_irq(unsigned line, bool level) = 0;
};

struct IrqLine {
    IrqSink* sink = nullptr;
    unsigned line = 0;

    void set(bool level) const {
        if (sink) sink->set_irq(line, level);
    }
    void raise() const { set(true); }
    void lower() const { set(false); }
};

}  // namespace mimic::devices
