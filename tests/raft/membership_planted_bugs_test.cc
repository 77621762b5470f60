// The membership checks have teeth: each planted membership bug, switched on in the
// raft_planted_bugs core, is caught by the invariant checker in a scenario that the
// correct core (same binary, switch off) passes.
#include <gtest/gtest.h>

#include "raft/testing/cluster.h"
#include "test_util.h"

namespace raft {
namespace {

using testing::Cluster;

ConfChangeRequest single(ConfChangeType t, std::uint64_t node) {
  return ConfChangeRequest{{ConfChange{t, NodeId{node}}}, false};
}

bool is_append_to(const Message& m, std::set<std::uint64_t> to) {
  return std::holds_alternative<AppendRequest>(m.body) && to.contains(m.to.value());
}

// Learners counted toward the commit quorum: leader 1 and learners 4, 5 (3 of 5 members)
// "commit" an entry no other voter has; voters 2 and 3 then elect a leader without it.
std::string learner_in_quorum(bool bug) {
  Cluster c(3, 3, [&](Config& cfg) {
    test::manual(cfg);
    cfg.planted_bugs.learner_counts_in_quorum = bug;
  });
  c.elect(NodeId{1});
  c.add_node(NodeId{4});
  c.add_node(NodeId{5});
  EXPECT_TRUE(c.change(NodeId{1}, ConfChangeRequest{{{ConfChangeType::kAddLearner, NodeId{4}},
                                                     {ConfChangeType::kAddLearner, NodeId{5}}}})
                  .has_value());
  c.deliver_all();
  c.cut(NodeId{1}, NodeId{2});
  c.cut(NodeId{1}, NodeId{3});
  EXPECT_TRUE(c.propose(NodeId{1}, "only-on-1-and-4").has_value());
  c.deliver_all();
  c.crash(NodeId{1});
  c.elect(NodeId{2});
  EXPECT_TRUE(c.node(NodeId{2}).is_leader());
  return c.checker().report();
}

TEST(PlantedBugs, LearnerCountedTowardCommitIsCaughtByInvariantChecker) {
  EXPECT_EQ(learner_in_quorum(false), "");
  EXPECT_NE(learner_in_quorum(true).find("Leader Completeness"), std::string::npos);
}

// The 2015 single-server bug (thesis §4.2, raft-dev "bug in single-server membership
// changes"): C0 = {1,2,3,4}. Leader 1 (term 1) adds 5; only 5 receives it. Leader 2 of
// term 2 -- before committing anything of its term -- removes 1; {2,3} commit that under
// C2 = {2,3,4}. Then 1 wins term 3 under C1 = {1..5} with 4 and 5 and never had it.
std::string single_server_before_commit(bool bug) {
  Cluster c(4, 4, [&](Config& cfg) {
    test::manual(cfg);
    cfg.planted_bugs.single_server_change_before_commit = bug;
  });
  c.elect(NodeId{1});
  c.add_node(NodeId{5});
  for (std::uint64_t n : {2, 3, 4}) c.cut(NodeId{1}, NodeId{n});
  EXPECT_TRUE(c.change(NodeId{1}, single(ConfChangeType::kAddVoter, 5)).has_value());
  c.deliver_all();
  for (std::uint64_t n : {2, 3, 4}) c.cut(NodeId{5}, NodeId{n});
  // Node 2 is elected by 2, 3, 4; its no-op reaches nobody, so nothing of term 2 commits.
  c.set_filter([](Message& m) { return is_append_to(m, {3, 4}); });
  c.elect(NodeId{2});
  EXPECT_TRUE(c.node(NodeId{2}).is_leader());
  const bool accepted = c.change(NodeId{2}, single(ConfChangeType::kRemove, 1)).has_value();
  EXPECT_EQ(accepted, bug) << "the correct core refuses until its term has a commit";
  c.set_filter([](Message& m) { return is_append_to(m, {4}); });
  for (int i = 0; i < 3; ++i) {
    c.tick(NodeId{2});  // heartbeat answers re-probe node 3, which then gets everything
    c.deliver_all();
  }
  if (bug) {
    EXPECT_EQ(c.node(NodeId{2}).log().committed(), Index{3}) << "removal committed by {2,3}";
  }
  c.set_filter({});
  c.heal();
  c.crash(NodeId{1});  // it still leads term 1 in its own eyes
  c.restart(NodeId{1});
  for (std::uint64_t n : {2, 3}) c.cut(NodeId{1}, NodeId{n});
  c.elect(NodeId{1});  // term 2: node 4 already voted in it
  c.elect(NodeId{1});  // term 3: 4 and 5 vote for it, a majority of {1..5}
  EXPECT_TRUE(c.node(NodeId{1}).is_leader());
  return c.checker().report();
}

TEST(PlantedBugs, SingleServerChangeBeforeOwnTermCommitIsCaughtByInvariantChecker) {
  EXPECT_EQ(single_server_before_commit(false), "");
  EXPECT_NE(single_server_before_commit(true).find("Leader Completeness"), std::string::npos);
}

// A configuration applied on commit instead of on append: the leader keeps using the old
// quorum while a change is in flight, which the checker's Configuration rule catches as
// soon as the node is observed with the new entry appended and the old configuration used.
std::string config_on_commit(bool bug) {
  Cluster c(3, 5, [&](Config& cfg) {
    test::manual(cfg);
    cfg.planted_bugs.config_on_commit = bug;
  });
  c.elect(NodeId{1});
  c.add_node(NodeId{4});
  c.add_node(NodeId{5});
  c.isolate(NodeId{1});
  EXPECT_TRUE(c.change(NodeId{1}, ConfChangeRequest{{{ConfChangeType::kAddVoter, NodeId{4}},
                                                     {ConfChangeType::kAddVoter, NodeId{5}}}})
                  .has_value());
  c.process_ready();
  return c.checker().report();
}

TEST(PlantedBugs, ConfigurationAppliedOnCommitIsCaughtByInvariantChecker) {
  EXPECT_EQ(config_on_commit(false), "");
  EXPECT_NE(config_on_commit(true).find("takes effect when appended"), std::string::npos)
      << config_on_commit(true);
}

}  // namespace
}  // namespace raft
