// The few file-system operations the write-ahead log needs, behind an interface.
//
// Why an interface: the same log code runs on a real disk (PosixFileSystem) and inside the
// deterministic simulator, whose file system keeps what was written apart from what was
// synced and so can lose, tear or corrupt exactly what a real crash or a bad disk would.
//
// Errors are exceptions (IoError, with the path and errno text): the log turns a failed
// write or sync into a fail-stop, and a failure while opening into an error message.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace raft {

class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A file open for appending.
class AppendFile {
 public:
  virtual ~AppendFile() = default;
  /// Appends `data` at the end (may stay in the page cache until sync()).
  virtual void append(std::string_view data) = 0;
  /// Makes every appended byte durable (fdatasync).
  virtual void sync() = 0;
  /// Bytes appended (the file may be longer: zeros preallocated past the end).
  [[nodiscard]] virtual std::uint64_t size() const = 0;
  /// From now on, when an append would pass the space already allocated, first extend the
  /// file by `chunk` zero bytes and make that durable. Later syncs then flush data into
  /// blocks that exist and a file size that is already on disk: no file-system journal
  /// commit per sync, and several logs on one disk sync side by side instead of queueing
  /// behind one another's journal commits. Readers see zeros past the end (the log's
  /// recovery treats trailing zeros as the end of its data). 0 turns it off.
  virtual void preallocate(std::uint64_t chunk) = 0;
};

/// Held while a directory is in use; released when destroyed (or when the process dies).
class DirLock {
 public:
  virtual ~DirLock() = default;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  /// Creates `dir` and any missing parents, syncing each parent a directory was made in.
  virtual void create_dirs(const std::string& dir) = 0;
  /// Names (not paths) of the regular files in `dir`, unsorted.
  [[nodiscard]] virtual std::vector<std::string> list(const std::string& dir) = 0;
  [[nodiscard]] virtual std::string read(const std::string& path) = 0;
  /// Opens `path` for appending, creating it empty if it does not exist (the caller syncs
  /// the directory after a create).
  virtual std::unique_ptr<AppendFile> open_append(const std::string& path) = 0;
  /// Cuts `path` to `size` bytes and syncs it.
  virtual void truncate(const std::string& path, std::uint64_t size) = 0;
  virtual void remove(const std::string& path) = 0;
  virtual void rename(const std::string& from, const std::string& to) = 0;
  /// Makes creates, renames and removes in `dir` durable (fsync of the directory).
  virtual void sync_dir(const std::string& dir) = 0;
  /// Takes an exclusive lock on `dir` for this process. Throws IoError naming the holder
  /// if another process has it.
  virtual std::unique_ptr<DirLock> lock(const std::string& dir) = 0;
};

/// The real thing: POSIX calls, fdatasync for file data, fsync for directories, flock for
/// the lock (released by the kernel however the process ends, so kill -9 leaves no stale
/// lock behind).
class PosixFileSystem final : public FileSystem {
 public:
  void create_dirs(const std::string& dir) override;
  [[nodiscard]] std::vector<std::string> list(const std::string& dir) override;
  [[nodiscard]] std::string read(const std::string& path) override;
  std::unique_ptr<AppendFile> open_append(const std::string& path) override;
  void truncate(const std::string& path, std::uint64_t size) override;
  void remove(const std::string& path) override;
  void rename(const std::string& from, const std::string& to) override;
  void sync_dir(const std::string& dir) override;
  std::unique_ptr<DirLock> lock(const std::string& dir) override;
};

/// `dir` + "/" + `name`.
std::string path_join(const std::string& dir, std::string_view name);

}  // namespace raft
