// -drive's raw disk images on the host: the file itself (read-write or read-only), or the file
// under an overlay in memory that takes every write and is dropped at exit (snapshot=on,
// -snapshot). The file is locked as QEMU locks it, so two emulators never write one image.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "devices/block_backend.h"

namespace mimic::machines {

struct DiskError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class RawImage final : public devices::BlockBackend {
public:
    enum class Mode { kReadWrite, kReadOnly, kSnapshot };

    // Throws DiskError "PATH: reason" (missing, a directory, locked by another process, ...).
    RawImage(const std::string& path, Mode mode);
    ~RawImage() override;
    RawImage(const RawImage&) = delete;
    RawImage& operator=(const RawImage&) = delete;

    uint64_t size() const override { return size_; }
    bool read_only() const override { return mode_ == Mode::kReadOnly; }
    bool read(uint64_t offset, void* out, size_t len) override;
    bool write(uint64_t offset, const void* data, size_t len) override;
    bool flush() override;

    static constexpr uint64_t kClusterSize = 4096;  // the snapshot overlay's unit

private:
    bool read_file(uint64_t offset, uint8_t* out, size_t len);
    uint8_t* overlay_cluster(uint64_t index);  // the cluster's copy, made from the file on first write

    int fd_ = -1;
    uint64_t size_ = 0;
    uint64_t file_size_ = 0;
    Mode mode_;
    std::mutex mutex_;  // the overlay
    std::unordered_map<uint64_t, std::unique_ptr<uint8_t[]>> overlay_;
};

}  // namespace mimic::machines
