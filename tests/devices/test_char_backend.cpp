// The simple character backends: buffered output, queued input at the frontend's pace.
#include <catch2/catch.hpp>

#include <string>

#include "devices/char_backend_simple.h"

using namespace mimic::devices;

namespace {

class SlowFrontend final : public CharFrontend {
public:
    size_t room = 2;
    std::string got;
    size_t can_receive() override { return room; }
    void receive(const uint8_t* data, size_t size) override {
        got.append(reinterpret_cast<const char*>(data), size);
        room -= size;
    }
};

}  // namespace

TEST_CASE("BufferCharBackend collects output and paces input", "[devices]") {
    BufferCharBackend backend;
    const uint8_t out[] = {'o', 'k'};
    backend.write(out, 2);
    CHECK(backend.output() == "ok");
    backend.clear_output();
    CHECK(backend.output().empty());

    backend.push_input("abc");  // no frontend yet: kept
    CHECK(backend.pending_input() == 3);
    SlowFrontend frontend;
    backend.attach(&frontend);
    backend.accept_input();
    CHECK(frontend.got == "ab");
    frontend.room = 5;
    backend.accept_input();
    CHECK(frontend.got == "abc");
    backend.attach(nullptr);
    backend.push_input("d");
    CHECK(frontend.got == "abc");
    CHECK(backend.pending_input() == 1);

    NullCharBackend null;
    null.write(out, 2);
    null.attach(&frontend);
    null.accept_input();
    CHECK(frontend.got == "abc");
}
