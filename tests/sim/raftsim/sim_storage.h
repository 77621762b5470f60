// A node's stable storage in the simulator: the real write-ahead log (raft::Wal) on a
// file system in memory that knows what a crash can take away (raft::testing::
// MemoryFileSystem). What the Maelstrom node does with --data-dir, the simulated node does
// here, byte for byte; only the disk is simulated.
//
// Crash model:
//  - crash(): the process dies between two calls. Every persist had synced before it
//    returned, so nothing is lost -- unless a planted bug skipped a sync, in which case
//    the unsynced tail is torn at a random point, as a real disk would.
//  - crash inside a persist (arm()): the next qualifying persist writes its record into
//    the page cache and dies in the sync. The Service runs on to the end of its current
//    call, but the node is dead from that point: the simulator discards everything it
//    sends or answers afterwards and then crashes it, tearing that last record.
//  - crash inside a snapshot (arm(kSnapshot)): the next compaction or snapshot install
//    dies at one of its syncs (writing the snapshot file, renaming it, creating the next
//    segment, deleting what it covers), picked from the number of persists so far.
//  - corrupt(): a bit flips in a stored record (bit rot). The next open must refuse the
//    log (Wal::open names the file and offset); the node then stays down, as a real one
//    would until an operator replaced its disk.
// restart() reopens the log from what the file system holds, through the WAL's recovery.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "raft/testing/memory_file_system.h"
#include "raft/wal.h"
#include "raftsim/schedule.h"

namespace raftsim {

class SimStorage final : public raft::LogStorage {
 public:
  explicit SimStorage(raft::PlantedBugs bugs = {});
  ~SimStorage() override;

  [[nodiscard]] raft::HardState hard_state() const override { return wal_->hard_state(); }
  [[nodiscard]] std::vector<raft::Entry> entries(raft::Index lo, raft::Index hi,
                                                 std::size_t max_bytes) const override {
    return wal_->entries(lo, hi, max_bytes);
  }
  [[nodiscard]] std::optional<raft::Term> term(raft::Index i) const override { return wal_->term(i); }
  [[nodiscard]] raft::EntryType type(raft::Index i) const override { return wal_->type(i); }
  [[nodiscard]] raft::Index first_index() const override { return wal_->first_index(); }
  [[nodiscard]] raft::Index last_index() const override { return wal_->last_index(); }
  [[nodiscard]] raft::Snapshot snapshot() const override { return wal_->snapshot(); }
  void compact(const raft::Snapshot& snap) override;
  void apply_snapshot(const raft::Snapshot& snap) override;

  void persist(const std::optional<raft::HardState>& hs,
               const std::vector<raft::Entry>& entries) override;

  /// The next persist matching `point` crashes the node.
  void arm(PersistPoint point) { armed_ = point; }
  void arm_cancel() {
    armed_.reset();
    if (!crashed()) fs_.die_at_sync(0);
  }
  /// True from the persist the node died in until crash().
  [[nodiscard]] bool crashed() const { return fs_.frozen() || fs_.dead(); }
  /// The process is gone: the disk keeps what was synced plus a torn remainder drawn
  /// with `pick`. Call restart() before using the storage again.
  void crash(const raft::testing::MemoryFileSystem::Pick& pick);
  /// Reopens the log from the disk. Empty on success; else why the log was refused (the
  /// storage is then unusable and the node must stay down).
  std::string restart();
  /// Flips one bit of a stored record chosen with `pick` -- never in the last record of
  /// the last segment, which no log can tell from a torn write (see raft/wal.h). Returns
  /// where, or empty when the log has no such record yet.
  std::string corrupt(const raft::testing::MemoryFileSystem::Pick& pick);

  /// Persist calls that reached the disk.
  [[nodiscard]] std::uint64_t persists() const { return persists_; }
  [[nodiscard]] const raft::testing::MemoryFileSystem& disk() const { return fs_; }

 private:
  /// A crash-at-snapshot is armed: the process dies at one of this operation's syncs.
  void maybe_die_in_snapshot();
  [[nodiscard]] bool qualifies(const std::optional<raft::HardState>& hs,
                               const std::vector<raft::Entry>& entries) const;

  raft::WalOptions options_;
  raft::testing::MemoryFileSystem fs_;
  std::unique_ptr<raft::Wal> wal_;
  std::optional<PersistPoint> armed_;
  std::uint64_t persists_ = 0;
};

}  // namespace raftsim
