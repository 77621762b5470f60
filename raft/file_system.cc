#include "raft/file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace raft {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int err = errno) {
  throw IoError(what + " " + path + ": " + std::strerror(err));
}

/// An fd that closes itself.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

Fd open_or_fail(const std::string& path, int flags, mode_t mode = 0644) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) fail("cannot open", path);
  return Fd(fd);
}

std::string parent_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

void write_all_at(int fd, std::string_view data, std::uint64_t offset, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write to", path);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
}

class PosixAppendFile final : public AppendFile {
 public:
  PosixAppendFile(std::string path, int fd, std::uint64_t size)
      : path_(std::move(path)), fd_(fd), size_(size), allocated_(size) {}

  void append(std::string_view data) override {
    if (chunk_ > 0 && size_ + data.size() > allocated_) extend(size_ + data.size() + chunk_);
    write_all_at(fd_.get(), data, size_, path_);
    size_ += data.size();
  }

  void sync() override {
    if (::fdatasync(fd_.get()) != 0) fail("fdatasync of", path_);
  }

  [[nodiscard]] std::uint64_t size() const override { return size_; }
  void preallocate(std::uint64_t chunk) override { chunk_ = chunk; }

 private:
  /// Zero-fills the file up to `target` bytes and makes the new size durable. Zeros are
  /// written, not fallocated: fallocated extents are "unwritten", and converting them on
  /// the first write is the very metadata change (and journal commit) this avoids.
  void extend(std::uint64_t target) {
    static const std::string zeros(1 << 16, '\0');
    for (std::uint64_t at = allocated_; at < target;) {
      const std::uint64_t n = std::min<std::uint64_t>(zeros.size(), target - at);
      write_all_at(fd_.get(), std::string_view(zeros.data(), n), at, path_);
      at += n;
    }
    if (::fsync(fd_.get()) != 0) fail("fsync of", path_);
    allocated_ = target;
  }

  std::string path_;
  Fd fd_;
  std::uint64_t size_;       // appended bytes
  std::uint64_t allocated_;  // file size on disk (zeros past size_)
  std::uint64_t chunk_ = 0;
};

class PosixDirLock final : public DirLock {
 public:
  explicit PosixDirLock(int fd) : fd_(fd) {}

 private:
  Fd fd_;  // closing the fd releases the flock
};

}  // namespace

std::string path_join(const std::string& dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  std::string out = dir;
  if (out.back() != '/') out += '/';
  out += name;
  return out;
}

void PosixFileSystem::create_dirs(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) throw IoError(dir + " exists and is not a directory");
    return;
  }
  const std::string parent = parent_of(dir);
  if (parent != dir) create_dirs(parent);
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) fail("cannot create directory", dir);
  sync_dir(parent);
}

std::vector<std::string> PosixFileSystem::list(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) fail("cannot list", dir);
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    if (::stat(path_join(dir, name).c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      names.push_back(name);
    }
  }
  ::closedir(d);
  return names;
}

std::string PosixFileSystem::read(const std::string& path) {
  Fd fd = open_or_fail(path, O_RDONLY);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail("cannot stat", path);
  std::string out(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::read(fd.get(), out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("read of", path);
    }
    if (n == 0) break;  // shrank while we read
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);
  return out;
}

std::unique_ptr<AppendFile> PosixFileSystem::open_append(const std::string& path) {
  // No O_APPEND: appends are positioned writes, so that they can fill preallocated space.
  Fd fd = open_or_fail(path, O_WRONLY | O_CREAT);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail("cannot stat", path);
  const int raw = ::dup(fd.get());
  if (raw < 0) fail("cannot dup fd of", path);
  ::fcntl(raw, F_SETFD, FD_CLOEXEC);
  return std::make_unique<PosixAppendFile>(path, raw, static_cast<std::uint64_t>(st.st_size));
}

void PosixFileSystem::truncate(const std::string& path, std::uint64_t size) {
  Fd fd = open_or_fail(path, O_WRONLY);
  if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0) fail("cannot truncate", path);
  if (::fsync(fd.get()) != 0) fail("fsync of", path);
}

void PosixFileSystem::remove(const std::string& path) {
  if (::unlink(path.c_str()) != 0) fail("cannot remove", path);
}

void PosixFileSystem::rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) fail("cannot rename to " + to + ":", from);
}

void PosixFileSystem::sync_dir(const std::string& dir) {
  Fd fd = open_or_fail(dir, O_RDONLY | O_DIRECTORY);
  if (::fsync(fd.get()) != 0) fail("fsync of directory", dir);
}

std::unique_ptr<DirLock> PosixFileSystem::lock(const std::string& dir) {
  const std::string path = path_join(dir, "LOCK");
  Fd fd = open_or_fail(path, O_RDWR | O_CREAT);
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    std::string holder;
    try {
      holder = read(path);
    } catch (const IoError&) {
    }
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    if (err == EWOULDBLOCK) {
      throw IoError("data directory " + dir + " is in use by another process" +
                    (holder.empty() ? std::string() : " (pid " + holder + ")"));
    }
    fail("cannot lock", path, err);
  }
  // Record who holds it, for the next process's error message.
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd.get(), 0) == 0) {
    (void)!::pwrite(fd.get(), pid.data(), pid.size(), 0);
  }
  const int raw = ::dup(fd.get());
  if (raw < 0) fail("cannot dup fd of", path);
  ::fcntl(raw, F_SETFD, FD_CLOEXEC);
  return std::make_unique<PosixDirLock>(raw);
}

}  // namespace raft
