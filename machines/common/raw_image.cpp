// Raw images: pread/pwrite on the file; a snapshot's overlay file holds the clusters written.
#include "machines/common/raw_image.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
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

RawImage::RawImage(const std::string& path, Mode mode, bool format_given) : mode_(mode) {
    const bool writable = mode == Mode::kReadWrite;
    fd_ = ::open(path.c_str(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (fd_ < 0) throw DiskError(reason(path, std::strerror(errno)));
    auto fail = [&](const std::string& what) {
        ::close(fd_);
        if (overlay_fd_ >= 0) ::close(overlay_fd_);
        throw DiskError(reason(path, what));
    };
    struct stat st;
    if (fstat(fd_, &st) != 0) fail(std::strerror(errno));
    uint64_t file_size = 0;
    if (S_ISREG(st.st_mode))
        file_size = uint64_t(st.st_size);
    else if (!S_ISBLK(st.st_mode) || ioctl(fd_, BLKGETSIZE64, &file_size) != 0)
        fail("not a regular file or block device");
    if (!lock_file(fd_, writable))
        fail(writable ? "in use by another process (cannot get its write lock)"
                      : "being written by another process (cannot get its read lock)");
    static constexpr uint8_t kQcowMagic[4] = {'Q', 'F', 'I', 0xfb};
    uint8_t magic[4];
    if (!format_given && file_size >= sizeof magic && read_fd(fd_, 0, magic, sizeof magic) &&
        std::memcmp(magic, kQcowMagic, sizeof magic) == 0)
        fail(
            "a qcow2 image, and Mimic reads raw images only (qemu-img convert -O raw; format=raw uses its bytes as "
            "they are)");
    size_ = file_size & ~uint64_t(511);  // the guest sees whole sectors
    if (size_ != file_size)
        std::fprintf(stderr,
                     "mimic: warning: %s: the last %llu bytes are not a whole sector; the guest does not see them\n",
                     path.c_str(), (unsigned long long)(file_size - size_));
    if (mode == Mode::kSnapshot) {
        const char* tmp = std::getenv("TMPDIR");
        const std::string dir = tmp && *tmp ? tmp : "/var/tmp";
        overlay_fd_ = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        if (overlay_fd_ < 0)
            fail("cannot create the snapshot's temporary file in " + dir + ": " + std::strerror(errno));
        in_overlay_.resize((size_ + kClusterSize - 1) / kClusterSize);
    }
}

RawImage::~RawImage() {
    if (overlay_fd_ >= 0) ::close(overlay_fd_);
    if (fd_ >= 0) ::close(fd_);
}

bool RawImage::read_fd(int fd, uint64_t offset, uint8_t* out, size_t len) {
    while (len > 0) {
        const ssize_t n = ::pread(fd, out, len, off_t(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;  // an error, or the file shrank under us
        out += n, offset += uint64_t(n), len -= size_t(n);
    }
    return true;
}

bool RawImage::write_fd(int fd, uint64_t offset, const uint8_t* data, size_t len) {
    while (len > 0) {
        const ssize_t n = ::pwrite(fd, data, len, off_t(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n, offset += uint64_t(n), len -= size_t(n);
    }
    return true;
}

bool RawImage::copy_up(uint64_t cluster) {
    if (in_overlay_[cluster]) return true;
    uint8_t bytes[kClusterSize];
    const uint64_t start = cluster * kClusterSize;
    const size_t n = size_t(std::min(kClusterSize, size_ - start));
    if (!read_fd(fd_, start, bytes, n) || !write_fd(overlay_fd_, start, bytes, n)) return false;
    in_overlay_[cluster] = true;
    return true;
}

bool RawImage::read(uint64_t offset, void* out, size_t len) {
    auto* bytes = static_cast<uint8_t*>(out);
    if (mode_ != Mode::kSnapshot) return read_fd(fd_, offset, bytes, len);
    std::lock_guard lock(mutex_);
    while (len > 0) {
        const uint64_t cluster = offset / kClusterSize;
        const size_t n = size_t(std::min<uint64_t>(len, kClusterSize - offset % kClusterSize));
        if (!read_fd(in_overlay_[cluster] ? overlay_fd_ : fd_, offset, bytes, n)) return false;
        bytes += n, offset += n, len -= n;
    }
    return true;
}

bool RawImage::write(uint64_t offset, const void* data, size_t len) {
    const auto* bytes = static_cast<const uint8_t*>(data);
    if (mode_ == Mode::kReadOnly) return false;
    if (mode_ == Mode::kReadWrite) return write_fd(fd_, offset, bytes, len);
    std::lock_guard lock(mutex_);
    while (len > 0) {
        const uint64_t cluster = offset / kClusterSize;
        const size_t n = size_t(std::min<uint64_t>(len, kClusterSize - offset % kClusterSize));
        if (!copy_up(cluster) || !write_fd(overlay_fd_, offset, bytes, n)) return false;
        bytes += n, offset += n, len -= n;
    }
    return true;
}

bool RawImage::flush() {
    return mode_ != Mode::kReadWrite || ::fdatasync(fd_) == 0;
}

}  // namespace mimic::machines
