// The leader's bookkeeping for ReadIndex (§6.4 of the thesis): linearizable reads that do
// not write to the log.
//
// 1. The read records the leader's commit index (the "read index").
// 2. The leader proves it is still leader: a quorum must answer a heartbeat sent *after*
//    the read was registered. Each read gets a round number (seq); heartbeats carry the
//    newest seq and replies echo it, so a reply for seq s confirms every read <= s.
// 3. Once confirmed, the read may be served as soon as the state machine has applied the
//    read index (RaftCore holds it until then, or hands it to the asking follower).
// Rounds are per term: a new leader starts with a fresh ReadOnly.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
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
  /// Registers a read; returns its round number, which the next heartbeats must carry.
  std::uint64_t add(std::string context, NodeId requester, Index index);

  /// Newest round that still awaits confirmation (0 if none).
  [[nodiscard]] std::uint64_t newest_pending_seq() const;
  [[nodiscard]] bool empty() const { return pending_.empty(); }

  /// `from` echoed round `seq`. Returns the reads now confirmed by a quorum (the leader
  /// counts itself as having seen every round), oldest first, and forgets them.
  std::vector<PendingRead> ack(NodeId self, NodeId from, std::uint64_t seq,
                               const JointConfig& voters);

  /// Every read still pending, for a leader that steps down (they can no longer be served).
  std::vector<PendingRead> take_all();

 private:
  std::uint64_t next_seq_ = 1;
  std::deque<PendingRead> pending_;
  std::unordered_map<NodeId, std::uint64_t> acked_;  // newest seq echoed, per voter
};

}  // namespace raft
