// Stable storage, as the Raft core sees it: a read-only view of what the caller has
// persisted. The caller writes to it (after taking a Ready) and the core only reads.
//
// Indexes: the storage holds entries (first_index-1, last_index]. Before snapshots exist
// first_index() is 1. `term(first_index()-1)` must still answer: it is the term of the
// entry just before the stored range (0 for the empty prefix; later, the snapshot's term).
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <vector>

#include "raft/entry.h"

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
  [[nodiscard]] virtual Index first_index() const = 0;
  [[nodiscard]] virtual Index last_index() const = 0;
};

/// Storage the caller can also write: what a Ready asks to persist goes through persist().
/// MemoryStorage implements it now; the durable write-ahead log will too.
class LogStorage : public Storage {
 public:
  /// Makes `hs` (if set) and `entries` durable; entries overwrite any stored suffix from
  /// entries.front().index on. Must not return before they would survive a crash.
  virtual void persist(const std::optional<HardState>& hs, const std::vector<Entry>& entries) = 0;
};

/// Storage in memory: the reference implementation, used by tests, the simulator and the
/// Maelstrom node (which keeps no files). Writers call set_hard_state() and append().
class MemoryStorage final : public LogStorage {
 public:
  [[nodiscard]] HardState hard_state() const override { return hard_state_; }
  [[nodiscard]] std::vector<Entry> entries(Index lo, Index hi,
                                           std::size_t max_bytes) const override;
  [[nodiscard]] std::optional<Term> term(Index i) const override;
  [[nodiscard]] Index first_index() const override { return Index{1}; }
  [[nodiscard]] Index last_index() const override { return Index{entries_.size()}; }

  void persist(const std::optional<HardState>& hs, const std::vector<Entry>& entries) override {
    if (hs) set_hard_state(*hs);
    append(entries);
  }
  void set_hard_state(const HardState& hs) { hard_state_ = hs; }
  /// Appends entries, first truncating any stored suffix from entries.front().index on
  /// (the core only sends an overwrite for entries that conflicted). Entries must be
  /// contiguous and start at most at last_index()+1.
  void append(const std::vector<Entry>& entries);

 private:
  HardState hard_state_;
  // entries_[i] has index i+1. A deque: appends never move existing entries, so a long
  // log grows without the reallocation copies of a vector.
  std::deque<Entry> entries_;
};

}  // namespace raft
