// Leader election: §5.2, §5.4.1, pre-vote (thesis §9.6) and check-quorum (thesis §6.2).
#include <gtest/gtest.h>

#include <set>

#include "raft/testing/cluster.h"
#include "test_util.h"

namespace raft {
namespace {

using test::bodies_of;
using test::msg;
using test::Solo;
using testing::Cluster;

void no_pre_vote(Config& c) { c.pre_vote = false; }

TEST(Election, ClusterElectsExactlyOneLeader_5_2) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    Cluster c(5, seed);
    const NodeId l = c.wait_for_leader();
    ASSERT_FALSE(l.is_none()) << "seed " << seed;
    int leaders = 0;
    for (NodeId id : c.ids()) leaders += c.node(id).is_leader() ? 1 : 0;
    EXPECT_EQ(leaders, 1) << "seed " << seed;
    EXPECT_TRUE(c.checker().ok()) << c.checker().report();
  }
}

// §5.2: election timeouts are randomized; here in [T, 2T).
TEST(Election, RandomizedTimeoutIsWithinTto2T_5_2) {
  std::set<int> seen;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    Solo s(1, test::ids({1, 2, 3}), [&](Config& c) {
      c.seed = seed;
      c.pre_vote = false;
    });
    int ticks = 0;
    while (s.raft->role() == Role::kFollower && ticks < 100) {
      s.raft->tick();
      ++ticks;
    }
    ASSERT_GE(ticks, 10);
    ASSERT_LT(ticks, 20);
    seen.insert(ticks);
  }
  EXPECT_GT(seen.size(), 5u) << "timeouts should actually vary";
}

// §5.2: "Each server will vote for at most one candidate in a given term".
TEST(Election, VotesAtMostOncePerTerm_5_2) {
  Solo s(1, test::ids({1, 2, 3}), no_pre_vote);
  s.raft->step(msg(2, 1, 5, VoteRequest{false, Index{0}, Term{0}}));
  auto first = bodies_of<VoteResponse>(s.outbox());
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(first[0].granted);
  EXPECT_EQ(s.raft->vote(), NodeId{2});
  s.raft->step(msg(3, 1, 5, VoteRequest{false, Index{0}, Term{0}}));
  auto second = bodies_of<VoteResponse>(s.outbox());
  ASSERT_EQ(second.size(), 1u);
  EXPECT_FALSE(second[0].granted);
  // A repeated request from the same candidate is granted again (its reply may be lost).
  s.raft->step(msg(2, 1, 5, VoteRequest{false, Index{0}, Term{0}}));
  EXPECT_TRUE(bodies_of<VoteResponse>(s.outbox()).at(0).granted);
}

// §5.4.1: "the voter denies its vote if its own log is more up-to-date than that of the
// candidate."
TEST(Election, DeniesVoteToCandidateWithStaleLog_5_4_1) {
  Solo s(1, test::ids({1, 2, 3}), no_pre_vote);
  s.storage.append({test::entry(1, 1), test::entry(2, 2)});
  s.storage.set_hard_state(HardState{Term{2}, kNoNode, Index{0}});
  s.raft = std::make_unique<Raft>(s.config, s.storage);
  s.raft->step(msg(2, 1, 3, VoteRequest{false, Index{5}, Term{1}}));
  EXPECT_FALSE(bodies_of<VoteResponse>(s.outbox()).at(0).granted);
  s.raft->step(msg(3, 1, 3, VoteRequest{false, Index{2}, Term{2}}));
  EXPECT_TRUE(bodies_of<VoteResponse>(s.outbox()).at(0).granted);
}

// Regression: a vote grant must not leave before the vote is persisted; a crash in between
// would let this node vote again in the same term.
TEST(Election, VoteGrantLeavesOnlyAfterPersisting) {
  Solo s(1, test::ids({1, 2, 3}), no_pre_vote);
  s.raft->step(msg(2, 1, 7, VoteRequest{false, Index{0}, Term{0}}));
  Ready rd = s.raft->ready();
  EXPECT_TRUE(bodies_of<VoteResponse>(rd.messages).empty());
  auto after = bodies_of<VoteResponse>(rd.messages_after_persist);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_TRUE(after[0].granted);
  ASSERT_TRUE(rd.hard_state);
  EXPECT_EQ(rd.hard_state->term, Term{7});
  EXPECT_EQ(rd.hard_state->vote, NodeId{2});
}

// The candidate's own vote is state too: its vote requests wait for persistence.
TEST(Election, CandidateRequestsVotesOnlyAfterPersistingItsTerm_5_2) {
  Solo s(1, test::ids({1, 2, 3}), no_pre_vote);
  s.raft->campaign();
  Ready rd = s.raft->ready();
  EXPECT_TRUE(bodies_of<VoteRequest>(rd.messages).empty());
  EXPECT_EQ(bodies_of<VoteRequest>(rd.messages_after_persist).size(), 2u);
  ASSERT_TRUE(rd.hard_state);
  EXPECT_EQ(rd.hard_state->term, Term{1});
  EXPECT_EQ(rd.hard_state->vote, NodeId{1});
}

// §5.2: "If the candidate receives an AppendEntries from another server claiming to be
// leader whose term is at least as large as the candidate's current term, then the
// candidate recognizes the leader as legitimate and returns to follower state."
TEST(Election, CandidateStepsDownOnAppendFromLeaderOfSameTerm_5_2) {
  Solo s(1, test::ids({1, 2, 3}), no_pre_vote);
  s.raft->campaign();
  s.persist();
  ASSERT_EQ(s.raft->role(), Role::kCandidate);
  s.raft->step(msg(2, 1, 1, AppendRequest{Index{0}, Term{0}, {}, Index{0}}));
  EXPECT_EQ(s.raft->role(), Role::kFollower);
  EXPECT_EQ(s.raft->leader(), NodeId{2});
  EXPECT_EQ(s.raft->term(), Term{1});
}

// §5.1: a newer term makes anyone step down -- here a leader.
TEST(Election, NewerTermMakesLeaderStepDown_5_1) {
  Cluster c(3, 7, no_pre_vote);
  c.elect(NodeId{1});
  ASSERT_TRUE(c.node(NodeId{1}).is_leader());
  const Term t = c.node(NodeId{1}).term();
  c.node(NodeId{1}).step(msg(2, 1, t.value() + 3, AppendResponse{}));
  EXPECT_EQ(c.node(NodeId{1}).role(), Role::kFollower);
  EXPECT_EQ(c.node(NodeId{1}).term(), Term{t.value() + 3});
}

// Responses from older terms are ignored (§5.1), even if they would grant a vote.
TEST(Election, VoteResponsesFromOlderTermsAreIgnored_5_1) {
  Solo s(1, test::ids({1, 2, 3}), no_pre_vote);
  s.raft->campaign();
  s.persist();
  s.raft->campaign();  // now term 2
  s.persist();
  ASSERT_EQ(s.raft->term(), Term{2});
  s.raft->step(msg(2, 1, 1, VoteResponse{false, true}));
  EXPECT_EQ(s.raft->role(), Role::kCandidate) << "a term-1 vote must not elect in term 2";
  s.raft->step(msg(2, 1, 2, VoteResponse{false, true}));
  EXPECT_EQ(s.raft->role(), Role::kLeader);
}

// A majority of rejections ends the candidacy early.
TEST(Election, CandidateLosingMajorityReturnsToFollower_5_2) {
  Solo s(1, test::ids({1, 2, 3}), no_pre_vote);
  s.raft->campaign();
  s.persist();
  s.raft->step(msg(2, 1, 1, VoteResponse{false, false}));
  s.raft->step(msg(3, 1, 1, VoteResponse{false, false}));
  EXPECT_EQ(s.raft->role(), Role::kFollower);
}

// Thesis §9.6: a pre-vote does not change the candidate's term, nor the voters' terms.
TEST(PreVote, PreVoteDoesNotBumpTerms_9_6) {
  Cluster c(3, 3);
  c.isolate(NodeId{1});
  for (int i = 0; i < 100; ++i) c.run(1);
  EXPECT_EQ(c.node(NodeId{1}).term(), Term{0}) << "an isolated pre-candidate keeps its term";
  EXPECT_NE(c.node(NodeId{1}).role(), Role::kLeader);
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

// Regression: a node rejoining from a partition does not disrupt the healthy leader
// (thesis §9.6). With pre-vote the isolated node never raised its term, so after the
// partition heals the leader and its term are untouched. The same scenario without
// pre-vote (and without check-quorum) shows what pre-vote prevents.
TEST(PreVote, RejoiningNodeDoesNotDisruptLeader_9_6) {
  auto rejoin = [](bool pre_vote) {
    Cluster c(3, 11, [&](Config& cfg) {
      cfg.pre_vote = pre_vote;
      cfg.check_quorum = pre_vote;
    });
    const NodeId l = c.wait_for_leader();
    EXPECT_FALSE(l.is_none());
    const Term t = c.node(l).term();
    const NodeId other = l == NodeId{3} ? NodeId{2} : NodeId{3};
    c.isolate(other);
    c.run(100);
    const Term isolated_term = c.node(other).term();
    c.heal();
    c.run(50);
    EXPECT_TRUE(c.checker().ok()) << c.checker().report();
    return std::tuple{c.node(l).is_leader() && c.node(l).term() == t, isolated_term, t};
  };
  auto [undisturbed, isolated_term, t] = rejoin(true);
  EXPECT_TRUE(undisturbed);
  EXPECT_EQ(isolated_term, t) << "the isolated node's pre-votes never raised its term";
  auto [undisturbed_without, isolated_term_without, t2] = rejoin(false);
  EXPECT_FALSE(undisturbed_without) << "without pre-vote the rejoining node deposes the leader";
  EXPECT_GT(isolated_term_without, t2);
}

// Thesis §6.2, check-quorum: a leader cut off from a majority steps down.
TEST(CheckQuorum, PartitionedLeaderStepsDown_6_2) {
  Cluster c(5, 5);
  const NodeId l = c.wait_for_leader();
  ASSERT_FALSE(l.is_none());
  c.isolate(l);
  for (int i = 0; i < 2 * c.node(l).config().election_tick + 1; ++i) c.run(1);
  EXPECT_NE(c.node(l).role(), Role::kLeader);
  // Meanwhile the majority elects a new leader of a higher term.
  const NodeId l2 = c.leader();
  ASSERT_FALSE(l2.is_none());
  EXPECT_NE(l2, l);
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

TEST(CheckQuorum, LeaderWithQuorumStaysLeader_6_2) {
  Cluster c(3, 9);
  const NodeId l = c.wait_for_leader();
  const Term t = c.node(l).term();
  c.run(200);
  EXPECT_TRUE(c.node(l).is_leader());
  EXPECT_EQ(c.node(l).term(), t);
}

// Regression: after a partition heals, a quorum elects one leader and every node follows.
TEST(PreVote, QuorumElectsLeaderAfterPartitionHeals_9_6) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    Cluster c(5, seed);
    c.wait_for_leader();
    c.partition({NodeId{1}, NodeId{2}});
    c.run(60);
    c.heal();
    const NodeId l = c.wait_for_leader();
    ASSERT_FALSE(l.is_none()) << "seed " << seed;
    for (NodeId id : c.ids()) EXPECT_EQ(c.node(id).leader(), l) << "seed " << seed;
    EXPECT_TRUE(c.checker().ok()) << c.checker().report();
  }
}

TEST(PreVote, PreVoteRejectedByUpToDateVoters_9_6) {
  Solo s(1, test::ids({1, 2, 3}));
  s.storage.append({test::entry(1, 2)});
  s.storage.set_hard_state(HardState{Term{2}, kNoNode, Index{0}});
  s.raft = std::make_unique<Raft>(s.config, s.storage);
  // Candidate 2's log is behind ours: no pre-vote, and our term is untouched.
  s.raft->step(msg(2, 1, 3, VoteRequest{true, Index{0}, Term{0}}));
  auto resp = bodies_of<VoteResponse>(s.outbox());
  ASSERT_EQ(resp.size(), 1u);
  EXPECT_FALSE(resp[0].granted);
  EXPECT_EQ(s.raft->term(), Term{2});
}

TEST(Election, SingleNodeElectsItselfAndCommits) {
  Cluster c(1, 1);
  const NodeId l = c.wait_for_leader();
  ASSERT_EQ(l, NodeId{1});
  ASSERT_TRUE(c.propose(l, "x"));
  c.process_ready();
  ASSERT_EQ(c.state(l).applied.size(), 2u);  // the no-op and "x"
  EXPECT_EQ(c.state(l).applied[1].data, "x");
}

}  // namespace
}  // namespace raft
