// Majority arithmetic (§5.2 elections, §5.3/§5.4.2 commitment, §6.4 ReadIndex).
//
// One place computes "what a majority agrees on", so that joint consensus (two majorities
// at once, §6 of the thesis) can later replace MajorityConfig without touching callers.
#pragma once

#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "raft/types.h"

namespace raft {

enum class VoteResult { kPending, kWon, kLost };

class MajorityConfig {
 public:
  MajorityConfig() = default;
  explicit MajorityConfig(std::vector<NodeId> voters);

  [[nodiscard]] const std::vector<NodeId>& voters() const { return voters_; }
  [[nodiscard]] bool contains(NodeId id) const;
  [[nodiscard]] std::size_t size() const { return voters_.size(); }
  [[nodiscard]] std::size_t quorum() const { return voters_.size() / 2 + 1; }

  /// The largest value that a majority of voters have reached, given each voter's value:
  /// with acked log indexes this is the commit point (§5.3); with ReadIndex round numbers,
  /// the newest round a quorum confirmed (§6.4). Templated: it sits on the hot path of
  /// every AppendEntries reply.
  template <class ValueOf>
  [[nodiscard]] std::uint64_t quorum_value(ValueOf&& value_of) const {
    if (voters_.empty()) return 0;
    std::uint64_t small[kSmall];
    std::vector<std::uint64_t> large;
    std::uint64_t* v = small;
    if (voters_.size() > kSmall) {
      large.resize(voters_.size());
      v = large.data();
    }
    for (std::size_t i = 0; i < voters_.size(); ++i) v[i] = value_of(voters_[i]);
    return quorum_of(v, voters_.size());
  }

  template <class AckedIndexOf>
  [[nodiscard]] Index committed_index(AckedIndexOf&& acked) const {
    return Index{quorum_value([&](NodeId id) { return Index{acked(id)}.value(); })};
  }

  /// Election outcome given each voter's answer (nullopt = not answered yet).
  template <class VoteOf>
  [[nodiscard]] VoteResult vote_result(VoteOf&& vote_of) const {
    std::size_t yes = 0, no = 0;
    for (NodeId id : voters_) {
      const std::optional<bool> v = vote_of(id);
      if (!v) continue;
      (*v ? yes : no)++;
    }
    if (yes >= quorum()) return VoteResult::kWon;
    if (voters_.size() - no < quorum()) return VoteResult::kLost;
    return VoteResult::kPending;
  }

 private:
  static constexpr std::size_t kSmall = 16;
  /// The quorum()-th largest of v[0..n): a value at least quorum() voters have reached.
  [[nodiscard]] std::uint64_t quorum_of(std::uint64_t* v, std::size_t n) const;

  std::vector<NodeId> voters_;  // sorted, unique
};

/// The quorum rules of a configuration, joint or not (thesis §4.3): while joint, an
/// election or a commitment needs a majority of the incoming voters *and* a majority of
/// the outgoing ones; otherwise only the incoming set exists. Learners are not in it.
class JointConfig {
 public:
  JointConfig() = default;
  JointConfig(std::vector<NodeId> incoming, std::vector<NodeId> outgoing)
      : incoming_(std::move(incoming)), outgoing_(std::move(outgoing)) {}

  [[nodiscard]] bool joint() const { return outgoing_.size() > 0; }
  [[nodiscard]] const MajorityConfig& incoming() const { return incoming_; }
  [[nodiscard]] const MajorityConfig& outgoing() const { return outgoing_; }
  [[nodiscard]] bool contains(NodeId id) const {
    return incoming_.contains(id) || outgoing_.contains(id);
  }
  /// Every voter of either half, sorted.
  [[nodiscard]] std::vector<NodeId> voters() const;

  /// The largest value both majorities reached: the smaller of the two (§4.3).
  template <class ValueOf>
  [[nodiscard]] std::uint64_t quorum_value(ValueOf&& value_of) const {
    const std::uint64_t in = incoming_.quorum_value(value_of);
    if (!joint()) return in;
    return std::min(in, outgoing_.quorum_value(value_of));
  }

  template <class AckedIndexOf>
  [[nodiscard]] Index committed_index(AckedIndexOf&& acked) const {
    return Index{quorum_value([&](NodeId id) { return Index{acked(id)}.value(); })};
  }

  /// Won only when both halves are won; lost as soon as either half is lost.
  template <class VoteOf>
  [[nodiscard]] VoteResult vote_result(VoteOf&& vote_of) const {
    const VoteResult in = incoming_.vote_result(vote_of);
    if (!joint()) return in;
    const VoteResult out = outgoing_.vote_result(vote_of);
    if (in == VoteResult::kLost || out == VoteResult::kLost) return VoteResult::kLost;
    if (in == VoteResult::kWon && out == VoteResult::kWon) return VoteResult::kWon;
    return VoteResult::kPending;
  }

 private:
  MajorityConfig incoming_;
  MajorityConfig outgoing_;
};

}  // namespace raft
