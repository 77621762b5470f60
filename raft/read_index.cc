// ReadIndex (§6.4 of the thesis) and lease reads (§6.4.1): linearizable reads without
// writing to the log.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "raft/planted_bugs_compiled.h"
#include "raft/raft.h"

namespace raft {

int Config::lease_ticks() const {
  if constexpr (kPlantedBugsCompiled) {
    if (planted_bugs.lease_longer_than_election_timeout) return 2 * election_tick;
  }
  // The leader's clock may run slow and a follower's fast, each by max_clock_drift: the
  // lease ends, by the leader's clock, before any follower's lease on the leader can
  // (election_tick - 1 whole ticks after it last heard from it; see in_leader_lease).
  const double ticks = (election_tick - 1) * (1.0 - max_clock_drift) / (1.0 + max_clock_drift);
  return std::max(0, static_cast<int>(std::floor(ticks)));
}

Expected<std::monostate, NotLeader> Raft::read_index(std::string context) {
  if (Leader* l = leader_state()) {
    leader_read(*l, PendingRead{std::move(context), id(), {}, 0});
    return std::monostate{};
  }
  if (leader_.is_none()) return Unexpected{NotLeader{}};
  // A follower asks the leader for a read index, then waits to apply up to it (§6.4.1).
  send(leader_, ReadIndexRequest{std::move(context)});
  return std::monostate{};
}

// §6.4.1: a quorum answered a round opened at tick `start`; none of them will vote for
// another leader until an election timeout after it heard from us (check-quorum's leader
// lease, in_leader_lease), so until lease_ticks after `start` no other leader can exist.
bool Raft::lease_valid(const Leader& leader) const {
  if (!config_.lease_read) return false;
  const auto round = leader.reads.quorum_round(id(), voters_, leader.lease_min_round);
  if (!round) return false;
  // The round was opened during tick `start`: up to now_ - start + 1 ticks have passed.
  return now_ - round->second + 1 <= static_cast<std::uint64_t>(config_.lease_ticks());
}

void Raft::leader_read(Leader& leader, PendingRead read) {
  // Step 1: the leader's commit index is the read index -- but only once it committed an
  // entry of its own term; before that it may not know which entries are committed.
  if (!committed_in_current_term()) {
    leader.reads_awaiting_commit.push_back(std::move(read));
    return;
  }
  read.index = log_.committed();
  bool confirmed = lease_valid(leader);
  if constexpr (kPlantedBugsCompiled) {
    if (config_.planted_bugs.read_without_quorum_check) confirmed = true;
  }
  if (confirmed) {
    release_read(read);
    return;
  }
  // Step 2: confirm leadership with a round that starts after this read: the appends and
  // heartbeats sent from now on carry it. A lone voter, or a leader and the asking
  // follower that make a quorum on their own, need nobody else.
  leader.reads.add(std::move(read.context), read.requester, read.index, now_);
  for (PendingRead& r : leader.reads.take_confirmed(id(), voters_)) release_read(r);
  if (!leader.reads.empty()) read_round_pending_ = true;
}

// The reads registered since the last Ready share one round. Followers that get an append
// in the same Ready already carry it; the rest of the quorum is asked with a heartbeat,
// and only as many followers as a quorum needs, those that answered most recently first.
// If they do not answer, the next heartbeat tick asks everyone (broadcast_heartbeat).
void Raft::send_read_round(Leader& leader) {
  const std::uint64_t seq = leader.reads.newest_pending_seq();
  const NodeId requester = leader.reads.common_requester(id());
  std::vector<NodeId> asked;
  auto answers = [&](NodeId n) {
    if (n == id() || n == requester) return true;
    if (std::find(asked.begin(), asked.end(), n) != asked.end()) return true;
    auto it = leader.progress.find(n);
    return it != leader.progress.end() && it->second.sent_round >= seq;
  };
  auto quorum_answers = [&] {
    return voters_.quorum_value([&](NodeId n) -> std::uint64_t { return answers(n) ? 1 : 0; }) == 1;
  };
  std::vector<std::pair<std::uint64_t, NodeId>> by_recency;
  for (const auto& [peer, pr] : leader.progress) {
    if (voters_.contains(peer) && !answers(peer)) by_recency.emplace_back(pr.heard, peer);
  }
  std::sort(by_recency.begin(), by_recency.end(), std::greater<>());
  for (const auto& [heard, peer] : by_recency) {
    if (quorum_answers()) break;
    asked.push_back(peer);
  }
  for (NodeId peer : asked) send_heartbeat(leader, peer);
}

void Raft::release_read(const PendingRead& read) {
  if (read.requester == id()) {
    // Step 3/4: served once applied >= index (collect_read_states).
    reads_awaiting_apply_.push_back(ReadState{read.context, read.index});
  } else {
    send(read.requester, ReadIndexResponse{read.context, read.index, true});
  }
}

void Raft::confirm_round(Leader& leader, NodeId from, std::uint64_t seq) {
  for (PendingRead& read : leader.reads.ack(id(), from, seq, voters_)) release_read(read);
}

void Raft::drop_leader_reads(Leader& leader) {
  std::vector<PendingRead> reads = leader.reads.take_all();
  for (PendingRead& r : leader.reads_awaiting_commit) reads.push_back(std::move(r));
  leader.reads_awaiting_commit.clear();
  for (const PendingRead& r : reads) {
    if (r.requester == id()) {
      dropped_reads_.push_back(r.context);
    } else {
      send(r.requester, ReadIndexResponse{r.context, Index{0}, false});
    }
  }
}

void Raft::handle_read_index_request(const Message& m) {
  const auto& req = std::get<ReadIndexRequest>(m.body);
  if (Leader* l = leader_state()) {
    leader_read(*l, PendingRead{req.context, m.from, {}, 0});
  } else {
    send(m.from, ReadIndexResponse{req.context, Index{0}, false});
  }
}

void Raft::handle_read_index_response(const Message& m) {
  const auto& resp = std::get<ReadIndexResponse>(m.body);
  // step_term let this through only at our term: we have voted in no newer one, which
  // is what the leader counted on when it counted us (raft/read_only.h).
  if (resp.ok) {
    reads_awaiting_apply_.push_back(ReadState{resp.context, resp.index});
    if (m.from == leader_) learn_commit(resp.index);
  } else {
    dropped_reads_.push_back(resp.context);
  }
}

void Raft::collect_read_states(Ready& rd) {
  // Reads are released in the order they were confirmed; a later one with a lower index
  // may pass an earlier one that still waits (both are linearizable either way).
  auto ready_now = [&](const ReadState& r) { return r.index <= log_.applied(); };
  for (ReadState& r : reads_awaiting_apply_) {
    if (ready_now(r)) rd.read_states.push_back(std::move(r));
  }
  std::erase_if(reads_awaiting_apply_, [&](const ReadState& r) { return ready_now(r); });
}

}  // namespace raft
