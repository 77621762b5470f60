// ReadIndex (§6.4 of the thesis): reads are served only after leadership is confirmed by
// a quorum after the read began, and only once the read index is applied.
#include <gtest/gtest.h>

#include "raft/testing/cluster.h"
#include "test_util.h"

namespace raft {
namespace {

using test::bodies_of;
using test::manual;
using test::msg;
using testing::Cluster;


// §6.4 steps 1-2: the leader records its commit index and waits for a heartbeat round
// that started after the read; a quorum of answers releases it. The round asks only as
// many followers as a quorum needs (one of two here).
TEST(ReadIndex, LeaderServesReadOnlyAfterQuorumConfirmsLeadership_6_4) {
  Cluster c(3, 1, manual);
  c.elect(NodeId{1});
  Raft& l = c.node(NodeId{1});
  ASSERT_TRUE(l.read_index("r1"));
  Ready rd = l.ready();
  EXPECT_TRUE(rd.read_states.empty()) << "no read before the heartbeat round";
  auto hbs = bodies_of<HeartbeatRequest>(rd.messages);
  ASSERT_EQ(hbs.size(), 1u) << "one follower and the leader are a quorum of 3";
  EXPECT_GT(hbs[0].read_seq, 0u);
  l.advance(rd);
  // One follower answers: with the leader itself that is a quorum of 3.
  l.step(msg(2, 1, l.term().value(), HeartbeatResponse{hbs[0].read_seq}));
  Ready rd2 = l.ready();
  ASSERT_EQ(rd2.read_states.size(), 1u);
  EXPECT_EQ(rd2.read_states[0].context, "r1");
  EXPECT_EQ(rd2.read_states[0].index, l.log().committed());
}

// A heartbeat answer for an older round does not confirm a newer read.
TEST(ReadIndex, AnswerToAnOlderRoundDoesNotConfirmANewerRead_6_4) {
  Cluster c(3, 1, manual);
  c.elect(NodeId{1});
  Raft& l = c.node(NodeId{1});
  l.read_index("a");
  Ready rd = l.ready();
  const std::uint64_t seq_a = bodies_of<HeartbeatRequest>(rd.messages).at(0).read_seq;
  l.advance(rd);
  l.read_index("b");
  Ready rd2 = l.ready();
  l.advance(rd2);
  l.step(msg(2, 1, l.term().value(), HeartbeatResponse{seq_a}));
  Ready rd3 = l.ready();
  ASSERT_EQ(rd3.read_states.size(), 1u);
  EXPECT_EQ(rd3.read_states[0].context, "a");
}

// A responses from an older term never confirms (§5.1).
TEST(ReadIndex, HeartbeatAnswerFromOlderTermDoesNotConfirm_6_4) {
  Cluster c(3, 1, manual);
  c.elect(NodeId{1});
  Raft& l = c.node(NodeId{1});
  l.read_index("a");
  Ready rd = l.ready();
  const std::uint64_t seq = bodies_of<HeartbeatRequest>(rd.messages).at(0).read_seq;
  l.advance(rd);
  l.step(msg(2, 1, l.term().value() - 1, HeartbeatResponse{seq}));
  EXPECT_TRUE(l.ready().read_states.empty());
}

// §6.4 step 1: a new leader serves no read before it committed an entry of its own term
// (until then its commit index may be behind the true one).
TEST(ReadIndex, NewLeaderServesNoReadBeforeCommittingInItsTerm_6_4) {
  Cluster c(3, 1, manual);
  c.node(NodeId{1}).campaign();
  c.process_ready();
  // Deliver only until 1 is leader: its no-op is not yet replicated.
  while (!c.node(NodeId{1}).is_leader()) c.deliver_at(0);
  Raft& l = c.node(NodeId{1});
  ASSERT_LT(l.log().committed(), l.log().last_index());
  ASSERT_TRUE(l.read_index("early"));
  Ready rd = l.ready();
  EXPECT_EQ(bodies_of<HeartbeatRequest>(rd.messages).size(), 0u)
      << "no confirmation round may start for it yet";
  for (Message& m : rd.messages) c.queue().push_back(m);
  for (Message& m : rd.messages_after_persist) c.queue().push_back(m);
  c.state(NodeId{1}).storage->append(rd.entries);
  if (rd.hard_state) c.state(NodeId{1}).storage->set_hard_state(*rd.hard_state);
  l.advance(rd);
  c.deliver_all();
  ASSERT_EQ(c.state(NodeId{1}).reads.size(), 1u);
  EXPECT_EQ(c.state(NodeId{1}).reads[0].context, "early");
  EXPECT_EQ(l.log().term(c.state(NodeId{1}).reads[0].index), l.term())
      << "the read index is at least the leader's own-term commit";
}

// §6.4.1: a follower asks the leader for the read index, then serves the read itself once
// it has applied that far.
TEST(ReadIndex, FollowerReadsThroughLeaderAndWaitsToApply_6_4) {
  Cluster c(3, 1, manual);
  c.elect(NodeId{1});
  c.propose(NodeId{1}, "w");
  c.deliver_all();
  ASSERT_TRUE(c.node(NodeId{2}).read_index("f"));
  c.deliver_all();
  ASSERT_EQ(c.state(NodeId{2}).reads.size(), 1u);
  const ReadState& r = c.state(NodeId{2}).reads[0];
  EXPECT_EQ(r.context, "f");
  EXPECT_EQ(r.index, c.node(NodeId{1}).log().committed());
  EXPECT_GE(c.node(NodeId{2}).log().applied(), r.index);
}

// A follower that has not applied up to the read index holds the read back.
TEST(ReadIndex, ReadIsHeldUntilAppliedReachesIndex_6_4) {
  Cluster c(3, 1, manual);
  c.elect(NodeId{1});
  // Node 3 misses a write; it learns the read index but cannot serve yet.
  c.cut(NodeId{1}, NodeId{3});
  c.propose(NodeId{1}, "w");
  c.deliver_all();
  Raft& f = c.node(NodeId{3});
  const Index index = c.node(NodeId{1}).log().committed();
  ASSERT_LT(f.log().applied(), index);
  f.step(msg(1, 3, f.term().value(), ReadIndexResponse{"held", index, true}));
  c.process_ready();
  EXPECT_TRUE(c.state(NodeId{3}).reads.empty());
  c.heal();
  // The lost append is found on a heartbeat answer after a whole interval without
  // progress (the first tick skips node 3: an append went to it since the last one).
  c.run(4);
  ASSERT_EQ(c.state(NodeId{3}).reads.size(), 1u);
  EXPECT_GE(f.log().applied(), index);
}

TEST(ReadIndex, ReadWithoutKnownLeaderFailsAtOnce) {
  Cluster c(3, 1, manual);
  auto r = c.node(NodeId{1}).read_index("x");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().leader.is_none());
}

// A leader that loses leadership with reads pending drops them (they could never be
// confirmed); the caller learns at once instead of waiting for a timeout.
TEST(ReadIndex, PendingReadsAreDroppedWhenLeaderStepsDown_6_4) {
  Cluster c(3, 1, manual);
  c.elect(NodeId{1});
  c.isolate(NodeId{1});
  c.node(NodeId{1}).read_index("lost");
  ASSERT_TRUE(c.node(NodeId{2}).read_index("lost-too").has_value());
  c.deliver_all();
  c.heal();
  c.elect(NodeId{2});
  EXPECT_EQ(c.state(NodeId{1}).dropped_reads, std::vector<std::string>{"lost"});
  EXPECT_TRUE(c.state(NodeId{1}).reads.empty());
}

TEST(ReadIndex, SingleNodeReadIsImmediate) {
  Cluster c(1, 1);
  c.wait_for_leader();
  c.node(NodeId{1}).read_index("solo");
  c.process_ready();
  ASSERT_EQ(c.state(NodeId{1}).reads.size(), 1u);
}

}  // namespace
}  // namespace raft
