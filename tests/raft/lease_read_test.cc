// Lease reads (thesis §6.4.1): a leader that a quorum answered recently serves reads with
// no confirmation round, relying on check-quorum's promise that those followers refuse
// votes for an election timeout, and on clocks that drift by at most a stated bound.
#include <gtest/gtest.h>

#include <stdexcept>

#include "raft/testing/cluster.h"
#include "test_util.h"

namespace raft {
namespace {

using test::bodies_of;
using test::count_of;
using test::msg;
using testing::Cluster;

void lease(Config& c) {
  c.pre_vote = false;
  c.check_quorum = true;
  c.lease_read = true;
}

// A lease is only as good as the followers' promise; without check-quorum there is none.
TEST(LeaseRead, RefusedWithoutCheckQuorum_6_4_1) {
  Config c;
  c.id = NodeId{1};
  c.voters = {NodeId{1}, NodeId{2}, NodeId{3}};
  c.lease_read = true;
  c.check_quorum = false;
  MemoryStorage storage;
  EXPECT_THROW(Raft(c, storage), std::invalid_argument);
  c.check_quorum = true;
  EXPECT_NO_THROW(Raft(c, storage));
}

// The lease ends before any follower would vote again, even with both clocks off by the
// drift bound in the bad direction.
TEST(LeaseRead, TheLeaseIsShorterThanTheElectionTimeoutByTheDriftBound_6_4_1) {
  for (int election : {3, 10, 30, 100}) {
    for (double drift : {0.0, 0.05, 0.1, 0.3}) {
      Config c;
      c.election_tick = election;
      c.max_clock_drift = drift;
      const double leader_ticks = c.lease_ticks() * (1 + drift);
      const double follower_ticks = (election - 1) * (1 - drift);
      EXPECT_LE(leader_ticks, follower_ticks + 1e-9) << election << " " << drift;
      EXPECT_LT(c.lease_ticks(), election);
    }
  }
}

Cluster leased_cluster() {
  Cluster c(3, 7, lease);
  const NodeId l = c.wait_for_leader();
  EXPECT_FALSE(l.is_none());
  c.spread_commit();
  return c;
}

TEST(LeaseRead, ALeaderServesAtOnceWhileItsLeaseHolds_6_4_1) {
  Cluster c = leased_cluster();
  const NodeId l = c.leader();
  c.tick(l);  // a heartbeat round...
  c.deliver_all();  // ...that both followers answered
  ASSERT_TRUE(c.node(l).read_index("r"));
  c.process_ready();
  EXPECT_EQ(count_of<HeartbeatRequest>(c.queued_from(l)), 0u) << "no confirmation round";
  ASSERT_EQ(c.state(l).reads.size(), 1u);
}

TEST(LeaseRead, AnExpiredLeaseFallsBackToAConfirmationRound_6_4_1) {
  Cluster c = leased_cluster();
  const NodeId l = c.leader();
  c.tick(l);
  c.deliver_all();
  c.isolate(l);  // answers stop coming
  for (int i = 0; i < c.node(l).config().lease_ticks(); ++i) {
    c.tick(l);
    c.deliver_all();
  }
  ASSERT_TRUE(c.node(l).is_leader()) << "check-quorum has not deposed it yet";
  ASSERT_TRUE(c.node(l).read_index("r"));
  c.process_ready();
  EXPECT_TRUE(c.state(l).reads.empty());
  EXPECT_GT(count_of<HeartbeatRequest>(c.queued_from(l)), 0u);
}

// §3.10: TimeoutNow makes voters ignore their lease on us; no lease holds after it.
TEST(LeaseRead, ALeadershipTransferVoidsTheLease_6_4_1) {
  Cluster c = leased_cluster();
  const NodeId l = c.leader();
  c.tick(l);
  c.deliver_all();
  const NodeId target = l == NodeId{1} ? NodeId{2} : NodeId{1};
  c.isolate(target);  // the transfer does not complete
  ASSERT_TRUE(c.node(l).transfer_leadership(target).has_value());
  ASSERT_TRUE(c.node(l).read_index("r"));
  c.process_ready();
  EXPECT_TRUE(c.state(l).reads.empty());
}

// A configuration change voids the lease earned under the old quorum rules.
TEST(LeaseRead, AConfigurationChangeVoidsTheLeaseUntilANewRoundIsAnswered_6_4_1) {
  Cluster c = leased_cluster();
  const NodeId l = c.leader();
  c.tick(l);
  c.deliver_all();
  c.add_node(NodeId{4});
  ASSERT_TRUE(c.change(l, ConfChangeRequest{{ConfChange{ConfChangeType::kAddLearner, NodeId{4}}}, false})
                  .has_value());
  ASSERT_TRUE(c.node(l).read_index("r"));
  c.process_ready();
  EXPECT_TRUE(c.state(l).reads.empty());
  c.deliver_all();
  ASSERT_EQ(c.state(l).reads.size(), 1u) << "served once the new round was answered";
}

// A node that just (re)started may have answered a leader right before it crashed: it
// honours that possible lease, refusing votes for an election timeout.
TEST(LeaseRead, ARestartedNodeRefusesVotesForAnElectionTimeout_6_4_1) {
  Cluster c = leased_cluster();
  const NodeId l = c.leader();
  const NodeId f = l == NodeId{1} ? NodeId{2} : NodeId{1};
  c.crash(f);
  c.restart(f);
  Raft& r = c.node(f);
  const Term t = r.term();
  r.step(msg(3, f.value(), t.value() + 1, VoteRequest{false, r.log().last_index(), r.log().last_term()}));
  EXPECT_EQ(r.term(), t) << "ignored";
  for (int i = 0; i < r.config().election_tick; ++i) r.tick();
  r.step(msg(3, f.value(), t.value() + 2, VoteRequest{false, r.log().last_index(), r.log().last_term()}));
  EXPECT_EQ(r.term(), Term{t.value() + 2});
}

}  // namespace
}  // namespace raft
