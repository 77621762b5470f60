#include "raft/progress.h"

#include <algorithm>

namespace raft {

void Inflights::free_up_to(Index upto) {
  while (!last_indexes_.empty() && last_indexes_.front() <= upto) last_indexes_.pop_front();
}

const char* progress_state_name(ProgressState s) {
  switch (s) {
    case ProgressState::kProbe: return "probe";
    case ProgressState::kReplicate: return "replicate";
    case ProgressState::kSnapshot: return "snapshot";
  }
  return "?";
}

bool Progress::is_paused() const {
  switch (state_) {
    case ProgressState::kProbe: return probe_sent_;
    case ProgressState::kReplicate: return inflights_.full();
    case ProgressState::kSnapshot: return probe_sent_;
  }
  return false;
}

void Progress::become_probe() {
  // From Replicate, everything after match is unconfirmed: resume probing just past it.
  state_ = ProgressState::kProbe;
  probe_sent_ = false;
  next_ = match_.next();
  inflights_.reset();
}

void Progress::become_replicate() {
  state_ = ProgressState::kReplicate;
  probe_sent_ = false;
  next_ = match_.next();
  inflights_.reset();
}

void Progress::become_snapshot(Index index) {
  state_ = ProgressState::kSnapshot;
  probe_sent_ = false;
  pending_snapshot_ = index;
  snapshot_offset_ = 0;
  inflights_.reset();
}

void Progress::on_sent(Index last, std::size_t entry_count) {
  if (state_ == ProgressState::kReplicate) {
    if (entry_count > 0) {
      next_ = last.next();
      inflights_.add(last);
    }
  } else {
    probe_sent_ = true;
  }
}

void Progress::on_heartbeat_response() {
  probe_sent_ = false;
  if (state_ == ProgressState::kReplicate && inflights_.full()) inflights_.free_first();
}

bool Progress::maybe_update(Index n) {
  bool updated = false;
  if (match_ < n) {
    match_ = n;
    updated = true;
    probe_sent_ = false;
  }
  next_ = std::max(next_, n.next());
  if (state_ == ProgressState::kReplicate) inflights_.free_up_to(n);
  return updated;
}

bool Progress::maybe_decrease_to(Index rejected, Index hint_next_probe) {
  // While sending a snapshot, appends are not being sent: a rejection is stale.
  if (state_ == ProgressState::kSnapshot) return false;
  if (state_ == ProgressState::kReplicate) {
    // Entries up to match are confirmed; a rejection at or below it is stale.
    if (rejected <= match_) return false;
    next_ = match_.next();
    return true;
  }
  // In Probe we sent exactly prev_log_index = next-1; any other rejection is stale.
  if (next_.prev() != rejected) return false;
  const Index next = std::max(std::min(rejected, hint_next_probe.next()), match_.next());
  // A follower rejecting the entry at its own match index has lost entries it acknowledged
  // (only a node that restarts without its storage does that). Probing again at once
  // would send the very same probe, rejected the very same way, at network speed; the
  // next heartbeat answer retries it instead.
  if (next == next_) return false;
  next_ = next;
  probe_sent_ = false;
  return true;
}

}  // namespace raft
