// Stable storage, as the Raft core sees it: a read-only view of what the caller has
// persisted. The caller writes to it (after taking a Ready) and the core only reads.
//
// Indexes: the storage holds a snapshot covering [1, snapshot().meta.index] (or none:
// index 0) and the entries after it, [first_index, last_index]; first_index() is always
// snapshot().meta.index + 1. `term(first_index()-1)` must still answer: it is the term of
// the last entry the snapshot covers (0 for the empty prefix), which AppendEntries'
// consistency check at first_index needs (§7).
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <vector>

#include "raft/entry.h"
#include "raft/snapshot.h"

namespace raft {

class Storage {
 public:
  virtual ~Storage() = default;

  /// The hard state saved last (zero-valued on a fresh node).
  [[nodiscard]] virtual HardState hard_state() const = 0;
  /// Entries [lo, hi), stopping early once their total size passes max_bytes (but always
  /// at least one entry). Requires first_index() <= lo <= hi <= last_index()+1.
  [[nodiscard]] virtual std::vector<Entry> entries(Index lo, Index hi,
                                                   std::size_t max_bytes) const = 0;
  /// Term of entry i, for first_index()-1 <= i <= last_index(); nullopt outside.
  [[nodiscard]] virtual std::optional<Term> term(Index i) const = 0;
  /// Type of entry i, for first_index() <= i <= last_index(), without copying the entry
  /// (the invariant checker looks for configuration entries after every simulated event).
  [[nodiscard]] virtual EntryType type(Index i) const { return entries(i, i.next(), 0).front().type; }
  [[nodiscard]] virtual Index first_index() const = 0;
  [[nodiscard]] virtual Index last_index() const = 0;
  /// The newest snapshot (empty, index 0, if none). A leader sends it to a follower that
  /// needs an entry it no longer has; a restarted node restores its state machine from it.
  [[nodiscard]] virtual Snapshot snapshot() const = 0;
};

/// Storage the caller can also write: what a Ready asks to persist goes through persist().
/// MemoryStorage implements it now; the durable write-ahead log will too.
class LogStorage : public Storage {
 public:
  /// Makes `hs` (if set) and `entries` durable; entries overwrite any stored suffix from
  /// entries.front().index on. Must not return before they would survive a crash.
  virtual void persist(const std::optional<HardState>& hs, const std::vector<Entry>& entries) = 0;

  /// Log compaction (§7), the embedder's call: `snap` is its state machine's state after
  /// applying every entry up to snap.meta.index, which must be stored (applied entries
  /// always are) and committed. Makes `snap` durable as the storage's snapshot, then drops
  /// the entries it covers; later entries stay. A snapshot not newer than the current one
  /// is ignored.
  virtual void compact(const Snapshot& snap) = 0;

  /// A snapshot received from the leader (Ready::snapshot): durable on return, and it
  /// replaces the whole log -- afterwards first_index() == last_index()+1 ==
  /// snap.meta.index+1. (The core hands one over only when the follower's log did not
  /// already hold its last entry; then nothing the follower held after it can be trusted.)
  virtual void apply_snapshot(const Snapshot& snap) = 0;
};

/// Storage in memory: the reference implementation, used by tests, the simulator and the
/// Maelstrom node without --data-dir. Writers call set_hard_state() and append().
class MemoryStorage final : public LogStorage {
 public:
  [[nodiscard]] HardState hard_state() const override { return hard_state_; }
  [[nodiscard]] std::vector<Entry> entries(Index lo, Index hi,
                                           std::size_t max_bytes) const override;
  [[nodiscard]] std::optional<Term> term(Index i) const override;
  [[nodiscard]] EntryType type(Index i) const override { return entries_[i - first_index()].type; }
  [[nodiscard]] Index first_index() const override { return snapshot_.meta.index.next(); }
  [[nodiscard]] Index last_index() const override {
    return snapshot_.meta.index + entries_.size();
  }
  [[nodiscard]] Snapshot snapshot() const override { return snapshot_; }

  void persist(const std::optional<HardState>& hs, const std::vector<Entry>& entries) override {
    if (hs) set_hard_state(*hs);
    append(entries);
  }
  void set_hard_state(const HardState& hs) { hard_state_ = hs; }
  /// Appends entries, first truncating any stored suffix from entries.front().index on
  /// (the core only sends an overwrite for entries that conflicted). Entries must be
  /// contiguous and start at most at last_index()+1.
  void append(const std::vector<Entry>& entries);
  /// Throws std::invalid_argument if snap.meta.index is beyond last_index() or its term
  /// differs from the stored entry's: compacting what is not stored would lose it.
  void compact(const Snapshot& snap) override;
  void apply_snapshot(const Snapshot& snap) override;

 private:
  HardState hard_state_;
  Snapshot snapshot_;
  // entries_[i] has index snapshot_.meta.index+1+i. A deque: appends never move existing entries, so a long
  // log grows without the reallocation copies of a vector.
  std::deque<Entry> entries_;
};

}  // namespace raft
