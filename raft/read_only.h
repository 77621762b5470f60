// The leader's confirmation rounds (§6.4 of the thesis): ReadIndex reads and the leader
// lease (§6.4.1) both rest on them.
//
// A round is a number the leader opens when a read arrives (or on its heartbeat tick) and
// puts on every AppendEntries and heartbeat it sends from then on; followers echo it. A
// voter that echoed round s was still in the leader's term after round s was opened, so
// a quorum echoing s proves no newer leader existed when s was opened.
//
// ReadIndex:
// 1. The read records the leader's commit index (the "read index") and opens a round.
// 2. Once a quorum answered that round -- the leader counts itself, and a read asked for
//    by a follower counts that follower, which checks the leader's term when the answer
//    arrives (raft/read_index.cc) -- the read is confirmed.
// 3. It is served as soon as the state machine has applied the read index (the core holds
//    it until then, or hands it to the asking follower).
// Lease: the tick at which the newest round a quorum has answered was opened is the start
// of the lease; see Raft::lease_valid. Rounds are per term: a new leader starts afresh.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "raft/quorum.h"
#include "raft/types.h"

namespace raft {

struct PendingRead {
  std::string context;
  NodeId requester;  // the leader itself, or the follower that forwarded the read
  Index index;       // commit index when the read was registered
  std::uint64_t seq = 0;
};

class ReadOnly {
 public:
  /// Opens a round at leader tick `now`; messages sent from now on carry it.
  std::uint64_t open_round(std::uint64_t now);
  /// The round messages carry: the newest one opened (0 before the first).
  [[nodiscard]] std::uint64_t newest_round() const { return newest_round_; }

  /// Registers a read in a new round; returns the round.
  std::uint64_t add(std::string context, NodeId requester, Index index, std::uint64_t now);
  /// Round of the newest / oldest read still awaiting confirmation (0 if none).
  [[nodiscard]] std::uint64_t newest_pending_seq() const;
  [[nodiscard]] std::uint64_t oldest_pending_seq() const {
    return pending_.empty() ? 0 : pending_.front().seq;
  }
  [[nodiscard]] bool empty() const { return pending_.empty(); }
  /// The follower every pending read came from, if they all came from the same one.
  [[nodiscard]] NodeId common_requester(NodeId self) const;

  /// `from` echoed round `seq`. Returns the reads now confirmed, and forgets them.
  std::vector<PendingRead> ack(NodeId self, NodeId from, std::uint64_t seq,
                               const JointConfig& voters);
  /// The reads the answers so far confirm (e.g. one just registered by a follower whose
  /// own vote, with the leader's, is a quorum), and forgets them.
  std::vector<PendingRead> take_confirmed(NodeId self, const JointConfig& voters);
  /// Newest round `id` echoed.
  [[nodiscard]] std::uint64_t acked(NodeId id) const;

  /// The newest round at least `min_round` that a quorum has answered, and the tick at
  /// which it was opened; nullopt if none.
  [[nodiscard]] std::optional<std::pair<std::uint64_t, std::uint64_t>> quorum_round(
      NodeId self, const JointConfig& voters, std::uint64_t min_round) const;

  /// Every read still pending, for a leader that steps down (they can no longer be served).
  std::vector<PendingRead> take_all();

 private:
  std::uint64_t newest_round_ = 0;
  std::deque<PendingRead> pending_;
  std::unordered_map<NodeId, std::uint64_t> acked_;  // newest round echoed, per voter
  /// When each recent round was opened, oldest first (for the lease).
  std::deque<std::pair<std::uint64_t, std::uint64_t>> opened_;
};

}  // namespace raft
