// -drive's raw disk images on the host: the file itself (read-write or read-only), or the file
// under an overlay that takes every write and is dropped at exit (snapshot=on, -snapshot): an
// unlinked temporary file in $TMPDIR (or /var/tmp), as QEMU's snapshot is. The image is locked as
// QEMU locks it, so two emulators never write one image.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "devices/block_backend.h"

namespace mimic::machines {

struct DiskError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class RawImage final : public devices::BlockBackend {
public:
    enum class Mode { kReadWrite, kReadOnly, kSnapshot };

    // Throws DiskError "PATH: reason" (missing, a directory, locked by another process, ...).
    // Without `format_given` (-drive's format=raw), an image that starts as a qcow2 one is refused
    // rather than shown to the guest as its raw bytes; QEMU would have probed it as qcow2.
    RawImage(const std::string& path, Mode mode, bool format_given = true);
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
    static bool read_fd(int fd, uint64_t offset, uint8_t* out, size_t len);
    static bool write_fd(int fd, uint64_t offset, const uint8_t* data, size_t len);
    bool copy_up(uint64_t cluster);  // the image's cluster into the overlay, on its first write

    int fd_ = -1;
    int overlay_fd_ = -1;  // snapshot: the same offsets as the image, sparse
    uint64_t size_ = 0;
    Mode mode_;
    std::mutex mutex_;              // the overlay
    std::vector<bool> in_overlay_;  // per cluster
};

}  // namespace mimic::machines
