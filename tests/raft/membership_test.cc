// Membership changes (thesis chapter 4): joint consensus, the single-server shortcut and
// its precondition, learners, the configuration across restarts and snapshots, and the
// errors an embedder gets for a change the core refuses.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "raft/testing/cluster.h"
#include "membership_util.h"
#include "test_util.h"

namespace raft {
namespace {

using test::bodies_of;
using test::ids;
using test::msg;
using test::Solo;
using testing::Cluster;
using Code = AdminError::Code;

using test::commit_one;
using test::has_applied;
using test::manual_cfg;
using test::one;
using test::settled;

// ---- configuration values -------------------------------------------------------------

TEST(Configuration, EntryEncodingRoundTripsAndRejectsDamage) {
  const ConfState c{ids({1, 2, 4}), ids({1, 2, 3}), ids({7})};
  const Bytes b = encode_conf_state(c);
  auto back = decode_conf_state(b.view());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, c);
  for (std::size_t cut = 0; cut < b.size(); ++cut) {
    EXPECT_FALSE(decode_conf_state(b.view().substr(0, cut)).has_value()) << "cut at " << cut;
  }
  const ConfState learner_votes{ids({1, 2}), {}, ids({2})};
  EXPECT_FALSE(decode_conf_state(encode_conf_state(learner_votes).view()).has_value());
}

TEST(Configuration, TargetRefusesEveryMalformedChangeWithAReason) {
  const ConfState cur{ids({1, 2, 3}), {}, ids({4})};
  auto refuse = [&](std::vector<ConfChange> ch, const std::string& why) {
    auto r = target_configuration(cur, ch);
    ASSERT_FALSE(r.has_value()) << why;
    EXPECT_NE(r.error().find(why), std::string::npos) << r.error();
  };
  refuse({}, "no step");
  refuse({{ConfChangeType::kAddVoter, NodeId{0}}}, "reserved");
  refuse({{ConfChangeType::kAddVoter, NodeId{2}}}, "already a voter");
  refuse({{ConfChangeType::kAddLearner, NodeId{4}}}, "already a learner");
  refuse({{ConfChangeType::kPromote, NodeId{9}}}, "not a learner");
  refuse({{ConfChangeType::kRemove, NodeId{9}}}, "not a member");
  refuse({{ConfChangeType::kAddVoter, NodeId{5}}, {ConfChangeType::kRemove, NodeId{5}}},
         "listed twice");
  refuse({{ConfChangeType::kRemove, NodeId{1}}, {ConfChangeType::kRemove, NodeId{2}},
          {ConfChangeType::kRemove, NodeId{3}}},
         "last voter");
  auto ok = target_configuration(cur, std::vector<ConfChange>{{ConfChangeType::kPromote, NodeId{4}}});
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->voters, ids({1, 2, 3, 4}));
  EXPECT_TRUE(ok->learners.empty());
}

TEST(Configuration, JointQuorumNeedsAMajorityOfBothHalves_4_3) {
  const JointConfig j(ids({1, 2, 3}), ids({3, 4, 5}));
  // Acked indexes: the old half {1,2,3} reached 10 on a majority; the new half only 3.
  const std::map<std::uint64_t, std::uint64_t> acked{{1, 10}, {2, 10}, {3, 3}, {4, 3}, {5, 0}};
  EXPECT_EQ(j.committed_index([&](NodeId n) { return Index{acked.at(n.value())}; }), Index{3});
  auto votes = [&](std::set<std::uint64_t> yes) {
    return j.vote_result([&](NodeId n) -> std::optional<bool> { return yes.contains(n.value()); });
  };
  EXPECT_EQ(votes({1, 2}), VoteResult::kLost) << "no majority of {3,4,5} can follow";
  EXPECT_EQ(votes({1, 3, 4}), VoteResult::kWon);
}

// ---- the configuration takes effect on append ------------------------------------------

TEST(JointConsensus, ConfigurationTakesEffectWhenAppendedNotWhenCommitted_4_1) {
  Cluster c = settled();
  c.add_node(NodeId{4});
  c.add_node(NodeId{5});
  c.cut(NodeId{1}, NodeId{2});
  c.cut(NodeId{1}, NodeId{3});  // nothing the leader appends can commit
  auto r = c.change(NodeId{1}, ConfChangeRequest{{{ConfChangeType::kAddVoter, NodeId{4}},
                                                  {ConfChangeType::kAddVoter, NodeId{5}}}});
  ASSERT_TRUE(r.has_value()) << r.error().message();
  c.deliver_all();
  EXPECT_LT(c.node(NodeId{1}).log().committed(), r->index);
  const ConfState& conf = c.node(NodeId{1}).configuration();
  EXPECT_TRUE(conf.joint());
  EXPECT_EQ(conf.voters, ids({1, 2, 3, 4, 5}));
  EXPECT_EQ(conf.voters_outgoing, ids({1, 2, 3}));
  // The new nodes appended it too, and use it at once.
  EXPECT_EQ(c.node(NodeId{4}).configuration(), conf);
  EXPECT_TRUE(c.node(NodeId{1}).voters().joint());
}

TEST(JointConsensus, FollowerFallsBackWhenAnUncommittedConfigurationIsOverwritten_4_1) {
  Solo s(2, ids({1, 2, 3}), manual_cfg);
  Entry conf{Term{1}, Index{2}, EntryType::kConfig,
             encode_conf_state(ConfState{ids({1, 2, 3}), {}, ids({9})})};
  s.raft->step(msg(1, 2, 1, AppendRequest{Index{0}, Term{0}, {test::entry(1, 1), conf}, Index{0}}));
  s.persist();
  ASSERT_TRUE(s.raft->configuration().is_learner(NodeId{9})) << "in effect once appended";
  // A leader of term 2 never had it: its entry 2 replaces ours, and with it the change.
  s.raft->step(msg(3, 2, 2, AppendRequest{Index{1}, Term{1}, {test::entry(2, 2, "x")}, Index{0}}));
  Ready rd = s.persist();
  EXPECT_FALSE(s.raft->configuration().is_learner(NodeId{9}));
  EXPECT_EQ(s.raft->configuration().voters, ids({1, 2, 3}));
  ASSERT_TRUE(rd.conf_state.has_value()) << "the fall-back is reported";
}

TEST(JointConsensus, ReplacingAVoterGoesThroughJointAndLeavesItAutomatically_4_3) {
  Cluster c = settled();
  c.add_node(NodeId{4});
  auto r = c.change(NodeId{1}, ConfChangeRequest{{{ConfChangeType::kAddVoter, NodeId{4}},
                                                  {ConfChangeType::kRemove, NodeId{3}}}});
  ASSERT_TRUE(r.has_value()) << r.error().message();
  c.deliver_all();
  const ConfState& conf = c.node(NodeId{1}).configuration();
  EXPECT_FALSE(conf.joint()) << conf.describe();
  EXPECT_EQ(conf.voters, ids({1, 2, 4}));
  EXPECT_GT(c.node(NodeId{1}).configuration_index(), r->index) << "C_new follows C_old,new";
  EXPECT_LE(c.node(NodeId{1}).configuration_index(), c.node(NodeId{1}).log().committed());
  commit_one(c, NodeId{1}, "after");
  EXPECT_TRUE(has_applied(c, NodeId{4}, "after"));
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

TEST(JointConsensus, JointEntryCommitsOnlyWithAMajorityOfTheNewVotersToo_4_3) {
  Cluster c = settled();
  for (std::uint64_t n : {4, 5, 6}) c.add_node(NodeId{n});
  for (std::uint64_t n : {4, 5, 6}) c.isolate(NodeId{n});
  auto r = c.change(NodeId{1}, ConfChangeRequest{{{ConfChangeType::kAddVoter, NodeId{4}},
                                                  {ConfChangeType::kAddVoter, NodeId{5}},
                                                  {ConfChangeType::kAddVoter, NodeId{6}}}});
  ASSERT_TRUE(r.has_value());
  c.deliver_all();
  // All of C_old = {1,2,3} hold it, but C_new = {1..6} has only 3 of 6: not committed.
  EXPECT_LT(c.node(NodeId{1}).log().committed(), r->index);
  c.heal();
  c.run(5);
  EXPECT_GE(c.node(NodeId{1}).log().committed(), r->index);
  EXPECT_FALSE(c.node(NodeId{1}).configuration().joint());
}

TEST(JointConsensus, LeaderNotInTheNewConfigurationStepsDownOnceItCommits_4_2_2) {
  Cluster c = settled();
  c.add_node(NodeId{4});
  auto r = c.change(NodeId{1}, ConfChangeRequest{{{ConfChangeType::kAddVoter, NodeId{4}},
                                                  {ConfChangeType::kRemove, NodeId{1}}}});
  ASSERT_TRUE(r.has_value());
  // Until C_new commits, it leads (and manages the change) without counting itself.
  c.deliver_all();
  EXPECT_FALSE(c.node(NodeId{1}).is_leader());
  EXPECT_FALSE(c.node(NodeId{1}).configuration().is_voter(NodeId{1}));
  // The rest elect a leader among C_new and go on committing.
  c.isolate(NodeId{1});
  const NodeId l = c.wait_for_leader();
  ASSERT_FALSE(l.is_none());
  EXPECT_NE(l, NodeId{1});
  commit_one(c, l, "without-1");
  EXPECT_TRUE(has_applied(c, NodeId{4}, "without-1"));
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

TEST(JointConsensus, RemovedNodeDoesNotCampaign_4_2) {
  Cluster c = settled();
  ASSERT_TRUE(c.change(NodeId{1}, one(ConfChangeType::kRemove, 3)).has_value());
  c.deliver_all();
  ASSERT_FALSE(c.node(NodeId{3}).configuration().is_member(NodeId{3}));
  for (int i = 0; i < 50; ++i) c.tick(NodeId{3});
  EXPECT_EQ(c.node(NodeId{3}).role(), Role::kFollower);
  c.node(NodeId{3}).campaign();
  EXPECT_EQ(c.node(NodeId{3}).role(), Role::kFollower);
}

// ---- the single-server shortcut --------------------------------------------------------

TEST(SingleServerChange, AddsOneVoterWithoutJointConsensus_4_2) {
  Cluster c = settled();
  c.add_node(NodeId{4});
  auto r = c.change(NodeId{1}, one(ConfChangeType::kAddVoter, 4));
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(c.node(NodeId{1}).configuration().joint());
  c.deliver_all();
  EXPECT_EQ(c.node(NodeId{1}).configuration().voters, ids({1, 2, 3, 4}));
  EXPECT_EQ(c.node(NodeId{1}).configuration_index(), r->index) << "no second entry";
  EXPECT_EQ(c.node(NodeId{4}).configuration().voters, ids({1, 2, 3, 4}));
}

TEST(SingleServerChange, RefusedUntilAnEntryOfTheLeadersTermCommitted_4_2) {
  Cluster c(3, 1, manual_cfg);
  c.isolate(NodeId{1});
  c.node(NodeId{1}).campaign();
  c.heal();
  // Let the vote requests through but hold every append: elected, nothing committed yet.
  c.set_filter([](Message& m) { return std::holds_alternative<AppendRequest>(m.body); });
  c.deliver_all();
  ASSERT_TRUE(c.node(NodeId{1}).is_leader());
  auto r = c.change(NodeId{1}, one(ConfChangeType::kRemove, 3));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Code::kNotYetCommitted) << r.error().message();
  // A learner change cannot shift a quorum: allowed at once.
  EXPECT_TRUE(c.change(NodeId{1}, one(ConfChangeType::kAddLearner, 7)).has_value());
  c.set_filter({});
  c.run(3);
  EXPECT_TRUE(c.change(NodeId{1}, one(ConfChangeType::kRemove, 3)).has_value());
}

// ---- errors ----------------------------------------------------------------------------

TEST(ConfChangeErrors, FollowerRefusesWithTheLeaderHint) {
  Cluster c = settled();
  auto r = c.change(NodeId{2}, one(ConfChangeType::kRemove, 3));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Code::kNotLeader);
  EXPECT_EQ(r.error().leader, NodeId{1});
  EXPECT_NE(r.error().message().find("node 1"), std::string::npos);
}

TEST(ConfChangeErrors, SecondChangeWhileOneIsPendingIsRefused_4_1) {
  Cluster c = settled();
  c.isolate(NodeId{1});
  ASSERT_TRUE(c.change(NodeId{1}, one(ConfChangeType::kAddLearner, 5)).has_value());
  auto r = c.change(NodeId{1}, one(ConfChangeType::kAddLearner, 6));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Code::kChangePending);
  EXPECT_NE(r.error().message().find("in progress"), std::string::npos);
}

TEST(ConfChangeErrors, RemovingTheLastVoterAndPromotingAnUnknownNodeAreRefused) {
  Cluster c(1, 1, manual_cfg);
  c.elect(NodeId{1});
  auto last = c.change(NodeId{1}, one(ConfChangeType::kRemove, 1));
  ASSERT_FALSE(last.has_value());
  EXPECT_EQ(last.error().code, Code::kInvalid);
  EXPECT_NE(last.error().message().find("last voter"), std::string::npos);
  auto unknown = c.change(NodeId{1}, one(ConfChangeType::kPromote, 8));
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message().find("not a learner"), std::string::npos);
}

// ---- learners --------------------------------------------------------------------------

TEST(Learner, ReceivesTheLogButNeverCountsTowardCommit) {
  Cluster c = settled();
  c.add_node(NodeId{4});
  ASSERT_TRUE(c.change(NodeId{1}, one(ConfChangeType::kAddLearner, 4)).has_value());
  c.deliver_all();
  commit_one(c, NodeId{1}, "seen-by-learner");
  EXPECT_TRUE(has_applied(c, NodeId{4}, "seen-by-learner"));
  // Leader plus learner is not a quorum of {1,2,3}.
  c.isolate(NodeId{2});
  c.isolate(NodeId{3});
  auto p = c.propose(NodeId{1}, "needs-a-voter");
  ASSERT_TRUE(p.has_value());
  c.deliver_all();
  EXPECT_EQ(c.node(NodeId{4}).log().last_index(), p->index) << "the learner has it";
  EXPECT_LT(c.node(NodeId{1}).log().committed(), p->index) << "but it does not count";
}

TEST(Learner, NeverCampaigns) {
  Cluster c = settled();
  c.add_node(NodeId{4});
  ASSERT_TRUE(c.change(NodeId{1}, one(ConfChangeType::kAddLearner, 4)).has_value());
  c.deliver_all();
  c.isolate(NodeId{4});
  for (int i = 0; i < 100; ++i) c.tick(NodeId{4});
  EXPECT_EQ(c.node(NodeId{4}).role(), Role::kFollower);
  EXPECT_EQ(c.node(NodeId{4}).term(), c.node(NodeId{1}).term());
}

TEST(Learner, PromotedOnceCaughtUpThenVotesAndCounts) {
  Cluster c = settled();
  for (int i = 0; i < 20; ++i) commit_one(c, NodeId{1}, "e" + std::to_string(i));
  c.add_node(NodeId{4});
  ASSERT_TRUE(c.change(NodeId{1}, one(ConfChangeType::kAddLearner, 4)).has_value());
  c.deliver_all();
  const Progress* pr = c.node(NodeId{1}).progress(NodeId{4});
  ASSERT_NE(pr, nullptr);
  EXPECT_EQ(pr->match(), c.node(NodeId{1}).log().last_index()) << "caught up";
  ASSERT_TRUE(c.change(NodeId{1}, one(ConfChangeType::kPromote, 4)).has_value());
  c.deliver_all();
  EXPECT_TRUE(c.node(NodeId{4}).configuration().is_voter(NodeId{4}));
  // Now 1 + 4 are a quorum of {1,2,3,4}? No: 3 of 4 are needed, so 1, 4 and one more.
  c.isolate(NodeId{3});
  commit_one(c, NodeId{1}, "with-4");
  EXPECT_TRUE(has_applied(c, NodeId{4}, "with-4"));
  EXPECT_TRUE(has_applied(c, NodeId{2}, "with-4"));
}

// ---- durability ------------------------------------------------------------------------

TEST(ConfigurationDurability, RestartRecoversTheConfigurationFromTheLog_4_1) {
  Cluster c = settled();
  c.add_node(NodeId{4});
  ASSERT_TRUE(c.change(NodeId{1}, one(ConfChangeType::kAddLearner, 4)).has_value());
  c.deliver_all();
  const ConfState before = c.node(NodeId{2}).configuration();
  c.crash(NodeId{2});
  c.restart(NodeId{2});
  EXPECT_EQ(c.node(NodeId{2}).configuration(), before);
  c.crash(NodeId{4});
  c.restart(NodeId{4});  // started with no voters: everything comes from its storage
  EXPECT_TRUE(c.node(NodeId{4}).configuration().is_learner(NodeId{4}));
}

TEST(ConfigurationDurability, RestartRecoversTheConfigurationFromASnapshot_5_1) {
  Cluster c = settled();
  c.add_node(NodeId{4});
  ASSERT_TRUE(c.change(NodeId{1}, one(ConfChangeType::kAddLearner, 4)).has_value());
  c.deliver_all();
  commit_one(c, NodeId{1}, "y");
  c.compact(NodeId{2});
  ASSERT_GT(c.state(NodeId{2}).storage->snapshot().meta.index, Index{0});
  EXPECT_EQ(c.state(NodeId{2}).storage->snapshot().meta.learners, ids({4}));
  c.crash(NodeId{2});
  c.restart(NodeId{2});
  EXPECT_TRUE(c.node(NodeId{2}).configuration().is_learner(NodeId{4}));
}

TEST(ConfigurationDurability, NewNodeLearnsTheConfigurationFromTheLeadersSnapshot_5_1) {
  Cluster c = settled();
  for (int i = 0; i < 5; ++i) commit_one(c, NodeId{1}, "s" + std::to_string(i));
  ASSERT_TRUE(c.change(NodeId{1}, one(ConfChangeType::kAddLearner, 5)).has_value());
  c.deliver_all();
  commit_one(c, NodeId{1}, "z");
  c.compact(NodeId{1});  // node 5's first append must now be a snapshot
  c.add_node(NodeId{5});
  c.run(5);
  EXPECT_TRUE(c.node(NodeId{5}).configuration().is_learner(NodeId{5}));
  EXPECT_EQ(c.node(NodeId{5}).configuration().voters, ids({1, 2, 3}));
  EXPECT_TRUE(has_applied(c, NodeId{5}, "z"));
}

TEST(ConfigurationDurability, ReadyReportsEveryConfigurationChange) {
  Solo s(1, ids({1}), manual_cfg);
  s.raft->campaign();
  s.persist();
  s.persist();
  ASSERT_TRUE(s.raft->is_leader());
  ASSERT_TRUE(s.raft->propose_conf_change(one(ConfChangeType::kAddLearner, 2)).has_value());
  Ready rd = s.persist();
  ASSERT_TRUE(rd.conf_state.has_value());
  EXPECT_EQ(rd.conf_state->learners, ids({2}));
  EXPECT_FALSE(s.persist().conf_state.has_value()) << "reported once";
}

}  // namespace
}  // namespace raft
