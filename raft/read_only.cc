#include "raft/read_only.h"

#include <algorithm>

namespace raft {

namespace {
// Rounds remembered for the lease. One opens per heartbeat tick or read; the lease needs
// only those newer than what a quorum answered, so this bounds a silent quorum's cost.
constexpr std::size_t kMaxRoundsRemembered = 4096;
}  // namespace

std::uint64_t ReadOnly::open_round(std::uint64_t now) {
  ++newest_round_;
  opened_.emplace_back(newest_round_, now);
  if (opened_.size() > kMaxRoundsRemembered) opened_.pop_front();
  return newest_round_;
}

std::uint64_t ReadOnly::add(std::string context, NodeId requester, Index index, std::uint64_t now) {
  const std::uint64_t seq = open_round(now);
  pending_.push_back(PendingRead{std::move(context), requester, index, seq});
  return seq;
}

std::uint64_t ReadOnly::newest_pending_seq() const {
  return pending_.empty() ? 0 : pending_.back().seq;
}

NodeId ReadOnly::common_requester(NodeId self) const {
  if (pending_.empty() || pending_.front().requester == self) return kNoNode;
  const NodeId first = pending_.front().requester;
  for (const PendingRead& r : pending_) {
    if (r.requester != first) return kNoNode;
  }
  return first;
}

std::uint64_t ReadOnly::acked(NodeId id) const {
  auto it = acked_.find(id);
  return it == acked_.end() ? 0 : it->second;
}

std::vector<PendingRead> ReadOnly::ack(NodeId self, NodeId from, std::uint64_t seq,
                                       const JointConfig& voters) {
  if (seq == 0 || !voters.contains(from)) return {};
  std::uint64_t& acked = acked_[from];
  if (seq <= acked) return {};
  acked = seq;
  return take_confirmed(self, voters);
}

std::vector<PendingRead> ReadOnly::take_confirmed(NodeId self, const JointConfig& voters) {
  std::vector<PendingRead> confirmed;
  // Each read counts its own requester (see the header), so reads from different
  // followers may be confirmed out of order; each is linearizable on its own.
  for (auto it = pending_.begin(); it != pending_.end();) {
    const PendingRead& r = *it;
    const std::uint64_t quorum_seq = voters.quorum_value([&](NodeId id) -> std::uint64_t {
      if (id == self || id == r.requester) return newest_round_;
      return acked(id);
    });
    if (r.seq <= quorum_seq) {
      confirmed.push_back(std::move(*it));
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
  return confirmed;
}

std::optional<std::pair<std::uint64_t, std::uint64_t>> ReadOnly::quorum_round(
    NodeId self, const JointConfig& voters, std::uint64_t min_round) const {
  const std::uint64_t round = voters.quorum_value([&](NodeId id) -> std::uint64_t {
    return id == self ? newest_round_ : acked(id);
  });
  if (round == 0 || round < min_round) return std::nullopt;
  // The deque is sorted by round; the quorum round may have been forgotten (too old).
  auto it = std::lower_bound(opened_.begin(), opened_.end(), round,
                             [](const auto& p, std::uint64_t r) { return p.first < r; });
  if (it == opened_.end() || it->first != round) return std::nullopt;
  return *it;
}

std::vector<PendingRead> ReadOnly::take_all() {
  std::vector<PendingRead> all(std::make_move_iterator(pending_.begin()),
                               std::make_move_iterator(pending_.end()));
  pending_.clear();
  return all;
}

}  // namespace raft
