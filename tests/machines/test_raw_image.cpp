// -drive's raw images: read-write goes to the file, snapshot=on keeps writes in memory, readonly=on
// refuses them, and a second writer of one image is refused by its lock.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <unistd.h>

#include "machines/common/raw_image.h"

using namespace mimic::machines;

namespace {

struct TempImage {
    explicit TempImage(size_t size) {
        static int counter = 0;
        path = std::filesystem::temp_directory_path() /
               ("mimic-raw-image-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
        std::vector<char> bytes(size);
        for (size_t i = 0; i < size; ++i) bytes[i] = char(i * 7);
        std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(size));
    }
    ~TempImage() { std::filesystem::remove(path); }
    std::vector<uint8_t> contents() const {
        std::ifstream in(path, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), {}};
    }
    std::filesystem::path path;
};

std::vector<uint8_t> read(RawImage& image, uint64_t offset, size_t len) {
    std::vector<uint8_t> out(len);
    REQUIRE(image.read(offset, out.data(), len));
    return out;
}

}  // namespace

TEST_CASE("a read-write raw image takes writes into the file", "[machines][disk]") {
    TempImage file(64 * 1024);
    {
        RawImage image(file.path.string(), RawImage::Mode::kReadWrite);
        CHECK(image.size() == 64 * 1024);
        CHECK(!image.read_only());
        CHECK(read(image, 1000, 2) == std::vector<uint8_t>{uint8_t(1000 * 7), uint8_t(1001 * 7)});
        const std::vector<uint8_t> ones(600, 1);
        REQUIRE(image.write(4000, ones.data(), ones.size()));
        CHECK(image.flush());
    }
    const std::vector<uint8_t> after = file.contents();
    CHECK(after[3999] == uint8_t(3999 * 7));
    CHECK(after[4000] == 1);
    CHECK(after[4599] == 1);
    CHECK(after[4600] == uint8_t(4600 * 7));
}

TEST_CASE("a snapshot raw image reads back its writes and never changes the file", "[machines][disk]") {
    TempImage file(64 * 1024 + 100);  // not whole sectors: the guest sees 128 of them
    const std::vector<uint8_t> before = file.contents();
    {
        RawImage image(file.path.string(), RawImage::Mode::kSnapshot);
        CHECK(image.size() == 64 * 1024);
        CHECK(!image.read_only());
        const std::vector<uint8_t> ones(5000, 1);  // across two cluster boundaries
        REQUIRE(image.write(4000, ones.data(), ones.size()));
        const std::vector<uint8_t> back = read(image, 3990, 5020);
        CHECK(back[9] == uint8_t(3999 * 7));
        CHECK(back[10] == 1);
        CHECK(back[5009] == 1);
        CHECK(back[5010] == uint8_t(9000 * 7));
    }
    CHECK(file.contents() == before);
}

TEST_CASE("a read-only raw image refuses writes and two writers of one image are refused", "[machines][disk]") {
    TempImage file(4096);
    const std::vector<uint8_t> before = file.contents();
    {
        RawImage image(file.path.string(), RawImage::Mode::kReadOnly);
        CHECK(image.read_only());
        const uint8_t byte = 0;
        CHECK(!image.write(0, &byte, 1));
        // Readers share the image; a writer cannot have it while they do.
        RawImage reader(file.path.string(), RawImage::Mode::kSnapshot);
        CHECK_THROWS_WITH(RawImage(file.path.string(), RawImage::Mode::kReadWrite),
                          Catch::Contains("in use by another process"));
    }
    RawImage writer(file.path.string(), RawImage::Mode::kReadWrite);
    CHECK_THROWS_WITH(RawImage(file.path.string(), RawImage::Mode::kReadOnly),
                      Catch::Contains("being written by another process"));
    CHECK(file.contents() == before);
    CHECK_THROWS_WITH(RawImage("/nonexistent/disk.img", RawImage::Mode::kReadOnly),
                      "/nonexistent/disk.img: No such file or directory");
}

TEST_CASE("an image that is qcow2 is refused unless format=raw was given", "[machines][disk]") {
    TempImage file(4096);
    {
        std::fstream f(file.path, std::ios::in | std::ios::out | std::ios::binary);
        f.write("QFI\xfb", 4);
    }
    CHECK_THROWS_WITH(RawImage(file.path.string(), RawImage::Mode::kReadOnly, false),
                      Catch::Contains("a qcow2 image, and Mimic reads raw images only"));
    RawImage as_raw(file.path.string(), RawImage::Mode::kReadOnly, true);
    CHECK(read(as_raw, 0, 4) == std::vector<uint8_t>{'Q', 'F', 'I', 0xfb});
}
