// One simulated node: its storage (which survives crashes) and, while it is up, a
// raft::Service -- the same service logic the Maelstrom node and the TCP runtime run --
// over the workload's state machine and a raft::Raft. SimNode is the Service's host: what
// the Service sends or answers goes back to the simulator, except after the node died
// inside a persist (see SimStorage), when it is silently discarded.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>

#include "raft/raft.h"
#include "raft/service.h"
#include "raft/state_machine.h"
#include "raftsim/events.h"
#include "raftsim/sim_storage.h"

namespace raftsim {

/// What a node's Host calls reach: the simulator.
class NodeEnvironment {
 public:
  virtual ~NodeEnvironment() = default;
  virtual void node_applied(int node, const raft::Entry& entry, raft::Term term) = 0;
  virtual void node_restored(int node, const raft::SnapshotMeta& meta) = 0;
  virtual void node_sends(int from, int to, raft::PeerMessage&& message) = 0;
  virtual void node_responds(int node, raft::ClientHandle client, const raft::Outcome& outcome) = 0;
};

class SimNode final : public raft::ServiceHost {
 public:
  SimNode(int id, NodeEnvironment& env, raft::PlantedBugs bugs = {})
      : id_(id), env_(env), storage_(bugs) {}

  /// Starts (or restarts) the service on this node's storage with a new incarnation, over
  /// a fresh `state_machine` (restored from the storage's snapshot by the service).
  /// Empty on success; else why the disk was refused (the node is then `broken`).
  std::string start(const raft::ServiceConfig& config,
                    std::unique_ptr<raft::StateMachine> state_machine);
  /// Loses all volatile state: the service, anything armed, messages waiting for it; the
  /// disk keeps what was synced (and a torn remainder drawn with `pick`).
  void crash(const raft::testing::MemoryFileSystem::Pick& pick);
  /// Set when a restart found the log damaged: the node stays down for good.
  std::string broken;

  [[nodiscard]] int id() const { return id_; }
  [[nodiscard]] bool up() const { return service_ != nullptr; }
  /// Died inside a persist during the current event (the simulator then calls crash()).
  [[nodiscard]] bool died_in_persist() const { return storage_.crashed(); }
  [[nodiscard]] raft::Service& service() { return *service_; }
  [[nodiscard]] const raft::Raft& raft() const { return service_->raft(); }
  [[nodiscard]] SimStorage& storage() { return storage_; }
  [[nodiscard]] const SimStorage& storage() const { return storage_; }
  [[nodiscard]] std::uint64_t incarnation() const { return incarnation_; }

  /// The request number the service will give the next client request. raft::Service
  /// numbers requests (incarnation << 32) + 1, + 2, ...; the simulator mirrors that to
  /// find a client's command in the log, and the durability check verifies the match.
  std::uint64_t take_request_seq() { return next_seq_++; }

  // Pause: the node neither ticks nor handles anything; events for it wait here.
  bool paused = false;
  Micros paused_at = 0;
  std::deque<EventBody> deferred;

  /// For the timeline: what the node looked like after its last event.
  raft::Role last_role = raft::Role::kFollower;
  raft::Term last_term;
  raft::NodeId last_leader;
  /// The last (term, vote) the vote-uniqueness check recorded for this node.
  raft::NodeId last_vote;
  raft::Term last_vote_term;
  std::uint64_t events = 0;
  /// The index of the stored snapshot whose content was last checked.
  raft::Index snapshot_checked;

  // raft::ServiceHost
  void send(raft::NodeId to, raft::PeerMessage message) override;
  void respond(raft::ClientHandle client, const raft::Outcome& outcome) override;
  void applied(const raft::Entry& entry, raft::Term term) override;
  void restored(const raft::SnapshotMeta& meta) override;

 private:
  int id_;
  NodeEnvironment& env_;
  SimStorage storage_;
  // Declared before the service, which refers to it: destroyed after it.
  std::unique_ptr<raft::StateMachine> state_machine_;
  std::unique_ptr<raft::Service> service_;
  std::uint64_t incarnation_ = 0;
  std::uint64_t next_seq_ = 1;
};

}  // namespace raftsim
