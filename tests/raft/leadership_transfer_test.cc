// Leadership transfer (thesis §3.10) and campaign() on a leader.
#include <gtest/gtest.h>

#include "raft/testing/cluster.h"
#include "test_util.h"

namespace raft {
namespace {

using test::bodies_of;
using test::msg;
using test::Solo;
using testing::Cluster;
using Code = AdminError::Code;

// Pre-vote and check-quorum on, as in production: the transfer must get past both.
Cluster production_cluster(std::uint64_t seed = 1) {
  Cluster c(3, seed);
  c.elect(NodeId{1});
  c.run(2);
  return c;
}

TEST(LeadershipTransfer, CaughtUpTargetBecomesLeaderDespitePreVoteAndLease_3_10) {
  Cluster c = production_cluster();
  ASSERT_TRUE(c.node(NodeId{1}).is_leader());
  const Term before = c.node(NodeId{1}).term();
  ASSERT_TRUE(c.node(NodeId{1}).transfer_leadership(NodeId{3}).has_value());
  c.deliver_all();
  EXPECT_TRUE(c.node(NodeId{3}).is_leader());
  EXPECT_EQ(c.node(NodeId{3}).term(), before.next()) << "one election, no pre-vote round";
  EXPECT_EQ(c.node(NodeId{1}).leader(), NodeId{3});
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

TEST(LeadershipTransfer, LeaderBringsALaggingTargetUpToDateFirst_3_10) {
  Cluster c = production_cluster();
  c.isolate(NodeId{3});
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(c.propose(NodeId{1}, "w" + std::to_string(i)));
  c.deliver_all();
  c.heal();
  ASSERT_LT(c.node(NodeId{3}).log().last_index(), c.node(NodeId{1}).log().last_index());
  ASSERT_TRUE(c.node(NodeId{1}).transfer_leadership(NodeId{3}).has_value());
  c.process_ready();
  // No TimeoutNow yet: the target lacks entries; the leader sends those first.
  for (const Message& m : c.queue()) {
    EXPECT_FALSE(std::holds_alternative<TimeoutNow>(m.body)) << "TimeoutNow before catch-up";
  }
  c.deliver_all();
  EXPECT_TRUE(c.node(NodeId{3}).is_leader());
  EXPECT_EQ(c.node(NodeId{3}).log().committed(), c.node(NodeId{3}).log().last_index());
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

TEST(LeadershipTransfer, LeaderTakesNoProposalsWhileTransferring_3_10) {
  Cluster c = production_cluster();
  c.isolate(NodeId{3});
  ASSERT_TRUE(c.node(NodeId{1}).transfer_leadership(NodeId{3}).has_value());
  EXPECT_EQ(c.node(NodeId{1}).transfer_target(), NodeId{3});
  auto p = c.node(NodeId{1}).propose("refused");
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().transferring_to, NodeId{3});
  EXPECT_NE(p.error().message().find("transferred to node 3"), std::string::npos);
  auto change = c.node(NodeId{1}).propose_conf_change(
      ConfChangeRequest{{{ConfChangeType::kAddLearner, NodeId{7}}}});
  ASSERT_FALSE(change.has_value());
  EXPECT_EQ(change.error().code, Code::kTransferring);
}

TEST(LeadershipTransfer, AbandonedAfterAnElectionTimeout_3_10) {
  Cluster c = production_cluster();
  c.isolate(NodeId{3});
  ASSERT_TRUE(c.node(NodeId{1}).transfer_leadership(NodeId{3}).has_value());
  const int election_tick = c.node(NodeId{1}).config().election_tick;
  for (int i = 0; i < election_tick - 1; ++i) c.tick(NodeId{1});
  EXPECT_EQ(c.node(NodeId{1}).transfer_target(), NodeId{3});
  c.tick(NodeId{1});
  EXPECT_EQ(c.node(NodeId{1}).transfer_target(), kNoNode);
  EXPECT_TRUE(c.node(NodeId{1}).is_leader());
  EXPECT_TRUE(c.propose(NodeId{1}, "accepted-again").has_value());
}

TEST(LeadershipTransfer, RefusesANonVoterTargetAndANonLeader) {
  Cluster c = production_cluster();
  auto learner = c.node(NodeId{1}).transfer_leadership(NodeId{9});
  ASSERT_FALSE(learner.has_value());
  EXPECT_EQ(learner.error().code, Code::kInvalid);
  EXPECT_NE(learner.error().message().find("not a voter"), std::string::npos);
  auto follower = c.node(NodeId{2}).transfer_leadership(NodeId{3});
  ASSERT_FALSE(follower.has_value());
  EXPECT_EQ(follower.error().code, Code::kNotLeader);
  EXPECT_EQ(follower.error().leader, NodeId{1});
  EXPECT_TRUE(c.node(NodeId{1}).transfer_leadership(NodeId{1}).has_value()) << "no-op";
  EXPECT_EQ(c.node(NodeId{1}).transfer_target(), kNoNode);
}

TEST(LeadershipTransfer, VotersIgnoreTheLeaseOnlyForATransferElection_3_10) {
  // A follower that just heard from its leader refuses an ordinary vote request of a
  // higher term (the lease, §6.2) but grants a transfer's.
  Solo s(2, test::ids({1, 2, 3}));
  s.raft->step(msg(1, 2, 1, HeartbeatRequest{Index{0}, 0}));
  s.persist();
  s.raft->step(msg(3, 2, 2, VoteRequest{false, Index{0}, Term{0}, false}));
  EXPECT_TRUE(bodies_of<VoteResponse>(s.outbox()).empty()) << "ignored under the lease";
  s.raft->step(msg(3, 2, 2, VoteRequest{false, Index{0}, Term{0}, true}));
  auto votes = bodies_of<VoteResponse>(s.outbox());
  ASSERT_EQ(votes.size(), 1u);
  EXPECT_TRUE(votes[0].granted);
}

TEST(LeadershipTransfer, LearnerIgnoresTimeoutNow) {
  Solo s(4, {});  // a node that joins later: no configuration yet
  s.raft->step(msg(1, 4, 1, TimeoutNow{}));
  s.persist();
  EXPECT_EQ(s.raft->role(), Role::kFollower);
  EXPECT_EQ(s.raft->term(), Term{1});
}

TEST(Campaign, OnALeaderDoesNothing) {
  Cluster c = production_cluster();
  const Term t = c.node(NodeId{1}).term();
  c.node(NodeId{1}).campaign();
  c.deliver_all();
  EXPECT_TRUE(c.node(NodeId{1}).is_leader());
  EXPECT_EQ(c.node(NodeId{1}).term(), t);
}

}  // namespace
}  // namespace raft
