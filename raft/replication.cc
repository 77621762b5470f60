// Log replication (§5.3) and commitment (§5.4.2): AppendEntries on both sides, heartbeats,
// per-follower flow control, and the leader's commit rule.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "raft/planted_bugs_compiled.h"
#include "raft/raft.h"

namespace raft {

namespace {

// A follower this many entries short of the leader's log gets a line at info when found.
constexpr std::uint64_t kFarBehind = 100;

}  // namespace

// ---- follower side ------------------------------------------------------------------

void Raft::follow(NodeId leader) {
  if (leader_ != leader) {
    logger_->info("{}: following leader {} at term {}", id().value(), leader.value(), term_.value());
    // What we knew of another node's log says nothing about this one's.
    leader_match_ = log_.committed();
    leader_commit_ = log_.committed();
  }
  // A candidate that hears from a leader of its own term concedes (§5.2).
  if (!std::holds_alternative<Follower>(role_)) become_follower(term_, leader);
  leader_ = leader;
  election_elapsed_ = 0;
}

void Raft::handle_append_request(const Message& m) {
  if (leader_state()) {
    // Two leaders in one term would break Election Safety (§5.2); never expected.
    logger_->error("{}: AppendEntries from {} while leading term {}", id().value(),
                   m.from.value(), term_.value());
    return;
  }
  follow(m.from);

  const auto& req = std::get<AppendRequest>(m.body);
  if (req.prev_log_index < log_.committed()) {
    // Everything up to our commit index already matches the leader (Log Matching plus
    // Leader Completeness); an append starting below it is a stale, reordered one.
    send(m.from, AppendResponse{true, log_.committed(), {}, {}, req.read_seq});
    return;
  }
  const std::optional<Index> last_new =
      log_.maybe_append(req.prev_log_index, req.prev_log_term, req.leader_commit, req.entries);
  if (last_new) on_follower_append(req.entries);
  if (!last_new) {
    // Receiver rule 2: reply false if the log has no entry at prevLogIndex with
    // prevLogTerm; include a hint so the leader can skip a whole term at once.
    const ConflictHint hint = log_.find_conflict_by_term(
        std::min(req.prev_log_index, log_.last_index()), req.prev_log_term);
    send(m.from, AppendResponse{false, req.prev_log_index, hint.index, hint.term, req.read_seq});
    return;
  }
  // The leader never overwrites its own entries, so within its term what it sent us stays
  // matching; a commit index it reported earlier (read answers) may now apply.
  leader_match_ = std::max(leader_match_, *last_new);
  learn_commit(req.leader_commit);
  if constexpr (kPlantedBugsCompiled) {
    if (config_.planted_bugs.truncate_on_matching_append && !req.entries.empty() &&
        log_.last_index() > *last_new && *last_new >= log_.committed()) {
      log_.planted_truncate_after(*last_new);
      on_follower_append({});
    }
  }
  if (req.want_answer) send(m.from, AppendResponse{true, *last_new, {}, {}, req.read_seq});
}

void Raft::learn_commit(Index commit) {
  leader_commit_ = std::max(leader_commit_, commit);
  log_.commit_to(std::min({leader_commit_, leader_match_, log_.last_index()}));
}

void Raft::handle_heartbeat_request(const Message& m) {
  if (leader_state()) return;
  follow(m.from);
  const auto& hb = std::get<HeartbeatRequest>(m.body);
  // The leader sends min(its commit, our match), so this never passes what we hold.
  leader_match_ = std::max(leader_match_, std::min(hb.commit, log_.last_index()));
  learn_commit(std::max(hb.commit, hb.leader_commit));
  if (hb.want_answer) send(m.from, HeartbeatResponse{hb.read_seq});
}

// ---- leader side --------------------------------------------------------------------

bool Raft::maybe_send_append(Leader& leader, NodeId to, bool send_if_empty, bool want_answer) {
  Progress& pr = leader.progress.at(to);
  if (pr.state() == ProgressState::kSnapshot) return maybe_send_snapshot(to, pr);
  if (pr.is_paused()) return false;
  const Index prev = pr.next().prev();
  const std::optional<Term> prev_term = log_.term(prev);
  if (!prev_term || pr.next() < log_.first_index()) {
    // The follower needs entries we compacted away: only the snapshot can replace them
    // (§7). It gets no entries until it has installed it.
    const Snapshot snap = log_.snapshot();
    logger_->info("{}: follower {} needs index {}, compacted into the snapshot at {}: "
                  "sending the snapshot ({} bytes)",
                  id().value(), to.value(), pr.next().value(), snap.meta.index.value(),
                  snap.data.size());
    pr.become_snapshot(snap.meta.index);
    return maybe_send_snapshot(to, pr);
  }
  std::vector<Entry> entries =
      log_.entries_from(pr.next(), config_.max_entries_per_msg, config_.max_bytes_per_msg);
  if (entries.empty() && !send_if_empty) return false;
  const Index last = entries.empty() ? prev : entries.back().index;
  pr.on_sent(last, entries.size());
  if (want_answer) pr.answer_awaited_for = std::max(pr.answer_awaited_for, last);
  pr.sent_round = leader.reads.newest_round();
  pr.sent_since_heartbeat = true;
  drop_queued_heartbeat(to, want_answer);
  send(to, AppendRequest{prev, *prev_term, std::move(entries), log_.committed(), pr.sent_round,
                         want_answer});
  return true;
}

void Raft::broadcast_append(Leader& leader, bool batch) {
  const std::vector<NodeId> lazy = batch ? lazy_followers(leader) : std::vector<NodeId>{};
  for (auto& [peer, pr] : leader.progress) {
    const bool want_answer = std::find(lazy.begin(), lazy.end(), peer) == lazy.end();
    // One message even if empty (it carries the commit index); then, when replicating,
    // keep streaming while the in-flight window allows (pipelining).
    if (!maybe_send_append(leader, peer, true, want_answer)) continue;
    while (pr.state() == ProgressState::kReplicate &&
           maybe_send_append(leader, peer, false, want_answer)) {
    }
  }
}

// A batch commits, and confirms the reads it carries, once a quorum answered (§5.3,
// §6.4): the leader and conf.voters.size()/2 followers. A batching leader asks only that
// many -- in turn, among the voters replicating and not silent for a whole election
// timeout, so each still answers every few batches (check-quorum, flow control) -- and
// the others take the batch silently; their next answer acknowledges it. Not while joint (two
// quorums), transferring leadership (the target's answer starts the election), or with
// too few such voters to spare any.
std::vector<NodeId> Raft::lazy_followers(Leader& leader) {
  if (!batching_ || conf_.joint() || !leader.transfer_target.is_none() ||
      !conf_.is_voter(id())) {
    return {};
  }
  std::vector<NodeId> steady;
  for (NodeId n : conf_.voters) {
    if (n == id()) continue;
    const Progress& pr = leader.progress.at(n);
    if (pr.state() == ProgressState::kReplicate && !pr.reported_silent) steady.push_back(n);
  }
  const std::size_t needed = conf_.voters.size() / 2;
  if (steady.size() <= needed) return {};
  const std::size_t start = (leader.batches++ * needed) % steady.size();
  std::vector<NodeId> lazy;
  for (std::size_t i = needed; i < steady.size(); ++i) {
    lazy.push_back(steady[(start + i) % steady.size()]);
  }
  return lazy;
}

void Raft::broadcast_heartbeat(Leader& leader) {
  // Reads registered before the previous tick, their round sent (not held for a batch)
  // and still unconfirmed: the followers it went to did not answer within a heartbeat
  // interval.
  const bool reads_overdue =
      !leader.reads.empty() &&
      leader.reads.oldest_pending_seq() <= std::min(leader.heartbeat_round, leader.released_round);
  // A new round each tick: answers to it renew the lease (§6.4.1).
  leader.heartbeat_round = leader.reads.open_round(now_);
  for (auto& [peer, pr] : leader.progress) {
    // A follower that got an append since the last tick just heard from us: its election
    // timer is reset and its answer counts for check-quorum. It gets the commit index
    // with the next append or heartbeat. Overdue reads are the exception: their round
    // goes to everyone.
    if (pr.sent_since_heartbeat && !reads_overdue) {
      pr.sent_since_heartbeat = false;
      continue;
    }
    send_heartbeat(leader, peer);
    pr.sent_since_heartbeat = false;
  }
}

void Raft::send_heartbeat(Leader& leader, NodeId to) {
  Progress& pr = leader.progress.at(to);
  pr.sent_round = leader.reads.newest_round();
  pr.sent_since_heartbeat = true;
  const bool want_answer = heartbeat_needs_answer(leader, pr);
  // An unanswered heartbeat finds the follower complete, as an answer would have: the
  // stall check of the next answer compares against this match.
  if (!want_answer) pr.match_at_heartbeat = pr.match();
  send(to, HeartbeatRequest{std::min(pr.match(), log_.committed()), pr.sent_round, want_answer,
                            log_.committed()});
}

// An answer is worth a message only when the leader will act on it: it confirms a read
// round or renews the lease (§6.4), counts the follower for check-quorum once per election
// timeout (§6.2; a lost answer is asked for again with the next heartbeat), or, for a
// follower in Probe or with answered appends in flight, moves it to Replicate or finds a
// lost append (handle_heartbeat_response). Entries not sent yet (held for a batch), or
// sent asking for no answer (lazy_followers), need none.
bool Raft::heartbeat_needs_answer(const Leader& leader, const Progress& pr) const {
  return config_.lease_read || !leader.reads.empty() || !pr.recent_active ||
         pr.state() != ProgressState::kReplicate || pr.match() < pr.answer_awaited_for;
}

// An append carries all a heartbeat would -- the commit index (as far as the follower's
// log is known to match) and the newest read round: a heartbeat still queued for the same
// follower in this Ready would only double the traffic. Unless the heartbeat asks for an
// answer the append does not (lazy_followers): then both go.
void Raft::drop_queued_heartbeat(NodeId to, bool append_answered) {
  std::erase_if(msgs_, [&](const Message& m) {
    const auto* hb = std::get_if<HeartbeatRequest>(&m.body);
    return m.to == to && hb != nullptr && (append_answered || !hb->want_answer);
  });
}

Progress& Raft::note_answer(Leader& leader, NodeId from, std::uint64_t round) {
  Progress& pr = leader.progress.at(from);
  pr.recent_active = true;
  pr.heard = ++leader.answers;
  if (pr.reported_silent) {
    pr.reported_silent = false;
    logger_->info("{}: peer {} answers again", id().value(), from.value());
  }
  confirm_round(leader, from, round);
  return pr;
}

void Raft::handle_append_response(Leader& leader, const Message& m) {
  if (!leader.progress.contains(m.from)) return;
  const auto& resp = std::get<AppendResponse>(m.body);
  Progress& pr = note_answer(leader, m.from, resp.read_seq);
  if (!resp.success) {
    // Fast backtracking: jump to the last index where our log can still match the hint.
    const Index probe = resp.hint_term.value() > 0
                            ? log_.find_conflict_by_term(resp.hint_index, resp.hint_term).index
                            : resp.hint_index;
    if (pr.maybe_decrease_to(resp.index, probe)) {
      // Only rejections that are not stale: a reordered old one says nothing about now.
      if (!pr.reported_behind && resp.hint_index < pr.match()) {
        pr.reported_behind = true;
        logger_->warn("{}: follower {} lost entries it had acknowledged: its log ends at {}, it had {}"
                      " (restarted without its storage?); it cannot catch up",
                      id().value(), m.from.value(), resp.hint_index.value(), pr.match().value());
      } else if (!pr.reported_behind && log_.last_index().value() >= probe.value() + kFarBehind) {
        pr.reported_behind = true;
        logger_->info("{}: follower {} is far behind: its log matches ours at most up to {}, ours ends at {}",
                      id().value(), m.from.value(), probe.value(), log_.last_index().value());
      }
      if (pr.state() == ProgressState::kReplicate) pr.become_probe();
      maybe_send_append(leader, m.from, true);
    }
    return;
  }
  pr.reported_behind = false;
  // A probe answered for exactly `match` proves the follower caught up too (etcd raft.go,
  // MsgAppResp); without it the follower would stay in Probe until the next proposal.
  const bool caught_up_probe = pr.state() == ProgressState::kProbe && pr.match() == resp.index;
  const bool advanced = pr.maybe_update(resp.index);
  // An append landed past the snapshot being sent: the follower no longer needs it.
  if (advanced && pr.state() == ProgressState::kSnapshot && pr.match() >= pr.pending_snapshot()) {
    pr.become_probe();
  }
  if (advanced || caught_up_probe) {
    if (pr.state() == ProgressState::kProbe) pr.become_replicate();
    // A new commit index travels with the next append or heartbeat, not in a round of
    // its own: the service answers forwarded commands itself (raft/service.h), and a
    // follower's read learns it from the read index.
    if (advanced) maybe_commit(leader);
  }
  // maybe_commit may have ended this leadership (a configuration without it committed)
  // or, leaving a joint configuration, dropped this follower.
  if (leader_state() != &leader || !leader.progress.contains(m.from)) return;
  // Entries held for the batch (hold_broadcasts) go out with it, not behind this answer;
  // a follower still catching up on released ones keeps getting them at once.
  while ((!hold_broadcasts_ || pr.match() < released_index_) &&
         maybe_send_append(leader, m.from, false)) {
  }
  maybe_send_timeout_now(leader, m.from);
}

void Raft::handle_heartbeat_response(Leader& leader, const Message& m) {
  if (!leader.progress.contains(m.from)) return;
  const auto& resp = std::get<HeartbeatResponse>(m.body);
  Progress& pr = note_answer(leader, m.from, resp.read_seq);
  pr.on_heartbeat_response();
  // In Probe, answer with an append even when the follower looks caught up: its answer
  // is what moves it back to Replicate if the last probe was lost (etcd raft.go). In
  // Replicate, appends may be on their way: only a follower whose match has not moved
  // since the previous heartbeat answer gets one (a lost append is then found: the
  // follower rejects it, and we probe back).
  const bool stalled = pr.match() == pr.match_at_heartbeat;
  pr.match_at_heartbeat = pr.match();
  if ((pr.match() < log_.last_index() && stalled) || pr.state() == ProgressState::kProbe) {
    maybe_send_append(leader, m.from, true);
  }
}

bool Raft::committed_in_current_term() const {
  return log_.term_or_zero(log_.committed()) == term_;
}

// §5.3/§5.4.2: the leader commits the largest index stored on a majority -- but only if
// that entry is from its own term. An entry of an earlier term on a majority can still be
// overwritten (Figure 8); it commits indirectly, with the first own-term entry after it.
bool Raft::maybe_commit(Leader& leader) {
  auto acked = [&](NodeId n) {
    return n == id() ? log_.last_stable_index() : leader.progress.at(n).match();
  };
  Index majority = voters_.committed_index(acked);
  if constexpr (kPlantedBugsCompiled) {
    if (config_.planted_bugs.learner_counts_in_quorum && !conf_.learners.empty()) {
      std::vector<NodeId> counted = conf_.voters;
      counted.insert(counted.end(), conf_.learners.begin(), conf_.learners.end());
      majority = JointConfig(counted, conf_.voters_outgoing).committed_index(acked);
    }
  }
  if (majority <= log_.committed()) return false;
  bool own_term = log_.term_or_zero(majority) == term_;
  if constexpr (kPlantedBugsCompiled) {
    if (config_.planted_bugs.commit_earlier_term_by_counting) own_term = true;
  }
  if (!own_term) return false;
  const bool first_in_term = !committed_in_current_term();
  log_.commit_to(majority);
  if (first_in_term) {
    // Now the commit index is known to be current: serve the reads that waited for it.
    std::vector<PendingRead> waiting = std::move(leader.reads_awaiting_commit);
    leader.reads_awaiting_commit.clear();
    for (PendingRead& read : waiting) leader_read(leader, std::move(read));
  }
  on_leader_commit(leader);
  return true;
}

}  // namespace raft
