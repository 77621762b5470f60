// The leader's view of one follower's log (§5.3's nextIndex/matchIndex, plus flow control).
//
// Two states, as in etcd-raft:
//  - Probe: we do not know where the follower's log matches ours. Send one AppendEntries
//    at a time and wait for its answer before sending the next (each rejection moves
//    `next` back, using the follower's conflict hint to skip whole terms).
//  - Replicate: the follower accepted our last append; stream entries optimistically
//    (pipelining), advancing `next` as we send, bounded by a window of in-flight messages.
//  - Snapshot: the follower needs entries the leader has compacted away (§7). Send the
//    snapshot in chunks, one at a time, each after the answer to the previous one (a
//    heartbeat answer allows a resend from the last byte confirmed: the chunk or its answer
//    was lost). No entries go to it until it has installed the snapshot (or answered an
//    append that shows it no longer needs it); then it falls back to Probe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

#include "raft/types.h"

namespace raft {

/// A bounded window of in-flight AppendEntries, remembered by their last index.
class Inflights {
 public:
  explicit Inflights(std::size_t capacity) : capacity_(capacity) {}
  [[nodiscard]] bool full() const { return last_indexes_.size() >= capacity_; }
  [[nodiscard]] std::size_t count() const { return last_indexes_.size(); }
  void add(Index last) { last_indexes_.push_back(last); }
  /// The follower acknowledged everything up to `upto`: those messages have landed.
  void free_up_to(Index upto);
  void free_first() {
    if (!last_indexes_.empty()) last_indexes_.pop_front();
  }
  void reset() { last_indexes_.clear(); }

 private:
  std::size_t capacity_;
  std::deque<Index> last_indexes_;
};

enum class ProgressState { kProbe, kReplicate, kSnapshot };

const char* progress_state_name(ProgressState s);

class Progress {
 public:
  Progress(Index next, std::size_t max_inflight) : next_(next), inflights_(max_inflight) {}

  [[nodiscard]] Index match() const { return match_; }
  [[nodiscard]] Index next() const { return next_; }
  [[nodiscard]] ProgressState state() const { return state_; }
  [[nodiscard]] const Inflights& inflights() const { return inflights_; }

  /// Probe: one message outstanding at a time. Replicate: window full.
  [[nodiscard]] bool is_paused() const;

  void become_probe();
  void become_replicate();
  /// Starts (or restarts, for a newer snapshot) sending the snapshot ending at `index`.
  void become_snapshot(Index index);

  // Snapshot state: which snapshot (its last index) and the byte the follower wants next.
  [[nodiscard]] Index pending_snapshot() const { return pending_snapshot_; }
  [[nodiscard]] std::uint64_t snapshot_offset() const { return snapshot_offset_; }
  /// A chunk went out: wait for its answer.
  void on_snapshot_chunk_sent() { probe_sent_ = true; }
  /// The follower holds the snapshot's bytes before `next_offset` and wants the rest.
  void on_snapshot_progress(std::uint64_t next_offset) {
    snapshot_offset_ = next_offset;
    probe_sent_ = false;
  }
  /// The follower lost what it had: resend from `next_offset`, when next allowed to send.
  void rewind_snapshot(std::uint64_t next_offset) { snapshot_offset_ = next_offset; }

  /// We just sent entries ending at `last` (or, with none, a probe).
  void on_sent(Index last, std::size_t entry_count);

  /// A successful AppendResponse covering up to n. Returns true if match advanced.
  bool maybe_update(Index n);

  /// A rejection of prev_log_index `rejected`; `hint_next_probe` is the index the hint
  /// says to probe next. Returns false for a stale rejection (one that does not match our
  /// current probe), which must be ignored, and for one that cannot move `next` (the
  /// follower lost acknowledged entries): that probe is retried on a heartbeat answer.
  bool maybe_decrease_to(Index rejected, Index hint_next_probe);

  /// A heartbeat reply proves the follower is reachable: allow the next probe, and in
  /// Replicate free one slot of a full window -- if the in-flight appends were lost (a
  /// partition that healed), nothing would ever free it and the follower would starve.
  /// The next append then either lands or is rejected, which falls back to Probe.
  void on_heartbeat_response();

  /// Check-quorum bookkeeping (§6.2 of the thesis): heard from within the last timeout?
  bool recent_active = false;
  /// Logged as not answering (once per silence; cleared, with a line, when it answers) and
  /// as far behind (once until an append lands): a few lines per event, not per message.
  bool reported_silent = false;
  bool reported_behind = false;
  /// Message economy: the newest confirmation round (raft/read_only.h) sent to it; when it
  /// last answered (the leader's answer counter: a read round asks those who answered
  /// most recently); whether anything went to it since the last heartbeat tick (then it
  /// gets no heartbeat: it just heard from us).
  std::uint64_t sent_round = 0;
  std::uint64_t heard = 0;
  bool sent_since_heartbeat = false;
  /// match() at the previous heartbeat answer: unchanged since means appends stalled.
  Index match_at_heartbeat;
  /// The last index sent in an append that asked for an answer (lazy_followers): a match
  /// below it means an answer is due, so a heartbeat asks for one (stall detection).
  Index answer_awaited_for;

 private:
  Index match_;
  Index next_;
  ProgressState state_ = ProgressState::kProbe;
  bool probe_sent_ = false;  // Probe: a probe, Snapshot: a chunk, is awaiting its answer
  Inflights inflights_;
  Index pending_snapshot_;
  std::uint64_t snapshot_offset_ = 0;
};

}  // namespace raft
