// A Log with -d guest_errors,unimp writing to a temporary file the test can read back.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include "engine/log.h"

namespace mimic::devices::test {

struct LogCapture {
    LogCapture() {
        static int counter = 0;
        path = std::filesystem::temp_directory_path() /
               ("mimic-devices-log-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
        log.enable(kLogGuestErrors | kLogUnimp);
        log.open(path.string());
    }
    ~LogCapture() { std::filesystem::remove(path); }
    std::string text() const {
        std::ifstream in(path);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
    std::filesystem::path path;
    Log log;
};

}  // namespace mimic::devices::test
