// Helpers shared by the membership tests (membership_test.cc, membership_demotion_test.cc).
#pragma once

#include <algorithm>
#include <string>

#include "raft/testing/cluster.h"
#include "test_util.h"

namespace raft::test {

inline void manual_cfg(Config& c) { manual(c); }

inline ConfChangeRequest one(ConfChangeType t, std::uint64_t node, bool joint = false) {
  return ConfChangeRequest{{ConfChange{t, NodeId{node}}}, joint};
}

inline bool has_applied(testing::Cluster& c, NodeId id, const std::string& data) {
  const auto& a = c.state(id).applied;
  return std::any_of(a.begin(), a.end(), [&](const Entry& e) { return e.data == data; });
}

/// Commits a proposal through `leader` and spreads the commit index to the followers.
inline void commit_one(testing::Cluster& c, NodeId leader, const std::string& data) {
  ASSERT_TRUE(c.propose(leader, data).has_value());
  c.spread_commit();
}

/// A leader (node 1) elected in an n-voter cluster whose first own-term entry committed.
inline testing::Cluster settled(std::size_t n = 3, std::uint64_t seed = 1) {
  testing::Cluster c(n, seed, manual_cfg);
  c.elect(NodeId{1});
  return c;
}

}  // namespace raft::test
