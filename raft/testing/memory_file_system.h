// A file system in memory that knows what a crash can take away, for the write-ahead
// log's tests and the cluster simulator.
//
// Every file keeps its bytes and how many of them were synced. Directory entries made by a
// create are durable only after sync_dir of their directory. crash() is what a power cut
// or kill -9 does to a disk that honours fsync and nothing more:
//  - a file keeps its synced bytes, plus a random prefix of the unsynced tail -- possibly
//    padded with zeros to the unsynced length (pages allocated but never written): a torn
//    write;
//  - a file created since its directory was last synced may vanish;
//  - every lock is released (the process is gone).
// freeze() models a process that dies in the middle of a call: writes up to the next sync
// still land in the page cache, that sync never completes, and nothing after it happens at
// all (a dead process writes no more); crash() then decides what reached the disk. flip_bit() models a disk that silently corrupts stored data.
//
// Simplifications: removes and renames are durable at once; a torn write tears only the
// unsynced tail of a file (the log's one-write-then-sync discipline means that is all a
// crash can tear).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "raft/file_system.h"

namespace raft::testing {

class MemoryFileSystem final : public FileSystem {
 public:
  /// pick(n) returns a number in [0, n]; crash() draws every random choice from it.
  using Pick = std::function<std::uint64_t(std::uint64_t)>;

  MemoryFileSystem();
  ~MemoryFileSystem() override;

  void create_dirs(const std::string& dir) override;
  [[nodiscard]] std::vector<std::string> list(const std::string& dir) override;
  [[nodiscard]] std::string read(const std::string& path) override;
  std::unique_ptr<AppendFile> open_append(const std::string& path) override;
  void truncate(const std::string& path, std::uint64_t size) override;
  void remove(const std::string& path) override;
  void rename(const std::string& from, const std::string& to) override;
  void sync_dir(const std::string& dir) override;
  std::unique_ptr<DirLock> lock(const std::string& dir) override;

  /// From now on nothing becomes durable (the process is dying); undone by crash().
  void freeze() { frozen_ = true; }
  [[nodiscard]] bool frozen() const { return frozen_; }
  /// Frozen and past the sync it died in: every further call is a no-op.
  [[nodiscard]] bool dead() const { return dead_; }
  /// The process died: keep what was durable and a torn remainder, release the locks.
  void crash(const Pick& pick);
  /// Flips bit `bit` (0..7) of byte `offset` of `path`, synced bytes included.
  void flip_bit(const std::string& path, std::uint64_t offset, int bit);
  /// The n-th sync from now (file or directory, counting from 1) is the one the process
  /// dies in: a crash point in the middle of a multi-step write (0 turns it off).
  void die_at_sync(std::uint64_t n) { syncs_until_death_ = n; }
  /// Every I/O call from now on throws IoError (a failing disk).
  void fail_io(bool on) { fail_io_ = on; }

  [[nodiscard]] bool exists(const std::string& path) const { return files_.count(path) != 0; }
  /// The bytes of `path` as a reader sees them now; and how many of them are synced.
  [[nodiscard]] const std::string& contents(const std::string& path) const;
  [[nodiscard]] std::uint64_t synced_size(const std::string& path) const;
  /// All file paths, sorted.
  [[nodiscard]] std::vector<std::string> paths() const;
  /// Bytes held, over all files (for memory bounds in long simulations).
  [[nodiscard]] std::uint64_t total_bytes() const;

  struct File {
    std::string data;
    std::uint64_t synced = 0;
    bool entry_durable = false;  // its directory entry survives a crash
  };

 private:
  friend class MemoryAppendFile;
  /// Throws IoError("<op><path>: ...") while I/O errors are injected.
  void check_io(std::string_view op, const std::string& path) const;
  /// Counts a sync towards die_at_sync(); freezes at the fatal one.
  void count_sync() {
    if (syncs_until_death_ > 0 && --syncs_until_death_ == 0) frozen_ = true;
  }
  File& file(const std::string& path);

  std::map<std::string, std::shared_ptr<File>> files_;
  std::set<std::string> dirs_;
  std::shared_ptr<std::set<std::string>> locked_;
  bool frozen_ = false;
  bool dead_ = false;
  bool fail_io_ = false;
  std::uint64_t syncs_until_death_ = 0;
};

}  // namespace raft::testing
