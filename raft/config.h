// How a Raft node is set up. Everything the core needs from the outside world is here or
// passed to its constructor: no clocks, no threads, no sockets, no global state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "raft/planted_bugs.h"
#include "raft/types.h"

namespace spdlog {
class logger;
}

namespace raft {

struct Config {
  /// This node. Must not be kNoNode and must be one of `voters`.
  NodeId id;
  /// Every voting member, this node included. (Membership changes will move this into
  /// configuration entries in the log; learners will join as a second list.)
  std::vector<NodeId> voters;

  /// Election timeout T in ticks. Each follower waits a random number of ticks in [T, 2T)
  /// before campaigning (§5.2: randomized timeouts make split votes rare).
  int election_tick = 10;
  /// A leader sends heartbeats every this many ticks. Must be < election_tick.
  int heartbeat_tick = 1;

  /// Pre-vote (thesis §9.6): a candidate first asks whether it *could* win, without
  /// bumping its term, so a node rejoining from a partition cannot disrupt a healthy leader.
  bool pre_vote = true;
  /// Check-quorum (thesis §6.2): a leader that has not heard from a quorum within an
  /// election timeout steps down; followers that heard from a leader within the timeout
  /// ignore vote requests (the leader lease that makes pre-vote airtight).
  bool check_quorum = true;

  /// Lease reads (thesis §6.4.1), opt-in: a leader that a quorum answered recently serves
  /// reads at once, with no confirmation round. Sound only because check-quorum makes
  /// followers refuse votes for an election timeout after hearing from their leader, so
  /// it requires check_quorum (the constructor refuses it otherwise). It assumes clocks:
  /// no node's tick runs slower or faster than nominal by more than max_clock_drift (a
  /// fraction). The lease lasts lease_ticks() = floor((election_tick - 1) * (1 - drift) /
  /// (1 + drift)) ticks from when the leader opened the round a quorum answered -- always
  /// shorter than the election timeout. Off: every read is confirmed (ReadIndex, §6.4).
  bool lease_read = false;
  double max_clock_drift = 0.1;

  /// Flow control for replication: entries and bytes per AppendEntries, and how many
  /// AppendEntries may be in flight to one follower in Replicate state.
  std::size_t max_entries_per_msg = 1024;
  std::size_t max_bytes_per_msg = 1 << 20;
  /// The largest entry payload propose() accepts (larger ones are refused, see
  /// NotLeader::too_large). No more than max_bytes_per_msg by default, so every entry fits
  /// in one AppendEntries of the usual size; a single larger entry would still be sent
  /// alone in one message.
  std::size_t max_entry_bytes = 1 << 20;
  std::size_t max_inflight_msgs = 256;
  /// InstallSnapshot (§7) sends a snapshot in chunks of at most this many bytes, one at a
  /// time: bounded messages (a line-based transport keeps reasonable lines) and a transfer
  /// that resumes where it stopped after a lost chunk.
  std::size_t max_snapshot_chunk_bytes = 64 << 10;

  /// Seed of this node's RNG (election timeouts). 0 picks one derived from `id`.
  std::uint64_t seed = 0;

  /// Where the core logs. Null means a shared spdlog logger named "raft" writing to stderr.
  std::shared_ptr<spdlog::logger> logger;

  /// Test-only; ignored unless built as raft_planted_bugs (see planted_bugs.h).
  PlantedBugs planted_bugs;

  /// How long a lease lasts, in the leader's ticks (see lease_read); 0 if too short to use.
  [[nodiscard]] int lease_ticks() const;
};

}  // namespace raft
