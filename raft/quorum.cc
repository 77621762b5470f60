#include "raft/quorum.h"

#include <algorithm>
#include <functional>
#include <iterator>

namespace raft {

MajorityConfig::MajorityConfig(std::vector<NodeId> voters) : voters_(std::move(voters)) {
  std::sort(voters_.begin(), voters_.end());
  voters_.erase(std::unique(voters_.begin(), voters_.end()), voters_.end());
}

bool MajorityConfig::contains(NodeId id) const {
  return std::binary_search(voters_.begin(), voters_.end(), id);
}

std::uint64_t MajorityConfig::quorum_of(std::uint64_t* v, std::size_t n) const {
  auto* nth = v + (quorum() - 1);
  std::nth_element(v, nth, v + n, std::greater<>());
  return *nth;
}

std::vector<NodeId> JointConfig::voters() const {
  std::vector<NodeId> all;
  std::set_union(incoming_.voters().begin(), incoming_.voters().end(),
                 outgoing_.voters().begin(), outgoing_.voters().end(), std::back_inserter(all));
  return all;
}

}  // namespace raft
