// InstallSnapshot (paper §7, thesis §5.2-5.3): a leader catches up a follower that needs
// entries the leader's log no longer holds by sending its snapshot, in chunks.
//
// Chunks go one at a time, each after the answer to the previous one; the answer names
// the byte the follower wants next, and a heartbeat answer lets the leader resend from
// the last byte confirmed. So a lost, duplicated or reordered chunk costs a resend, never
// a corrupt snapshot: the follower appends a chunk only if it starts exactly where its
// buffer ends, and discards the buffer when the snapshot or the leader's term changes.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "raft/planted_bugs_compiled.h"
#include "raft/raft.h"

namespace raft {

// ---- leader side --------------------------------------------------------------------

bool Raft::maybe_send_snapshot(NodeId to, Progress& pr) {
  if (pr.is_paused()) return false;
  const Snapshot snap = log_.snapshot();
  if (snap.meta.index != pr.pending_snapshot()) {
    // We compacted again since the transfer began: the newer snapshot replaces the old
    // one (the follower discards a buffer of another snapshot).
    pr.become_snapshot(snap.meta.index);
  }
  const std::uint64_t offset = std::min<std::uint64_t>(pr.snapshot_offset(), snap.data.size());
  const std::uint64_t len =
      std::min<std::uint64_t>(config_.max_snapshot_chunk_bytes, snap.data.size() - offset);
  const bool done = offset + len == snap.data.size();
  pr.on_snapshot_chunk_sent();
  send(to, SnapshotRequest{snap.meta, offset, Bytes(snap.data.view().substr(offset, len)), done});
  return true;
}

void Raft::handle_snapshot_response(Leader& leader, const Message& m) {
  auto it = leader.progress.find(m.from);
  if (it == leader.progress.end()) return;
  Progress& pr = it->second;
  pr.recent_active = true;
  const auto& resp = std::get<SnapshotResponse>(m.body);
  if (resp.installed) {
    // The follower's log now matches ours up to resp.index (the snapshot's last entry, or
    // its commit index if that was already newer). Resume with appends from there.
    pr.maybe_update(resp.index);
    if (pr.state() == ProgressState::kSnapshot) {
      logger_->info("{}: follower {} installed the snapshot; its log matches up to {}",
                    id().value(), m.from.value(), resp.index.value());
      pr.become_probe();
    }
    maybe_send_append(leader, m.from, true);
    return;
  }
  // A chunk's receipt. An answer about another snapshot (an older transfer) is stale.
  if (pr.state() != ProgressState::kSnapshot || resp.snapshot_index != pr.pending_snapshot()) {
    return;
  }
  if (resp.next_offset > pr.snapshot_offset()) {
    pr.on_snapshot_progress(resp.next_offset);
    maybe_send_append(leader, m.from, true);
  } else if (resp.next_offset == 0 && pr.snapshot_offset() > 0) {
    // The follower holds nothing of it (it restarted, or took up another transfer): start
    // over, on the next heartbeat answer. Any other answer that confirms nothing new -- a
    // duplicate, an old one overtaken by later answers -- changes nothing: acting on it
    // would let every duplicate start another chain of chunks (a message storm).
    pr.rewind_snapshot(0);
  }
}

// ---- follower side ------------------------------------------------------------------

void Raft::handle_snapshot_request(const Message& m) {
  if (leader_state()) {
    logger_->error("{}: InstallSnapshot from {} while leading term {}", id().value(),
                   m.from.value(), term_.value());
    return;
  }
  follow(m.from);
  const auto& req = std::get<SnapshotRequest>(m.body);
  bool stale = req.meta.index <= log_.committed();
  if constexpr (kPlantedBugsCompiled) {
    if (config_.planted_bugs.install_stale_snapshot) stale = false;
  }
  if (stale) {
    // §7: a snapshot covering no more than we committed adds nothing, and installing it
    // would move commit (and the state machine) back. Our log matches the leader's up to
    // our commit index (Leader Completeness), so tell it that.
    receiving_.reset();
    send(m.from, SnapshotResponse{req.meta.index, 0, true, log_.committed()});
    return;
  }
  if (!receiving_ || receiving_->from != m.from || receiving_->term != term_ ||
      receiving_->meta != req.meta) {
    receiving_ = SnapshotReceiver{m.from, term_, req.meta, {}};
  }
  std::string& buf = receiving_->data;
  // Only the chunk that starts where the buffer ends extends it: a duplicate (below) or a
  // chunk that overtook a lost one (above) is answered with the byte we want instead.
  if (req.offset == buf.size()) buf.append(req.data.view());
  if (!req.done || req.offset + req.data.size() != buf.size()) {
    send_unpromised(m.from, SnapshotResponse{req.meta.index, buf.size(), false, {}});
    return;
  }
  Snapshot snap{req.meta, Bytes(std::move(buf))};
  receiving_.reset();
  install_snapshot(m, std::move(snap));
}

void Raft::install_snapshot(const Message& m, Snapshot snap) {
  const SnapshotMeta meta = snap.meta;
  if constexpr (kPlantedBugsCompiled) {
    if (config_.planted_bugs.install_stale_snapshot && meta.index <= log_.committed()) {
      log_.planted_restore_stale(std::move(snap));
      send(m.from, SnapshotResponse{meta.index, 0, true, meta.index});
      return;
    }
  }
  if (log_.match_term(meta.index, meta.term)) {
    // §7 receiver rule 6: we already hold the snapshot's last entry, so by Log Matching
    // everything up to it equals the leader's. Keep our log (the entries after it too)
    // and just commit up to it; applying our own entries gives the same state.
    log_.commit_to(meta.index);
    leader_match_ = std::max(leader_match_, meta.index);
    logger_->info("{}: snapshot at {} from {} not needed: the log already holds it",
                  id().value(), meta.index.value(), m.from.value());
  } else {
    // Rule 7: discard the whole log; the state machine restarts from the snapshot.
    logger_->info("{}: installing the snapshot at {} (term {}, {} bytes) from {}; commit {} -> {}",
                  id().value(), meta.index.value(), meta.term.value(), snap.data.size(),
                  m.from.value(), log_.committed().value(), meta.index.value());
    log_.restore(std::move(snap));
    leader_match_ = meta.index;
    leader_commit_ = std::max(leader_commit_, meta.index);
    on_snapshot_restored(meta);
  }
  // Leaves only after the Ready that persists the snapshot (Raft::send).
  send(m.from, SnapshotResponse{meta.index, 0, true, meta.index});
}

}  // namespace raft
