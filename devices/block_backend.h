// Where a disk's bytes live on the host (a raw image file, its snapshot overlay): what a block
// device model reads and writes, by byte offset. Errors are host I/O errors the guest sees as such.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mimic::devices {

class BlockBackend {
public:
    virtual ~BlockBackend() = default;
    virtual uint64_t size() const = 0;  // bytes the guest sees
    virtual bool read_only() const = 0;
    // False on a host I/O error. The range is within size(); writes only when !read_only().
    virtual bool read(uint64_t offset, void* out, size_t len) = 0;
    virtual bool write(uint64_t offset, const void* data, size_t len) = 0;
    virtual bool flush() = 0;
};

}  // namespace mimic::devices
