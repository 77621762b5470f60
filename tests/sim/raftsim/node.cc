#include "raftsim/node.h"

namespace raftsim {

std::string SimNode::start(const raft::ServiceConfig& config,
                           std::unique_ptr<raft::StateMachine> state_machine) {
  if (std::string error = storage_.restart(); !error.empty()) {
    broken = error;
    return error;
  }
  ++incarnation_;
  raft::ServiceConfig c = config;
  c.incarnation = incarnation_;
  next_seq_ = (incarnation_ << 32) + 1;
  service_.reset();
  state_machine_ = std::move(state_machine);
  service_ = std::make_unique<raft::Service>(std::move(c), storage_, *state_machine_, *this);
  last_role = raft::Role::kFollower;
  last_term = service_->raft().term();
  last_leader = raft::kNoNode;
  last_vote = raft::kNoNode;
  last_vote_term = raft::Term{0};
  paused = false;
  deferred.clear();
  return {};
}

void SimNode::crash(const raft::testing::MemoryFileSystem::Pick& pick) {
  service_.reset();
  state_machine_.reset();
  storage_.crash(pick);  // only what reached the disk remains
  paused = false;
  deferred.clear();
}

void SimNode::send(raft::NodeId to, raft::PeerMessage message) {
  if (storage_.crashed()) return;  // the process is already dead
  env_.node_sends(id_, static_cast<int>(to.value()), std::move(message));
}

void SimNode::respond(raft::ClientHandle client, const raft::Outcome& outcome) {
  if (storage_.crashed()) return;
  env_.node_responds(id_, client, outcome);
}

void SimNode::applied(const raft::Entry& entry, raft::Term term) {
  if (storage_.crashed()) return;  // after the persist it died in: never happened
  env_.node_applied(id_, entry, term);
}

void SimNode::restored(const raft::SnapshotMeta& meta) {
  if (storage_.crashed()) return;
  env_.node_restored(id_, meta);
}

}  // namespace raftsim
