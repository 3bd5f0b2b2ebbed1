// Character backends without a host terminal: NullCharBackend drops output and has no input
// (-serial none); BufferCharBackend collects output in a string and feeds input from a queue
// (tests, and anything that wants to capture a console).
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <string_view>

#include "devices/char_backend.h"

namespace mimic::devices {

class NullCharBackend final : public CharBackend {
public:
    void write(const uint8_t*, size_t) override {}
    void attach(CharFrontend*) override {}
};

class BufferCharBackend final : public CharBackend {
public:
    void write(const uint8_t* data, size_t size) override;
    // After attach(nullptr) returns, no receive() call is running or will start.
    void attach(CharFrontend* frontend) override;
    void accept_input() override;

    // Queues input and hands the frontend as much as it can take now; the rest waits for
    // accept_input().
    void push_input(std::string_view bytes);
    std::string output() const;
    void clear_output();
    size_t pending_input() const;

private:
    void deliver();

    mutable std::mutex mutex_;  // output_, input_, frontend_
    std::string output_;
    std::deque<uint8_t> input_;
    CharFrontend* frontend_ = nullptr;
    // Held while calling the frontend: one delivery at a time keeps the input in order.
    std::mutex deliver_mutex_;
};

}  // namespace mimic::devices
