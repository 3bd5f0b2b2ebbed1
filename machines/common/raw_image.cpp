// Raw images: pread/pwrite on the file, with the snapshot overlay in 4 KiB clusters.
#include "machines/common/raw_image.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace mimic::machines {

namespace {

std::string reason(const std::string& path, const std::string& what) {
    return path + ": " + what;
}

// An open file description lock over the whole file, as QEMU takes on its images: shared for
// reading, exclusive for writing.
bool lock_file(int fd, bool exclusive) {
    struct flock l {};
    l.l_type = exclusive ? F_WRLCK : F_RDLCK;
    l.l_whence = SEEK_SET;
    return fcntl(fd, F_OFD_SETLK, &l) == 0;
}

}  // namespace

RawImage::RawImage(const std::string& path, Mode mode) : mode_(mode) {
    const bool writable = mode == Mode::kReadWrite;
    fd_ = ::open(path.c_str(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (fd_ < 0) throw DiskError(reason(path, std::strerror(errno)));
    struct stat st;
    if (fstat(fd_, &st) != 0) {
        const int e = errno;
        ::close(fd_);
        throw DiskError(reason(path, std::strerror(e)));
    }
    if (S_ISREG(st.st_mode)) {
        file_size_ = uint64_t(st.st_size);
    } else if (S_ISBLK(st.st_mode)) {
        if (ioctl(fd_, BLKGETSIZE64, &file_size_) != 0) file_size_ = 0;
    } else {
        ::close(fd_);
        throw DiskError(reason(path, "not a regular file or block device"));
    }
    if (!lock_file(fd_, writable)) {
        ::close(fd_);
        throw DiskError(reason(path, writable ? "in use by another process (cannot get its write lock)"
                                              : "being written by another process (cannot get its read lock)"));
    }
    size_ = file_size_ & ~uint64_t(511);  // the guest sees whole sectors
    if (size_ != file_size_)
        std::fprintf(stderr,
                     "mimic: warning: %s: the last %llu bytes are not a whole sector; the guest does not see them\n",
                     path.c_str(), (unsigned long long)(file_size_ - size_));
}

RawImage::~RawImage() {
    if (fd_ >= 0) ::close(fd_);
}

bool RawImage::read_file(uint64_t offset, uint8_t* out, size_t len) {
    while (len > 0) {
        const ssize_t n = ::pread(fd_, out, len, off_t(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;  // an error, or the file shrank under us
        out += n, offset += uint64_t(n), len -= size_t(n);
    }
    return true;
}

uint8_t* RawImage::overlay_cluster(uint64_t index) {
    auto& cluster = overlay_[index];
    if (!cluster) {
        cluster = std::make_unique<uint8_t[]>(kClusterSize);
        const uint64_t start = index * kClusterSize;
        const uint64_t n = std::min(kClusterSize, size_ - start);
        if (!read_file(start, cluster.get(), n)) {
            overlay_.erase(index);
            return nullptr;
        }
        std::memset(cluster.get() + n, 0, kClusterSize - n);
    }
    return cluster.get();
}

bool RawImage::read(uint64_t offset, void* out, size_t len) {
    auto* bytes = static_cast<uint8_t*>(out);
    if (mode_ != Mode::kSnapshot) return read_file(offset, bytes, len);
    std::lock_guard lock(mutex_);
    while (len > 0) {
        const uint64_t index = offset / kClusterSize, within = offset % kClusterSize;
        const size_t n = size_t(std::min<uint64_t>(len, kClusterSize - within));
        const auto it = overlay_.find(index);
        if (it != overlay_.end())
            std::memcpy(bytes, it->second.get() + within, n);
        else if (!read_file(offset, bytes, n))
            return false;
        bytes += n, offset += n, len -= n;
    }
    return true;
}

bool RawImage::write(uint64_t offset, const void* data, size_t len) {
    const auto* bytes = static_cast<const uint8_t*>(data);
    if (mode_ == Mode::kReadOnly) return false;
    if (mode_ == Mode::kReadWrite) {
        while (len > 0) {
            const ssize_t n = ::pwrite(fd_, bytes, len, off_t(offset));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            bytes += n, offset += uint64_t(n), len -= size_t(n);
        }
        return true;
    }
    std::lock_guard lock(mutex_);
    while (len > 0) {
        const uint64_t index = offset / kClusterSize, within = offset % kClusterSize;
        const size_t n = size_t(std::min<uint64_t>(len, kClusterSize - within));
        uint8_t* cluster = overlay_cluster(index);
        if (!cluster) return false;
        std::memcpy(cluster + within, bytes, n);
        bytes += n, offset += n, len -= n;
    }
    return true;
}

bool RawImage::flush() {
    return mode_ != Mode::kReadWrite || ::fdatasync(fd_) == 0;
}

}  // namespace mimic::machines
