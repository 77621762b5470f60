// Everything a simulated run depends on. Two runs with equal SimConfigs are identical,
// event for event: the seed drives every random choice, the schedule every fault.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "raft/planted_bugs.h"
#include "raftsim/latency.h"
#include "raftsim/membership.h"
#include "raftsim/schedule.h"
#include "raftsim/time.h"

namespace raftsim {

class Timeline;
class Workload;
struct WorkloadConfig;

/// Makes the service's workload for a run (workload.h): raft-kv's is kv_workload.h's.
using WorkloadFactory = std::function<std::unique_ptr<Workload>(const WorkloadConfig&)>;

struct ClusterConfig {
  int nodes = 5;
  /// Virtual time between two ticks of one node (each node ticks at its own phase).
  Micros tick = millis(10);
  int election_tick = 10;
  int heartbeat_tick = 2;
  bool pre_vote = true;
  bool check_quorum = true;
  /// Entries per AppendEntries. 1 lets an old-term entry reach a follower ahead of the
  /// new leader's no-op behind it -- the precondition of the Figure 8 scenario (§5.4.2).
  std::size_t max_entries_per_msg = 1024;
  int leader_wait_ticks = 20;
  int request_timeout_ticks = 100;
  /// Log compaction every this many applied entries (raft::ServiceConfig::snapshot_entries):
  /// often (every few dozen entries: about twice a simulated second at 100 ops/s), so that
  /// runs exercise snapshots, InstallSnapshot and restarts from them. 0: never. (16 cost
  /// the simulator a tenth of its time -- every node encodes, writes and the simulator
  /// checks each snapshot -- and reached no path that 32 does not.)
  std::uint64_t snapshot_entries = 32;
  /// InstallSnapshot chunk size: small, so a transfer takes several chunks to lose,
  /// duplicate and reorder.
  std::size_t snapshot_chunk_bytes = 256;
  /// The deduplication window per node (raft::Dedup): 5 clients keep at most 5 requests in
  /// flight, so 32 is ample (several times what one node can have outstanding, retries
  /// included), and keeps the snapshot -- which holds the whole window -- small.
  std::size_t dedup_window = 32;
  /// Lease reads (raft::Config::lease_read) and batching with a bound
  /// (raft::ServiceConfig::max_batch_delay_ticks): the properties run with both on and off.
  bool lease_read = false;
  int batch_delay_ticks = 0;
  /// Honoured only when the simulator is linked with raft_planted_bugs (raftsim_planted).
  raft::PlantedBugs bugs;
};

struct WorkloadConfig {
  int clients = 5;
  /// All clients together, on average (each client thinks for an exponential time).
  double ops_per_sec = 100;
  /// For workloads that use them (kv's, the counter's): few keys and few values, so that
  /// requests meet each other's writes.
  int keys = 3;
  int values = 5;
  int read_percent = 40;
  int write_percent = 30;  // the rest are cas
  /// A client gives up on a request after this long (the op is then indefinite).
  Micros timeout = millis(500);
  /// One-way latency between a client and a node. Client links are never cut or lossy
  /// (as in Maelstrom, partitions are between nodes).
  Latency latency = Latency::uniform(millis(1), millis(3));
};

struct CheckConfig {
  /// Observe a node's invariants after every k-th event it handles (1: every event).
  int observe_every = 1;
  /// Pairwise Log Matching over the uncommitted tails of all live nodes' logs this often.
  /// (Committed prefixes are compared with the cluster's committed log on every
  /// observation, as State Machine Safety.)
  Micros log_matching_every = seconds(1);
  /// Pairwise Log Matching over whole logs -- O(nodes² × log length) -- this often, and
  /// at the end.
  Micros full_log_matching_every = seconds(60);
  /// Liveness bound: after the faults end, a leader everyone follows within this many
  /// election timeouts (election_tick × tick).
  int leader_within_timeouts = 10;
  /// A run with more peer messages than this in flight is stopped as a message storm (a
  /// liveness failure): a broken core can amplify messages without bound. Only messages
  /// count -- not ticks, client events or the fault schedule queued up front.
  std::size_t max_queued_messages = 50'000;
};

struct SimConfig {
  std::uint64_t seed = 1;
  /// The service under test: its state machine, client requests and model. Required.
  WorkloadFactory make_workload;
  ClusterConfig cluster;
  /// One-way latency between nodes, drawn per message (reordering follows).
  Latency latency = Latency::uniform(millis(1), millis(10));
  WorkloadConfig workload;
  Schedule schedule;
  /// Total virtual time; should leave time after schedule.end for recovery.
  Micros duration = seconds(5);
  CheckConfig checks;
  /// Configuration changes and leadership transfers during the run (membership.h).
  MembershipConfig membership;
  /// Optional narration (not owned).
  Timeline* timeline = nullptr;
};

}  // namespace raftsim
