// The tail of the log that exists only in memory: entries appended (by a leader's
// proposal or a follower's AppendEntries) and not yet confirmed persisted by the caller.
//
// Invariant: entries_ is contiguous, starting at offset_; offset_ <= storage.last+1 of
// the moment the entries were created. A conflicting AppendEntries may truncate into
// this tail or below it (then the tail restarts lower, and the caller's storage
// truncates when it appends the Ready's entries, see MemoryStorage::append).
#pragma once

#include <optional>
#include <vector>

#include "raft/entry.h"

namespace raft {

class UnstableLog {
 public:
  explicit UnstableLog(Index offset) : offset_(offset) {}

  [[nodiscard]] Index offset() const { return offset_; }
  [[nodiscard]] bool empty() const { return entries_.empty(); }
  [[nodiscard]] std::optional<Index> last_index() const;
  [[nodiscard]] std::optional<Term> term(Index i) const;
  [[nodiscard]] const Entry& at(Index i) const { return entries_[i - offset_]; }
  [[nodiscard]] const std::vector<Entry>& entries() const { return entries_; }

  /// Entries not yet handed to the caller in a Ready, and marks them handed.
  std::vector<Entry> take_unhanded();
  [[nodiscard]] bool has_unhanded() const { return handed_ < entries_.size(); }

  /// Appends entries that follow from `entries.front().index`, dropping whatever the
  /// tail held from that index on. The caller (RaftLog) checked there is no gap.
  void truncate_and_append(const std::vector<Entry>& entries);

  /// The caller persisted everything up to (i, t): forget those entries. Ignored if the
  /// entry at i has since been replaced by one with another term (a stale ack).
  void stable_to(Index i, Term t);

  /// A snapshot replaced the log: the tail restarts empty at `offset`.
  void reset(Index offset) {
    offset_ = offset;
    entries_.clear();
    handed_ = 0;
  }

 private:
  Index offset_;
  std::vector<Entry> entries_;
  std::size_t handed_ = 0;  // entries_[0, handed_) were given out in a Ready
};

}  // namespace raft
