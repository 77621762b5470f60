// ReadIndex (§6.4 of the thesis): linearizable reads without writing to the log.
#include <spdlog/spdlog.h>

#include "raft/planted_bugs_compiled.h"
#include "raft/raft.h"

namespace raft {

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

void Raft::leader_read(Leader& leader, PendingRead read) {
  // Step 1: the leader's commit index is the read index -- but only once it committed an
  // entry of its own term; before that it may not know which entries are committed.
  if (!committed_in_current_term()) {
    leader.reads_awaiting_commit.push_back(std::move(read));
    return;
  }
  read.index = log_.committed();
  // A leader that is a quorum on its own (a single voter) needs no confirmation round.
  bool confirmed = voters_.quorum_value([&](NodeId n) -> std::uint64_t { return n == id() ? 1 : 0; }) == 1;
  if constexpr (kPlantedBugsCompiled) {
    if (config_.planted_bugs.read_without_quorum_check) confirmed = true;
  }
  if (confirmed) {
    release_read(read);
    return;
  }
  // Step 2: confirm leadership with a heartbeat round that starts after this read.
  // All reads registered before the next Ready share one round.
  leader.reads.add(std::move(read.context), read.requester, read.index);
  read_round_pending_ = true;
}

void Raft::release_read(const PendingRead& read) {
  if (read.requester == id()) {
    // Step 3/4: served once applied >= index (collect_read_states).
    reads_awaiting_apply_.push_back(ReadState{read.context, read.index});
  } else {
    send(read.requester, ReadIndexResponse{read.context, read.index, true});
  }
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
  if (resp.ok) {
    reads_awaiting_apply_.push_back(ReadState{resp.context, resp.index});
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
