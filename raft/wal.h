// The write-ahead log: raft::LogStorage on disk, so a node's term, vote and log survive a
// crash (Figure 2's "persistent state on all servers", updated on stable storage before
// responding to RPCs).
//
// On disk, a directory of segment files named <sequence number, 16 hex digits>.wal (record
// format: wal_record.h) and a LOCK file. Appending is all the log ever does:
//  - persist(hs, entries) writes one batch record and fdatasyncs it before returning
//    (group commit: one sync however many entries the Ready carries);
//  - a suffix truncation (a follower dropping a conflicting tail, §5.3) is just a batch
//    whose first index is at or below the last one: replay lets the later record win;
//  - a hard state whose only change is the commit index is not written on its own (it is
//    a hint a restarted node relearns from its leader); it rides with the next write.
//    Term and vote changes always are written and synced (a forgotten vote could let a
//    node vote twice in one term);
//  - once a segment passes segment_bytes, the next write goes to a new segment, created,
//    headed, synced, and made durable in the directory (fsync of the directory).
//
// Recovery (Wal::open) replays every segment in order; zeros where the next record would
// start mean the end of the data (space preallocated ahead of the appends). Because each
// write is one record synced before the next write begins, only the last record of the
// last segment can be torn by a crash: one that the file ends inside, or whose body
// checksum fails with nothing but zeros after it, or whose header is damaged with no sound
// record after it. Such a tail is cut off and logged. Any other damage stops recovery with an
// error naming the file and offset: an entry that may be committed is never dropped
// silently. (A flipped bit in the very last record looks exactly like a torn write; it is
// cut off and logged, never served.)
//
// Failures after open -- a write or sync that fails -- stop the process (fail_stop): the
// log never retries and carries on as if the data were safe.
//
// Snapshots (§7): compact(snap) writes <16 hex index>.snap atomically -- a temporary file,
// synced, renamed, and the directory synced -- and only then deletes the segments whose
// entries it covers entirely (and the older snapshot). apply_snapshot (one received from
// the leader, which replaces the whole log) does the same after rolling over to a new
// segment, so every older segment goes. The snapshot file names the first segment that
// still counts: a crash between the rename and the deletions leaves older segments that
// recovery ignores and removes. Recovery starts from the newest snapshot, then replays
// the segments from that one on, skipping entries the snapshot covers.
//
// Reads are served from memory (the log is replayed into a MemoryStorage at open), so the
// core's reads never touch the disk. Not thread-safe: one thread drives it, as the core.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "raft/expected.h"
#include "raft/file_system.h"
#include "raft/planted_bugs.h"
#include "raft/storage.h"

namespace spdlog {
class logger;
}

namespace raft {

struct WalOptions {
  /// Roll over to a new segment once the current one is at least this large.
  std::uint64_t segment_bytes = 64ull << 20;
  /// Extend a segment by this many zero bytes at a time, ahead of the appends
  /// (AppendFile::preallocate: cheaper syncs). 0: plain appends.
  std::uint64_t preallocate_bytes = 4ull << 20;
  /// compact() first rolls over to a new segment once the current one holds this much,
  /// so that the next compaction can delete it: the log's disk use stays about two
  /// snapshot intervals however large segment_bytes is.
  std::uint64_t roll_on_compact_bytes = 1ull << 20;
  /// Null: spdlog's default logger.
  std::shared_ptr<spdlog::logger> logger;
  /// Test-only; ignored unless built as raft_planted_bugs (ack_before_sync).
  PlantedBugs planted_bugs;
};

struct WalStats {
  std::uint64_t writes = 0;   // records appended
  std::uint64_t syncs = 0;    // fdatasyncs of segment data
  std::uint64_t entries = 0;  // entries written
  std::uint64_t bytes = 0;    // bytes written
  std::uint64_t segments_created = 0;
  std::uint64_t snapshots = 0;  // snapshot files written
};

/// What Wal::open found.
struct WalRecovery {
  std::size_t segments = 0;
  std::uint64_t records = 0;
  std::uint64_t torn_bytes = 0;  // cut off the tail of the last segment
};

class Wal final : public LogStorage {
 public:
  /// Opens the log in `dir` (created if missing), locks the directory and replays it. On
  /// failure -- the directory is locked by another process, a record is damaged, the disk
  /// refuses -- returns a message saying what and where; nothing is modified then except
  /// a torn tail already cut.
  static Expected<std::unique_ptr<Wal>, std::string> open(FileSystem& fs, std::string dir,
                                                          WalOptions options = {});
  ~Wal() override;
  Wal(const Wal&) = delete;
  Wal& operator=(const Wal&) = delete;

  // raft::Storage, from memory.
  [[nodiscard]] HardState hard_state() const override { return log_.hard_state(); }
  [[nodiscard]] std::vector<Entry> entries(Index lo, Index hi, std::size_t max_bytes) const override {
    return log_.entries(lo, hi, max_bytes);
  }
  [[nodiscard]] std::optional<Term> term(Index i) const override { return log_.term(i); }
  [[nodiscard]] EntryType type(Index i) const override { return log_.type(i); }
  [[nodiscard]] Index first_index() const override { return log_.first_index(); }
  [[nodiscard]] Index last_index() const override { return log_.last_index(); }
  [[nodiscard]] Snapshot snapshot() const override { return log_.snapshot(); }

  /// Durable on return (see the file comment); fail-stops if the disk fails.
  void persist(const std::optional<HardState>& hs, const std::vector<Entry>& entries) override;
  /// Snapshot file durable, then covered segments deleted; fail-stops if the disk fails.
  /// Throws std::invalid_argument if the snapshot's last entry is not in the log.
  void compact(const Snapshot& snap) override;
  void apply_snapshot(const Snapshot& snap) override;

  [[nodiscard]] const WalStats& stats() const { return stats_; }
  [[nodiscard]] const WalRecovery& recovery() const { return recovery_; }
  [[nodiscard]] const std::string& dir() const { return dir_; }

  /// The file name of segment `seq`.
  static std::string segment_name(std::uint64_t seq);
  /// The file name of the snapshot at `index`.
  static std::string snapshot_name(Index index);

 private:
  Wal(FileSystem& fs, std::string dir, WalOptions options);
  /// Replays every segment; returns an error message, or empty.
  std::string recover();
  std::string recover_segment(const std::string& name, std::uint64_t seq, bool last);
  std::string apply_record(std::string_view payload);
  void start_segment(std::uint64_t seq);
  /// Appends one batch record (with the hard state if it changed, or if the segment has
  /// none yet) and syncs it.
  void write_batch(bool hard_state_changed, const std::vector<Entry>& entries);
  std::string recover_snapshot(std::uint64_t& first_segment);
  void write_snapshot_file(const Snapshot& snap, std::uint64_t first_segment);
  /// Removes segments numbered below `first_segment` and snapshots older than `keep`.
  void remove_superseded(std::uint64_t first_segment, Index keep);
  FileSystem& fs_;
  std::string dir_;
  WalOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<DirLock> lock_;
  MemoryStorage log_;             // everything the segments hold, replayed
  HardState written_;             // the hard state the newest record carries
  std::unique_ptr<AppendFile> segment_;
  std::uint64_t segment_seq_ = 0;
  bool segment_has_hard_state_ = false;
  bool unsynced_ = false;  // planted ack_before_sync only
  /// The highest entry index each live segment holds (a segment whose entries are all
  /// covered by the snapshot can go).
  std::map<std::uint64_t, Index> segment_max_index_;
  std::uint64_t recovering_seq_ = 0;
  WalStats stats_;
  WalRecovery recovery_;
};

}  // namespace raft
