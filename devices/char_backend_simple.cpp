// BufferCharBackend: output into a string, input from a queue at the frontend's pace.
#include "devices/char_backend_simple.h"

#include <algorithm>
#include <vector>

namespace mimic::devices {

void BufferCharBackend::write(const uint8_t* data, size_t size) {
    std::lock_guard lock(mutex_);
    output_.append(reinterpret_cast<const char*>(data), size);
}

void BufferCharBackend::attach(CharFrontend* frontend) {
    std::lock_guard deliver(deliver_mutex_);
    std::lock_guard lock(mutex_);
    frontend_ = frontend;
}

void BufferCharBackend::accept_input() {
    deliver();
}

void BufferCharBackend::push_input(std::string_view bytes) {
    {
        std::lock_guard lock(mutex_);
        input_.insert(input_.end(), bytes.begin(), bytes.end());
    }
    deliver();
}

std::string BufferCharBackend::output() const {
    std::lock_guard lock(mutex_);
    return output_;
}

void BufferCharBackend::clear_output() {
    std::lock_guard lock(mutex_);
    output_.clear();
}

size_t BufferCharBackend::pending_input() const {
    std::lock_guard lock(mutex_);
    return input_.size();
}

void BufferCharBackend::deliver() {
    // mutex_ is not held across frontend calls: the frontend may write output from another thread.
    std::lock_guard deliver(deliver_mutex_);
    std::vector<uint8_t> chunk;
    for (;;) {
        CharFrontend* frontend;
        {
            std::lock_guard lock(mutex_);
            frontend = frontend_;
            if (!frontend || input_.empty()) return;
        }
        const size_t room = frontend->can_receive();
        if (room == 0) return;
        {
            std::lock_guard lock(mutex_);
            const size_t n = std::min(room, input_.size());
            chunk.assign(input_.begin(), input_.begin() + n);
            input_.erase(input_.begin(), input_.begin() + n);
        }
        frontend->receive(chunk.data(), chunk.size());
    }
}

}  // namespace mimic::devices
