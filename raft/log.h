// The Raft log as the core sees it: stable entries (Storage) followed by the unstable tail,
// plus the two cursors of Figure 2, commitIndex and lastApplied.
//
// Invariants (checked by RaftLog's methods, see the comments there):
//   applied <= committed <= last_index()
//   committed never decreases (§5.3: committed entries are durable and never change).
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <vector>

#include "raft/storage.h"
#include "raft/unstable_log.h"

namespace raft {

/// A hint for the leader after a rejected AppendEntries: see AppendResponse.
struct ConflictHint {
  Index index;
  Term term;
};

class RaftLog {
 public:
  /// `storage` must outlive the log. Starts with commit/applied from its hard state.
  explicit RaftLog(const Storage& storage);

  /// The first index held as an entry: after the storage's snapshot, or after a received
  /// snapshot not yet persisted (then nothing below it is readable any more).
  [[nodiscard]] Index first_index() const;
  [[nodiscard]] Index last_index() const;
  [[nodiscard]] Term last_term() const { return term_or_zero(last_index()); }
  /// Term of entry i; nullopt if i is outside (first_index-1, last_index].
  [[nodiscard]] std::optional<Term> term(Index i) const;
  [[nodiscard]] Term term_or_zero(Index i) const { return term(i).value_or(Term{0}); }
  [[nodiscard]] bool match_term(Index i, Term t) const { return term(i) == t; }

  [[nodiscard]] Index committed() const { return committed_; }
  [[nodiscard]] Index applied() const { return applied_; }

  /// §5.4.1's election restriction: is a log ending at (last_index, last_term) at least
  /// as up-to-date as ours? Compares last terms first, then lengths.
  [[nodiscard]] bool is_up_to_date(Index last_index, Term last_term) const;

  /// Follower side of AppendEntries (§5.3, Figure 2 receiver rules 2-5). If our entry at
  /// prev_index has prev_term, appends `entries` (truncating only from the first entry
  /// whose term conflicts, never on a match: a stale or duplicate AppendEntries must not
  /// erase entries that a newer one already added), advances commit to
  /// min(leader_commit, index of last new entry), and returns that last new index.
  /// Returns nullopt when the logs do not match at prev_index.
  std::optional<Index> maybe_append(Index prev_index, Term prev_term, Index leader_commit,
                                    const std::vector<Entry>& entries);

  /// Leader side: appends entries after last_index(); returns the new last index.
  Index append(const std::vector<Entry>& entries);

  /// Entries [lo, last_index()] up to about max_bytes (at least one if any exist) and at
  /// most max_count. Requires lo >= first_index().
  [[nodiscard]] std::vector<Entry> entries_from(Index lo, std::size_t max_count,
                                                std::size_t max_bytes) const;
  /// Entry i (which must exist).
  [[nodiscard]] Entry entry_at(Index i) const;
  /// The type of entry i (first_index() <= i <= last_index()), without copying it.
  [[nodiscard]] EntryType type_at(Index i) const {
    return i >= unstable_.offset() ? unstable_.at(i).type : storage_.type(i);
  }

  /// The largest index <= i whose term is <= t (or first_index-1). Used both by a
  /// follower building a rejection hint and by the leader reading one.
  [[nodiscard]] ConflictHint find_conflict_by_term(Index i, Term t) const;

  /// Advances commit; never moves it back and never past last_index().
  void commit_to(Index i);

  /// Committed entries not yet handed out for applying; marks them handed (applied_).
  std::vector<Entry> take_committed_entries();
  [[nodiscard]] bool has_entries_to_apply() const { return committed_ > applied_; }

  [[nodiscard]] bool has_unstable_entries() const { return unstable_.has_unhanded(); }
  std::vector<Entry> take_unstable_entries() { return unstable_.take_unhanded(); }
  /// The caller persisted entries up to (i, t).
  void stable_to(Index i, Term t) { unstable_.stable_to(i, t); }
  /// PlantedBugs::truncate_on_matching_append only: drops every entry after i.
  void planted_truncate_after(Index i) { unstable_.truncate_and_append({entry_at(i)}); }

  /// Highest index known persisted (the leader counts itself only up to here).
  [[nodiscard]] Index last_stable_index() const;

  // ---- snapshots (§7) ----------------------------------------------------------------
  /// Replaces the whole log with a snapshot received from the leader: commit and applied
  /// jump to its index, every entry goes (the caller checked the log did not hold its last
  /// entry), and the snapshot waits to be handed out in a Ready.
  void restore(Snapshot snap);
  /// PlantedBugs::compact_uncommitted only: entries up to i went into a snapshot unapplied.
  void planted_skip_applied_to(Index i) { applied_ = i; }
  /// PlantedBugs::install_stale_snapshot only: restore() without its commit-index check.
  void planted_restore_stale(Snapshot snap);
  [[nodiscard]] bool has_unhanded_snapshot() const {
    return pending_snapshot_ && !pending_snapshot_handed_;
  }
  /// The received snapshot for a Ready (to persist and to restore the state machine from).
  std::optional<Snapshot> take_snapshot();
  /// The caller persisted the snapshot at `i`: reads go to storage again.
  void snapshot_stable(Index i);
  /// The snapshot the leader sends: the storage's, or one received and not yet persisted.
  [[nodiscard]] Snapshot snapshot() const {
    return pending_snapshot_ ? *pending_snapshot_ : storage_.snapshot();
  }

 private:
  /// The first index from which `entries` differ from ours (by term), or nullopt if we
  /// already hold all of them.
  std::optional<Index> find_conflict(const std::vector<Entry>& entries) const;

  const Storage& storage_;
  /// A snapshot received from the leader and not yet persisted: it stands in for the
  /// storage's snapshot and log until advance() reports it persisted.
  std::optional<Snapshot> pending_snapshot_;
  bool pending_snapshot_handed_ = false;
  UnstableLog unstable_;
  Index committed_;
  Index applied_;
};

}  // namespace raft
