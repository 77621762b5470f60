#include "raft/log.h"

#include <algorithm>
#include <string>

#include "raft/fail_stop.h"

namespace raft {

RaftLog::RaftLog(const Storage& storage)
    : storage_(storage),
      unstable_(storage.last_index().next()),
      // The commit index in the hard state is a hint a durable storage may write lazily;
      // the snapshot's index is committed by definition (only committed entries compact).
      committed_(std::max(storage.hard_state().commit, storage.first_index().prev())),
      applied_(storage.first_index().prev()) {}

Index RaftLog::first_index() const {
  if (pending_snapshot_) return pending_snapshot_->meta.index.next();
  return storage_.first_index();
}

void RaftLog::restore(Snapshot snap) {
  const Index i = snap.meta.index;
  if (i <= committed_) {
    // A snapshot never moves commit back (the caller checks; State Machine Safety
    // depends on it): reaching here is a bug in the core.
    fail_stop("RaftLog::restore: snapshot at " + std::to_string(i.value()) +
              " is at or below the commit index " + std::to_string(committed_.value()));
  }
  committed_ = i;
  applied_ = i;
  unstable_.reset(i.next());
  pending_snapshot_ = std::move(snap);
  pending_snapshot_handed_ = false;
}

void RaftLog::planted_restore_stale(Snapshot snap) {
  const Index i = snap.meta.index;
  committed_ = i;
  applied_ = i;
  unstable_.reset(i.next());
  pending_snapshot_ = std::move(snap);
  pending_snapshot_handed_ = false;
}

std::optional<Snapshot> RaftLog::take_snapshot() {
  if (!has_unhanded_snapshot()) return std::nullopt;
  pending_snapshot_handed_ = true;
  return pending_snapshot_;
}

void RaftLog::snapshot_stable(Index i) {
  if (pending_snapshot_ && pending_snapshot_handed_ && pending_snapshot_->meta.index == i) {
    pending_snapshot_.reset();
  }
}

Index RaftLog::last_index() const {
  if (auto i = unstable_.last_index()) return *i;
  if (pending_snapshot_) return pending_snapshot_->meta.index;
  return storage_.last_index();
}

Index RaftLog::last_stable_index() const {
  // A received snapshot not yet persisted counts as nothing stable beyond it... but it is
  // only ever pending on a follower, which does not count itself for commits.
  if (!unstable_.empty()) return unstable_.offset().prev();
  if (pending_snapshot_) return pending_snapshot_->meta.index;
  return storage_.last_index();
}

std::optional<Term> RaftLog::term(Index i) const {
  if (i >= unstable_.offset()) return unstable_.term(i);
  if (pending_snapshot_) {
    if (i == pending_snapshot_->meta.index) return pending_snapshot_->meta.term;
    return std::nullopt;  // below the snapshot: compacted away
  }
  if (i.value() + 1 < first_index().value()) return std::nullopt;
  return storage_.term(i);
}

bool RaftLog::is_up_to_date(Index last_index, Term last_term) const {
  const Term ours = this->last_term();
  return last_term > ours || (last_term == ours && last_index >= this->last_index());
}

std::optional<Index> RaftLog::find_conflict(const std::vector<Entry>& entries) const {
  for (const Entry& e : entries) {
    if (!match_term(e.index, e.term)) return e.index;
  }
  return std::nullopt;
}

std::optional<Index> RaftLog::maybe_append(Index prev_index, Term prev_term,
                                           Index leader_commit,
                                           const std::vector<Entry>& entries) {
  if (!match_term(prev_index, prev_term)) return std::nullopt;
  const Index last_new = prev_index + entries.size();
  if (auto conflict = find_conflict(entries)) {
    // Log Matching (§5.3) makes everything up to prev_index equal to the leader's; a
    // committed entry can never conflict, or State Machine Safety is already broken.
    if (*conflict <= committed_) {
      fail_stop("RaftLog::maybe_append: an append conflicts with committed entry " +
                std::to_string(conflict->value()) + " (commit index " +
                std::to_string(committed_.value()) + ")");
    }
    const std::size_t skip = *conflict - prev_index.next();
    unstable_.truncate_and_append(
        std::vector<Entry>(entries.begin() + static_cast<std::ptrdiff_t>(skip), entries.end()));
  }
  commit_to(std::min(leader_commit, last_new));
  return last_new;
}

Index RaftLog::append(const std::vector<Entry>& entries) {
  if (entries.empty()) return last_index();
  if (entries.front().index != last_index().next()) {
    fail_stop("RaftLog::append: entries start at " + std::to_string(entries.front().index.value()) +
              ", not right after the last index " + std::to_string(last_index().value()));
  }
  unstable_.truncate_and_append(entries);
  return last_index();
}

Entry RaftLog::entry_at(Index i) const {
  if (i >= unstable_.offset()) return unstable_.at(i);
  return storage_.entries(i, i.next(), 0).front();
}

std::vector<Entry> RaftLog::entries_from(Index lo, std::size_t max_count,
                                         std::size_t max_bytes) const {
  std::vector<Entry> out;
  const Index last = last_index();
  if (lo > last || max_count == 0) return out;
  // Saturating: max_count may be "everything" (SIZE_MAX).
  const Index hi = lo + std::min<std::uint64_t>(max_count, last.value() - lo.value() + 1);
  std::size_t bytes = 0;
  Index i = lo;
  // Stable part first, from storage in one call.
  const Index stable_hi = std::min(hi, unstable_.offset());
  if (i < stable_hi) {
    out = storage_.entries(i, stable_hi, max_bytes);
    for (const Entry& e : out) bytes += e.size_bytes();
    i = i + out.size();
    if (i < stable_hi) return out;  // Hit the byte limit inside storage.
  }
  for (; i < hi; i = i.next()) {
    const Entry& e = unstable_.at(i);
    bytes += e.size_bytes();
    if (!out.empty() && bytes > max_bytes) break;
    out.push_back(e);
  }
  return out;
}

ConflictHint RaftLog::find_conflict_by_term(Index i, Term t) const {
  i = std::min(i, last_index());
  for (;; i = i.prev()) {
    const std::optional<Term> ti = term(i);
    if (!ti) return {i, Term{0}};  // Below what we hold: cannot narrow further.
    if (*ti <= t || i.value() == 0) return {i, *ti};
  }
}

void RaftLog::commit_to(Index i) {
  if (i <= committed_) return;
  if (i > last_index()) {
    fail_stop("RaftLog::commit_to: commit index " + std::to_string(i.value()) +
              " beyond the last entry " + std::to_string(last_index().value()));
  }
  committed_ = i;
}

std::vector<Entry> RaftLog::take_committed_entries() {
  if (committed_ <= applied_) return {};
  std::vector<Entry> out = entries_from(applied_.next(), committed_ - applied_,
                                        std::numeric_limits<std::size_t>::max());
  applied_ = committed_;
  return out;
}

}  // namespace raft
