// The deterministic cluster simulator: N nodes, each the real raft core under the real
// service logic (raft::Service) over the workload's state machine, clients, a network and
// a fault schedule, all on one virtual clock and one seeded RNG, in one thread. Same
// SimConfig, same run. Any service runs in it: see workload.h (raft-kv's is kv_workload.h,
// a replicated counter's is examples/counter).
//
//   raftsim::SimConfig cfg;
//   cfg.make_workload = my_workload;  // or raftsim::kv_workload
//   cfg.seed = 42;
//   cfg.schedule = raftsim::random_schedule(raftsim::FaultMix::all(), 5, seconds(3), ...);
//   raftsim::SimResult r = raftsim::Simulator(cfg).run();
//   r.safe(), r.live(), r.durable(); raftsim::check_linearizable(r)  (checks.h)
//
// What happens on each event is in docs/simulator.md; in short:
//  - every node ticks every cluster.tick, at its own phase;
//  - a message is lost or duplicated at send time, takes a latency drawn per copy, and is
//    dropped at delivery time if its link is cut or its destination is down;
//  - a paused node keeps what is delivered to it and handles it, in order, on resume;
//  - after every event a node handled, the invariant checker observes that node.
#pragma once

#include <memory>
#include <set>
#include <map>
#include "raft/configuration.h"
#include <vector>

#include "raft/replicated_state.h"
#include "raft/testing/invariants.h"
#include "raftsim/config.h"
#include "raftsim/events.h"
#include "raftsim/history.h"
#include "raftsim/node.h"
#include "raftsim/partition.h"
#include "raftsim/result.h"
#include "raftsim/rng.h"
#include "raftsim/workload.h"

namespace raftsim {

class Simulator final : public NodeEnvironment {  // overrides private: only nodes call them
 public:
  explicit Simulator(SimConfig config);
  ~Simulator() override;
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  /// Makes the workload (throws std::invalid_argument if config.make_workload is unset).
  /// Runs to config.duration and checks safety, liveness and durability (not
  /// linearizability: see checks.h). Call once.
  SimResult run();

  // ---- step-level access, for tests and tools --------------------------------------
  /// Handles the next event if it is due before the end; false once the run is over.
  bool step();
  [[nodiscard]] Micros now() const { return now_; }
  /// Node 1..n's core, or null while it is down.
  [[nodiscard]] const raft::Raft* raft(int node) const;
  [[nodiscard]] const std::vector<ClientOp>& history() const { return ops_; }
  [[nodiscard]] const SimStats& stats() const { return stats_; }
  [[nodiscard]] const raft::testing::InvariantChecker& checker() const { return checker_; }

 private:
  struct Client {
    std::int64_t process = 0;
    std::optional<std::size_t> current;  // index into ops_ of the request in flight
    bool timeout_armed = false;          // a TimeoutEvent for this client is queued
  };

  // simulator.cc: the event loop
  void dispatch(EventBody& body);
  void schedule_start();
  void summary();
  void note(const std::string& text);
  SimNode& node(int id) { return *nodes_[static_cast<std::size_t>(id - 1)]; }
  [[nodiscard]] raft::ServiceConfig service_config(int id) const;

  // sim_network.cc: peer messages
  void node_sends(int from, int to, raft::PeerMessage&& message) override;
  void deliver(DeliverEvent& e);
  void check_vote(int from, const raft::PeerMessage& message);
  void record_vote(int voter, std::uint64_t term, int candidate);
  /// A paused node keeps the event for later; true if it did.
  bool defer_if_paused(SimNode& n, EventBody& body);

  // sim_clients.cc: the workload
  void client_next(int client);
  void request_arrives(std::size_t op);
  void node_responds(int node, raft::ClientHandle client, const raft::Outcome& outcome) override;
  void response_arrives(ResponseEvent& e);
  void client_timeout(int client);
  void client_done(std::size_t op);

  // sim_faults.cc: the fault schedule
  void apply_fault(Fault f);
  [[nodiscard]] int current_leader() const;  // 0: none
  void leader_elected(int id);
  void end_faults();
  void crash(SimNode& n, const char* how);
  void restart(SimNode& n);
  void corrupt(SimNode& n);
  /// Draws a disk's random choices (what a crash tears, which bit rots) from the run's RNG.
  raft::testing::MemoryFileSystem::Pick disk_pick();
  void pause(SimNode& n);
  void resume(SimNode& n);
  std::vector<SimNode*> targets(int node);

  // sim_membership.cc: configuration changes and leadership transfers (membership.h)
  void schedule_membership();
  void membership_step(bool recurring);
  [[nodiscard]] int pick_client_node();
  /// The configuration of the up node whose latest configuration entry is newest.
  [[nodiscard]] raft::ConfState latest_configuration() const;
  /// Liveness concerns members of the final configuration only (spares and removed nodes
  /// follow no leader); true for every node without membership changes.
  [[nodiscard]] bool counts_for_liveness(int node) const;
  /// The leader's configuration is final: committed, not joint, and it is a voter of it
  /// (else it is about to step down, §4.2.2, and the cluster to elect again).
  [[nodiscard]] bool configuration_settled(const raft::Raft& leader) const;
  /// Every configuration that may still be in force has, in each voter half, a majority
  /// of sound disks (plus `rotting`, if any, counted as lost).
  [[nodiscard]] bool final_quorum_sound(int rotting = 0) const;
  /// Bit rot may hit `n` without leaving a configuration that may be in force short of a
  /// sound majority (with membership changes; else the fixed minority rule applies).
  [[nodiscard]] bool may_rot(const SimNode& n) const { return final_quorum_sound(n.id()); }
  /// Records the configuration `r` uses (observe() calls it after every event).
  void note_configuration(const raft::Raft& r);
  /// Configurations seen in any node's log, by entry (index, term), from the latest one a
  /// node saw committed on: that one and every later one that may still win (§4.1). An
  /// uncommitted entry at an index may be replaced by another: the term tells them apart.
  std::map<std::pair<std::uint64_t, std::uint64_t>, raft::ConfState> configurations_;

  // sim_observe.cc: invariants after each event, liveness, the final checks
  void after_event(SimNode& n);
  void observe(SimNode& n);
  void note_role_change(SimNode& n);
  void check_stable_leader();
  void check_log_matching();
  void check_tail_log_matching();
  void finish(SimResult& r);
  void check_liveness(SimResult& r);
  void check_durability(SimResult& r);
  void node_applied(int node, const raft::Entry& entry, raft::Term term) override;
  void node_restored(int node, const raft::SnapshotMeta& meta) override;

  SimConfig config_;
  Rng rng_;
  std::shared_ptr<Workload> workload_;  // shared with the result, which needs it to check
  EventQueue queue_;
  Micros now_ = 0;
  bool started_ = false;
  std::vector<std::unique_ptr<SimNode>> nodes_;
  std::vector<Fault> faults_;  // time-ordered, then faults resolved at run time
  std::vector<Fault> waiting_for_leader_;  // next-leader faults not yet triggered

  // network state
  Cuts cuts_;
  double loss_ = 0;
  double dup_ = 0;
  bool faults_over_ = false;

  // clients
  std::vector<Client> clients_;
  std::vector<ClientOp> ops_;
  std::int64_t next_process_ = 0;

  // checks
  raft::testing::InvariantChecker checker_;
  std::vector<std::string> sim_violations_;  // found by the simulator itself
  std::map<std::pair<int, std::uint64_t>, int> votes_;  // (voter, term) -> candidate
  std::set<std::pair<int, std::uint64_t>> leaders_seen_;
  std::optional<Micros> stable_leader_at_;
  /// Every command applied anywhere, by log index (applied = committed; the logs that held
  /// them may since be compacted): what the durability check looks acknowledged commands up in.
  struct AppliedCommand {
    raft::NodeId origin;
    std::uint64_t seq = 0;
    std::string payload;
  };
  std::map<std::uint64_t, AppliedCommand> applied_commands_;
  /// Snapshot content check: a reference replica -- the workload's state machine with the
  /// service's exactly-once bookkeeping (raft::ReplicatedState) -- applies the committed
  /// log in order (envelopes wait in `reference_queue_` until every earlier index is
  /// known), recording the machine's fingerprint (Workload::fingerprint) after each index;
  /// every snapshot a node stores must match it.
  void advance_reference();
  void check_snapshot(SimNode& n);
  std::unique_ptr<raft::StateMachine> reference_machine_;
  raft::ReplicatedState reference_;
  std::map<std::uint64_t, std::optional<std::string>> reference_queue_;
  std::vector<std::uint64_t> reference_fingerprints_;  // [i]: after applying index i
  Micros next_log_matching_ = 0;
  Micros next_full_log_matching_ = 0;
  std::string aborted_;
  SimStats stats_;
  /// Peer messages in the event queue. The storm guard counts these, not the queue: the
  /// fault schedule is queued up front, and a long, dense one is not a storm.
  std::size_t messages_queued_ = 0;
};

}  // namespace raftsim
