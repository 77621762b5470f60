#include "raft/read_only.h"

#include <algorithm>

namespace raft {

std::uint64_t ReadOnly::add(std::string context, NodeId requester, Index index) {
  const std::uint64_t seq = next_seq_++;
  pending_.push_back(PendingRead{std::move(context), requester, index, seq});
  return seq;
}

std::uint64_t ReadOnly::newest_pending_seq() const {
  return pending_.empty() ? 0 : pending_.back().seq;
}

std::vector<PendingRead> ReadOnly::ack(NodeId self, NodeId from, std::uint64_t seq,
                                       const JointConfig& voters) {
  std::vector<PendingRead> confirmed;
  if (seq == 0 || !voters.contains(from)) return confirmed;
  std::uint64_t& acked = acked_[from];
  acked = std::max(acked, seq);
  const std::uint64_t newest = next_seq_ - 1;
  const std::uint64_t quorum_seq = voters.quorum_value([&](NodeId id) -> std::uint64_t {
    if (id == self) return newest;
    auto it = acked_.find(id);
    return it == acked_.end() ? 0 : it->second;
  });
  while (!pending_.empty() && pending_.front().seq <= quorum_seq) {
    confirmed.push_back(std::move(pending_.front()));
    pending_.pop_front();
  }
  return confirmed;
}

std::vector<PendingRead> ReadOnly::take_all() {
  std::vector<PendingRead> all(std::make_move_iterator(pending_.begin()),
                               std::make_move_iterator(pending_.end()));
  pending_.clear();
  return all;
}

}  // namespace raft
