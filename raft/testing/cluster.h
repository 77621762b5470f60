// A small deterministic in-test network of Raft nodes on MemoryStorage: messages are
// queued, and tests decide what is delivered, dropped or reordered. Every node's Ready is
// carried out exactly as docs/raft-core.md prescribes, and the InvariantChecker looks at
// each node after every step, so any test built on it checks safety for free.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "raft/raft.h"
#include "raft/testing/invariants.h"

namespace raft::testing {

struct ClusterNode {
  Config config;
  std::unique_ptr<MemoryStorage> storage;  // survives crashes
  std::unique_ptr<Raft> raft;              // null while crashed
  std::vector<Entry> applied;              // state machine: every applied entry (restored
                                           // from the snapshot after a restart)
  std::vector<ReadState> reads;            // reads served
  std::vector<std::string> dropped_reads;
};

class Cluster {
 public:
  /// Nodes 1..n. `tweak` may adjust each node's config (pre-vote, check-quorum, ...).
  explicit Cluster(std::size_t n, std::uint64_t seed = 1,
                   const std::function<void(Config&)>& tweak = {});

  /// Starts node `id` with an empty configuration (Config::voters empty): a machine about
  /// to be added to the running cluster. It learns the configuration from the leader.
  void add_node(NodeId id);

  [[nodiscard]] std::vector<NodeId> ids() const;
  Raft& node(NodeId id) { return *nodes_.at(id).raft; }
  ClusterNode& state(NodeId id) { return nodes_.at(id); }
  InvariantChecker& checker() { return checker_; }

  // ---- driving --------------------------------------------------------------------
  /// Carries out every pending Ready (persist, send, apply, advance) until none is left.
  void process_ready();
  void tick(NodeId id);
  void tick_all();
  /// Delivers queued messages (processing Readies in between) until the network is
  /// quiet or max_messages were delivered. Returns how many were delivered.
  std::size_t deliver_all(std::size_t max_messages = 20'000);
  /// Delivers the i-th queued message only.
  void deliver_at(std::size_t i);
  /// Ticks every node and delivers, `rounds` times.
  void run(int rounds);
  /// Ticks only the leaders through two heartbeat intervals, delivering: a new commit index
  /// reaches followers with the next append or heartbeat, and a follower that just got an
  /// append skips one heartbeat. Followers are not ticked, so no election starts.
  void spread_commit();
  /// Runs until some node leads and every connected node knows it; returns it (or
  /// kNoNode after max_rounds).
  NodeId wait_for_leader(int max_rounds = 200);
  /// Makes `id` campaign and delivers until quiet.
  void elect(NodeId id);

  // ---- network faults -------------------------------------------------------------
  std::deque<Message>& queue() { return queue_; }
  /// The queued messages `from` sent (not yet delivered), in order.
  [[nodiscard]] std::vector<Message> queued_from(NodeId from) const;
  void drop_all() { queue_.clear(); }
  void shuffle_queue();
  /// Messages between `a` and `b` are dropped (both directions) until heal().
  void cut(NodeId a, NodeId b);
  void isolate(NodeId id);
  void partition(const std::set<NodeId>& side);
  void heal() { cuts_.clear(); }
  /// Every delivered message first passes through `filter`, which may change it, or
  /// return true to drop it (until cleared with {}).
  void set_filter(std::function<bool(Message&)> filter) { filter_ = std::move(filter); }

  // ---- node faults ----------------------------------------------------------------
  /// Loses all volatile state (and messages queued to the node); storage survives.
  void crash(NodeId id);
  void restart(NodeId id);
  /// Log compaction on `id`: a snapshot of its state machine (the applied entries) at its
  /// applied index replaces its log up to there.
  void compact(NodeId id);

  // ---- client side ----------------------------------------------------------------
  Expected<Proposal, NotLeader> propose(NodeId id, std::string data);
  Expected<Proposal, AdminError> change(NodeId id, const ConfChangeRequest& request);
  /// The leader of the highest term among live nodes (kNoNode if none).
  [[nodiscard]] NodeId leader() const;
  void check_log_matching();

 private:
  bool process_ready_once(ClusterNode& n);
  [[nodiscard]] bool connected(NodeId a, NodeId b) const;

  std::map<NodeId, ClusterNode> nodes_;
  std::deque<Message> queue_;
  std::set<std::pair<NodeId, NodeId>> cuts_;
  std::function<bool(Message&)> filter_;
  std::function<void(Config&)> tweak_;
  std::uint64_t seed_;
  std::mt19937_64 rng_;
  InvariantChecker checker_;
};

}  // namespace raft::testing
