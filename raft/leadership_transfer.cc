// Leadership transfer (thesis §3.10): the leader hands over to a chosen voter -- before
// maintenance, or to move leadership nearer the clients -- without waiting for an election
// timeout. It stops taking proposals, brings the target's log up to date, then sends it
// TimeoutNow; the target campaigns at once, and its vote requests bypass pre-vote and the
// voters' leader lease (the leader asked for this election). If no new leader emerges
// within an election timeout the leader gives up and takes proposals again.
#include <spdlog/spdlog.h>

#include <limits>

#include "raft/raft.h"

namespace raft {

NodeId Raft::transfer_target() const {
  const Leader* l = std::get_if<Leader>(&role_);
  return l ? l->transfer_target : kNoNode;
}

Expected<std::monostate, AdminError> Raft::transfer_leadership(NodeId to) {
  using Code = AdminError::Code;
  Leader* l = leader_state();
  if (!l) return Unexpected{AdminError{Code::kNotLeader, leader_, {}}};
  if (to == id()) return std::monostate{};
  if (!conf_.is_voter(to)) {
    return Unexpected{AdminError{Code::kInvalid, id(),
                                 "node " + std::to_string(to.value()) + " is not a voter of " +
                                     conf_.describe()}};
  }
  if (l->transfer_target == to) return std::monostate{};  // already under way
  l->transfer_target = to;
  l->transfer_elapsed = 0;
  // The target's election will be granted despite the voters' lease on us (§3.10), so
  // no lease of ours holds for the rest of this term (§6.4.1).
  l->lease_min_round = std::numeric_limits<std::uint64_t>::max();
  logger_->info("{}: transferring leadership of term {} to {}", id().value(), term_.value(),
                to.value());
  maybe_send_timeout_now(*l, to);
  if (l->progress.at(to).match() < log_.last_index()) maybe_send_append(*l, to, true);
  return std::monostate{};
}

void Raft::maybe_send_timeout_now(Leader& leader, NodeId to) {
  if (leader.transfer_target != to) return;
  // Only a target holding the leader's whole log can win (§5.4.1) without losing entries.
  if (leader.progress.at(to).match() < log_.last_index()) return;
  send(to, TimeoutNow{});
}

void Raft::tick_transfer(Leader& leader) {
  if (leader.transfer_target.is_none()) return;
  if (++leader.transfer_elapsed < config_.election_tick) return;
  logger_->info("{}: leadership transfer to {} abandoned after an election timeout",
                id().value(), leader.transfer_target.value());
  leader.transfer_target = kNoNode;
}

void Raft::handle_timeout_now(const Message& m) {
  if (leader_state() || !is_promotable()) {
    logger_->info("{}: ignoring TimeoutNow from {}: {}", id().value(), m.from.value(),
                  leader_state() ? "leading" : "not a voter");
    return;
  }
  logger_->info("{}: TimeoutNow from leader {}: campaigning at once", id().value(), m.from.value());
  start_election(/*transfer=*/true);
}

}  // namespace raft
