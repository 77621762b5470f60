// Membership changes during a run (membership.h): random configuration changes and
// leadership transfers, sent to whoever leads, while the fault schedule does its worst.
//
// What they exercise (thesis chapter 4): single-server changes (§4.2) and joint consensus
// (§4.3) -- a replacement changes two voters, so it always goes through C_old,new --,
// learners catching up before they vote (§4.2.1), a leader removing itself (§4.2.2),
// spares that join empty and get the log or a snapshot, and transfers (§3.10). The
// properties are the simulator's own: no two leaders in one term (the checker's Election
// Safety spans configurations), nothing committed lost, a linearizable kv history, and a
// leader followed by every member of the final configuration once the faults end, when a
// quorum of that configuration has a sound disk.
#include <algorithm>
#include <cmath>

#include "raftsim/simulator.h"

namespace raftsim {

namespace {

raft::NodeId nid(int id) { return raft::NodeId{static_cast<std::uint64_t>(id)}; }

// A majority of `half` is sound, with `extra` (if any) counted as broken too.
bool sound_majority(const std::vector<raft::NodeId>& half, const std::vector<bool>& broken,
                    int extra) {
  if (half.empty()) return true;
  std::size_t bad = 0;
  for (raft::NodeId v : half) {
    const int id = static_cast<int>(v.value());
    if (id == extra || broken[static_cast<std::size_t>(id)]) ++bad;
  }
  return (half.size() - bad) * 2 > half.size();
}

}  // namespace

void Simulator::schedule_membership() {
  const auto gap = static_cast<double>(config_.membership.mean_gap);
  queue_.push(now_ + static_cast<Micros>(rng_.exponential(gap)), MembershipEvent{true});
}

raft::ConfState Simulator::latest_configuration() const {
  // The leader's, if there is one: a deposed leader may hold a newer, doomed entry.
  if (const int l = current_leader(); l != 0) {
    return nodes_[static_cast<std::size_t>(l - 1)]->raft().configuration();
  }
  const raft::Raft* best = nullptr;
  for (const auto& n : nodes_) {
    if (!n->up()) continue;
    if (best == nullptr || n->raft().configuration_index() > best->configuration_index()) {
      best = &n->raft();
    }
  }
  return best == nullptr ? raft::ConfState{} : best->configuration();
}

bool Simulator::counts_for_liveness(int node) const {
  if (!config_.membership.enabled()) return true;
  return latest_configuration().is_member(nid(node));
}

bool Simulator::configuration_settled(const raft::Raft& leader) const {
  const raft::ConfState& c = leader.configuration();
  return !c.joint() && c.is_voter(leader.id()) &&
         leader.configuration_index() <= leader.log().committed();
}

void Simulator::note_configuration(const raft::Raft& r) {
  if (r.configuration().voters.empty()) return;  // a spare: it knows no configuration yet
  const raft::Index index = r.configuration_index();
  const std::pair<std::uint64_t, std::uint64_t> key{index.value(), r.log().term_or_zero(index).value()};
  configurations_.try_emplace(key, r.configuration());
  // A configuration this node has committed supersedes every earlier one, and any other
  // entry at its index: they can no longer come back.
  if (index > r.log().committed()) return;
  auto it = configurations_.find(key);
  configurations_.erase(configurations_.begin(), it);
  for (++it; it != configurations_.end() && it->first.first == key.first;) it = configurations_.erase(it);
}

bool Simulator::final_quorum_sound(int rotting) const {
  if (configurations_.empty()) return false;
  std::vector<bool> broken(nodes_.size() + 1, false);
  for (const auto& n : nodes_) broken[static_cast<std::size_t>(n->id())] = !n->broken.empty();
  return std::all_of(configurations_.begin(), configurations_.end(), [&](const auto& c) {
    return sound_majority(c.second.voters, broken, rotting) &&
           sound_majority(c.second.voters_outgoing, broken, rotting);
  });
}

// Clients talk to members of the configuration (as a real client's address list would
// say), and now and then to any node: spares and removed nodes must answer sensibly too.
int Simulator::pick_client_node() {
  const raft::ConfState c = latest_configuration();
  const std::vector<raft::NodeId> members = c.members();
  if (members.empty() || rng_.chance(0.1)) {
    return static_cast<int>(rng_.uniform(1, config_.cluster.nodes));
  }
  return static_cast<int>(members[static_cast<std::size_t>(
                                      rng_.uniform(0, static_cast<std::int64_t>(members.size()) - 1))]
                              .value());
}

void Simulator::membership_step(bool recurring) {
  if (faults_over_) return;  // the final configuration settles with the faults
  if (recurring) schedule_membership();
  const int leader_id = current_leader();
  if (leader_id == 0) return;
  SimNode& leader = node(leader_id);
  if (leader.paused) return;  // a paused process takes no requests
  const raft::ConfState conf = leader.raft().configuration();

  std::vector<int> voters;
  std::vector<int> learners;
  std::vector<int> spares;
  std::vector<bool> broken(nodes_.size() + 1, false);
  for (const auto& n : nodes_) {
    broken[static_cast<std::size_t>(n->id())] = !n->broken.empty();
    const raft::NodeId id = nid(n->id());
    if (conf.is_voter(id)) {
      voters.push_back(n->id());
    } else if (conf.is_learner(id)) {
      learners.push_back(n->id());
    } else if (n->broken.empty()) {
      spares.push_back(n->id());  // a node with a refused disk is never added
    }
  }
  auto pick = [this](const auto& from) {
    return from[static_cast<std::size_t>(rng_.uniform(0, static_cast<std::int64_t>(from.size()) - 1))];
  };
  // A voter may leave if the voters left keep a sound majority (a broken one always may).
  std::vector<int> removable;
  for (int v : voters) {
    std::vector<raft::NodeId> rest;
    for (int w : voters) {
      if (w != v) rest.push_back(nid(w));
    }
    if (!rest.empty() && sound_majority(rest, broken, 0)) removable.push_back(v);
  }
  std::vector<int> broken_voters;
  for (int v : voters) {
    if (broken[static_cast<std::size_t>(v)]) broken_voters.push_back(v);
  }

  enum Op { kAddVoter, kAddLearner, kPromote, kDemote, kRemoveLearner, kRemoveVoter, kReplace, kTransfer };
  std::vector<Op> ops;
  if (!spares.empty()) ops.insert(ops.end(), {kAddVoter, kAddLearner});
  if (!learners.empty()) ops.insert(ops.end(), {kPromote, kRemoveLearner});
  if (!removable.empty()) ops.insert(ops.end(), {kRemoveVoter, kDemote});
  if (!spares.empty() && !voters.empty()) ops.push_back(kReplace);
  // Transfers are one operation in seven: a transfer under way refuses every change (§3.10).
  const bool transfer = voters.size() > 1 && (ops.empty() || rng_.chance(1.0 / 7));
  if (ops.empty() && !transfer) return;
  Op op = transfer ? kTransfer : pick(ops);
  if (!transfer && !broken_voters.empty() && !spares.empty()) op = kReplace;  // as an operator would

  raft::ConfChangeRequest req;
  req.joint = rng_.chance(0.25);  // single-voter changes through joint consensus too
  std::string what;
  switch (op) {
    case kAddVoter: req.changes = {{raft::ConfChangeType::kAddVoter, nid(pick(spares))}}; break;
    case kAddLearner: req.changes = {{raft::ConfChangeType::kAddLearner, nid(pick(spares))}}; break;
    case kPromote: req.changes = {{raft::ConfChangeType::kPromote, nid(pick(learners))}}; break;
    case kDemote: req.changes = {{raft::ConfChangeType::kAddLearner, nid(pick(removable))}}; break;
    case kRemoveLearner: req.changes = {{raft::ConfChangeType::kRemove, nid(pick(learners))}}; break;
    case kRemoveVoter: req.changes = {{raft::ConfChangeType::kRemove, nid(pick(removable))}}; break;
    case kReplace: {
      const int out = broken_voters.empty() ? pick(voters) : pick(broken_voters);
      req.changes = {{raft::ConfChangeType::kAddVoter, nid(pick(spares))},
                     {raft::ConfChangeType::kRemove, nid(out)}};
      break;
    }
    case kTransfer: {
      std::vector<int> others;
      for (int v : voters) {
        if (v != leader_id) others.push_back(v);
      }
      const int to = pick(others);
      const auto r = leader.service().transfer_leadership(nid(to));
      if (r) ++stats_.transfers;
      note("ADMIN transfer leadership n" + std::to_string(leader_id) + " -> n" +
           std::to_string(to) + (r ? "" : " refused: " + r.error().message()));
      after_event(leader);
      return;
    }
  }
  for (const raft::ConfChange& c : req.changes) {
    what += std::string(what.empty() ? "" : ", ") + raft::conf_change_type_name(c.type) + " n" +
            std::to_string(c.node.value());
  }
  const auto r = leader.service().propose_conf_change(req);
  if (r) {
    ++stats_.conf_changes;
  } else {
    ++stats_.conf_changes_refused;
  }
  note("ADMIN at n" + std::to_string(leader_id) + ": " + what + (req.joint ? " (joint)" : "") +
       (r ? " -> entry " + std::to_string(r->index.value())
          : " refused: " + r.error().message()));
  after_event(leader);
}

}  // namespace raftsim
