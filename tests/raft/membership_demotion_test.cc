// Demoting a voter to a learner (thesis chapter 4): a voter removal plus a learner
// addition in one change. Alone it is a single-server change (§4.2: one voter leaves);
// with other voter changes, or when asked for, it goes through joint consensus (§4.3),
// where the node still votes in C_old and is already listed as a learner, which it stays
// once C_new is in force (etcd's LearnersNext). The demoted node keeps its log and keeps
// receiving entries; it never campaigns again.
#include <gtest/gtest.h>

#include <algorithm>

#include "raft/testing/cluster.h"
#include "membership_util.h"
#include "test_util.h"

namespace raft {
namespace {

using test::ids;
using testing::Cluster;

using test::has_applied;
using test::manual_cfg;
using test::one;
using test::settled;

TEST(Configuration, AddingAVoterAsALearnerDemotesIt) {
  const ConfState cur{ids({1, 2, 3}), {}, {}};
  auto r = target_configuration(cur, std::vector<ConfChange>{{ConfChangeType::kAddLearner, NodeId{3}}});
  ASSERT_TRUE(r.has_value()) << r.error();
  EXPECT_EQ(r->voters, ids({1, 2}));
  EXPECT_EQ(r->learners, ids({3}));
  EXPECT_EQ(voters_changed(cur, *r), 1U) << "one voter leaves: the single-server shortcut applies";
}

TEST(Configuration, ALearnerMayBeAnOutgoingVoterButNeverAnIncomingOne) {
  const ConfState demoting{ids({1, 2}), ids({1, 2, 3}), ids({3})};
  auto back = decode_conf_state(encode_conf_state(demoting).view());
  ASSERT_TRUE(back.has_value()) << back.error();
  EXPECT_EQ(*back, demoting);
  EXPECT_TRUE(back->is_voter(NodeId{3}));
  EXPECT_TRUE(back->is_learner(NodeId{3}));
  EXPECT_EQ(back->members(), ids({1, 2, 3}));
  const ConfState bad{ids({1, 2, 3}), ids({1, 2}), ids({3})};
  EXPECT_FALSE(decode_conf_state(encode_conf_state(bad).view()).has_value());
}

TEST(SingleServerChange, DemotedVoterStaysAsLearnerAndNoLongerCounts_4_2) {
  Cluster c = settled();
  auto r = c.change(NodeId{1}, one(ConfChangeType::kAddLearner, 3));
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_FALSE(c.node(NodeId{1}).configuration().joint()) << "one voter changes: no joint step";
  c.deliver_all();
  for (std::uint64_t n : {1, 2, 3}) {
    EXPECT_EQ(c.node(NodeId{n}).configuration().voters, ids({1, 2})) << n;
    EXPECT_EQ(c.node(NodeId{n}).configuration().learners, ids({3})) << n;
  }
  ASSERT_TRUE(c.propose(NodeId{1}, "seen-by-3").has_value());
  c.spread_commit();  // followers learn the commit index with the next message
  EXPECT_TRUE(has_applied(c, NodeId{3}, "seen-by-3")) << "a learner still gets the log";
  // Leader plus the demoted node is not a majority of {1,2}.
  c.isolate(NodeId{2});
  auto p = c.propose(NodeId{1}, "needs-2");
  ASSERT_TRUE(p.has_value());
  c.deliver_all();
  EXPECT_EQ(c.node(NodeId{3}).log().last_index(), p->index);
  EXPECT_LT(c.node(NodeId{1}).log().committed(), p->index) << "the learner counted";
  // It never campaigns either.
  c.isolate(NodeId{3});
  for (int i = 0; i < 100; ++i) c.tick(NodeId{3});
  EXPECT_EQ(c.node(NodeId{3}).role(), Role::kFollower);
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

TEST(JointConsensus, DemotedVoterVotesInCOldThenStaysAsLearner_4_3) {
  Cluster c = settled();
  c.add_node(NodeId{4});
  // Replace voter 3 by 4 and keep 3 as a learner: two voters change, so joint.
  auto r = c.change(NodeId{1}, ConfChangeRequest{{{ConfChangeType::kAddVoter, NodeId{4}},
                                                  {ConfChangeType::kAddLearner, NodeId{3}}}});
  ASSERT_TRUE(r.has_value()) << r.error().message();
  const ConfState joint = c.node(NodeId{1}).configuration();
  ASSERT_TRUE(joint.joint()) << joint.describe();
  EXPECT_EQ(joint.voters, ids({1, 2, 4}));
  EXPECT_EQ(joint.voters_outgoing, ids({1, 2, 3}));
  EXPECT_TRUE(joint.is_voter(NodeId{3})) << "3 still votes in C_old";
  EXPECT_TRUE(joint.is_learner(NodeId{3}));
  c.deliver_all();
  for (std::uint64_t n : {1, 2, 3, 4}) {
    const ConfState& conf = c.node(NodeId{n}).configuration();
    EXPECT_FALSE(conf.joint()) << n << ": " << conf.describe();
    EXPECT_EQ(conf.voters, ids({1, 2, 4})) << n;
    EXPECT_EQ(conf.learners, ids({3})) << n;
  }
  ASSERT_TRUE(c.propose(NodeId{1}, "after").has_value());
  c.spread_commit();  // followers learn the commit index with the next message
  EXPECT_TRUE(has_applied(c, NodeId{3}, "after"));
  EXPECT_TRUE(has_applied(c, NodeId{4}, "after"));
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

TEST(JointConsensus, DemotionAskedForAsJointNeedsAMajorityOfCOldIncludingTheDemotedVoter_4_3) {
  Cluster c = settled();
  c.isolate(NodeId{2});
  auto r = c.change(NodeId{1}, one(ConfChangeType::kAddLearner, 3, /*joint=*/true));
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_TRUE(c.node(NodeId{1}).configuration().joint());
  c.isolate(NodeId{3});
  c.deliver_all();
  // C_new = {1,2} lacks 2 and C_old = {1,2,3} lacks 2 and 3: nothing commits.
  EXPECT_LT(c.node(NodeId{1}).log().committed(), r->index);
  c.heal();
  c.run(5);
  EXPECT_GE(c.node(NodeId{1}).log().committed(), r->index);
  const ConfState& conf = c.node(NodeId{1}).configuration();
  EXPECT_FALSE(conf.joint()) << conf.describe();
  EXPECT_EQ(conf.learners, ids({3}));
}

TEST(SingleServerChange, DemotedLeaderStepsDownAndFollowsAsLearner_4_2_2) {
  Cluster c = settled();
  ASSERT_TRUE(c.change(NodeId{1}, one(ConfChangeType::kAddLearner, 1)).has_value());
  c.deliver_all();
  EXPECT_FALSE(c.node(NodeId{1}).is_leader()) << "steps down once the change commits";
  EXPECT_TRUE(c.node(NodeId{1}).configuration().is_learner(NodeId{1}));
  const NodeId l = c.wait_for_leader();
  ASSERT_FALSE(l.is_none());
  EXPECT_NE(l, NodeId{1});
  ASSERT_TRUE(c.propose(l, "new-leader").has_value());
  c.spread_commit();  // followers learn the commit index with the next message
  EXPECT_TRUE(has_applied(c, NodeId{1}, "new-leader"));
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

}  // namespace
}  // namespace raft
