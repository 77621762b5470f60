// Message economy (thesis §6.4, and what etcd-raft and LogCabin do to keep a quiet cluster
// quiet): confirmation rounds shared with appends, heartbeats skipped for followers that
// just heard from the leader, a follower's read counting that follower, and commit news
// riding on the next message instead of a round of its own.
#include <gtest/gtest.h>

#include <set>

#include "raft/testing/cluster.h"
#include "test_util.h"

namespace raft {
namespace {

using test::bodies_of;
using test::count_of;
using test::manual;
using test::msg;
using testing::Cluster;

// §6.4: a read registered before the next Ready rides on the appends of that Ready: they
// carry its round, their answers confirm it, and no heartbeat goes out for it.
TEST(ReadIndex, AnAppendRoundConfirmsLeadershipLikeAHeartbeat_6_4) {
  Cluster c(3, 1, manual);
  c.elect(NodeId{1});
  ASSERT_TRUE(c.node(NodeId{1}).propose("w").has_value());
  ASSERT_TRUE(c.node(NodeId{1}).read_index("r"));
  c.process_ready();
  const std::vector<Message> out = c.queued_from(NodeId{1});
  EXPECT_EQ(count_of<HeartbeatRequest>(out), 0u) << "the appends carry the read's round";
  const auto appends = bodies_of<AppendRequest>(out);
  ASSERT_EQ(appends.size(), 2u);
  EXPECT_GT(appends[0].read_seq, 0u);
  c.deliver_all();
  ASSERT_EQ(c.state(NodeId{1}).reads.size(), 1u);
  EXPECT_EQ(c.state(NodeId{1}).reads[0].context, "r");
}

// A read a follower asks for counts that follower: with the leader it is a quorum of 3, so
// the leader answers at once, with no round; the follower serves it only if the answer
// arrives while it is still in the leader's term (it then voted in no newer term).
TEST(ReadIndex, TheAskingFollowerCountsTowardTheQuorum_6_4) {
  Cluster c(3, 1, manual);
  c.elect(NodeId{1});
  c.spread_commit();
  ASSERT_TRUE(c.node(NodeId{2}).read_index("f"));
  c.process_ready();
  c.deliver_all(1);  // the request reaches the leader
  const std::vector<Message> out = c.queued_from(NodeId{1});
  EXPECT_EQ(count_of<HeartbeatRequest>(out), 0u);
  ASSERT_EQ(count_of<ReadIndexResponse>(out), 1u);
  c.deliver_all();
  ASSERT_EQ(c.state(NodeId{2}).reads.size(), 1u);
}

// In a cluster of 5 the leader and the asking follower need one more: one heartbeat.
TEST(ReadIndex, AFollowersReadInAClusterOfFiveAsksOneMoreFollower_6_4) {
  Cluster c(5, 1, manual);
  c.elect(NodeId{1});
  c.spread_commit();
  ASSERT_TRUE(c.node(NodeId{2}).read_index("f"));
  c.process_ready();
  c.deliver_all(1);
  const std::vector<Message> out = c.queued_from(NodeId{1});
  EXPECT_EQ(count_of<ReadIndexResponse>(out), 0u) << "not confirmed yet";
  const auto hbs = bodies_of<HeartbeatRequest>(out);
  EXPECT_EQ(hbs.size(), 1u);
  c.deliver_all();
  ASSERT_EQ(c.state(NodeId{2}).reads.size(), 1u);
}

// The answer comes back after the follower moved to a newer term: it may have voted for
// another leader since, so it must not count -- the read is not served.
TEST(ReadIndex, AFollowerInANewerTermDoesNotServeAnOldLeadersAnswer_6_4) {
  Cluster c(3, 1, manual);
  c.elect(NodeId{1});
  c.spread_commit();
  Raft& f = c.node(NodeId{2});
  const Term old = f.term();
  f.step(msg(3, 2, old.value() + 1, VoteRequest{false, f.log().last_index(), f.log().last_term()}));
  c.process_ready();
  ASSERT_GT(f.term(), old);
  f.step(msg(1, 2, old.value(), ReadIndexResponse{"late", f.log().committed(), true}));
  c.process_ready();
  EXPECT_TRUE(c.state(NodeId{2}).reads.empty());
}

// If the followers a read round asked do not answer, heartbeat ticks carry the round to
// the others, and once the read is overdue (a whole interval) to every follower.
TEST(ReadIndex, AnUnansweredReadRoundGoesToEveryFollowerOnceOverdue_6_4) {
  Cluster c(5, 1, manual);
  c.elect(NodeId{1});
  c.spread_commit();
  c.tick(NodeId{1});  // a quiet tick: every follower got a heartbeat...
  c.deliver_all();
  ASSERT_TRUE(c.node(NodeId{1}).propose("w").has_value());  // ...and now an append
  ASSERT_TRUE(c.node(NodeId{1}).read_index("r"));
  c.process_ready();
  EXPECT_EQ(count_of<HeartbeatRequest>(c.queued_from(NodeId{1})), 0u) << "the appends carry it";
  c.drop_all();  // every append lost
  c.tick(NodeId{1});
  EXPECT_EQ(count_of<HeartbeatRequest>(c.queued_from(NodeId{1})), 0u)
      << "each follower got an append within the interval";
  c.drop_all();
  c.tick(NodeId{1});
  EXPECT_EQ(count_of<HeartbeatRequest>(c.queued_from(NodeId{1})), 4u) << "overdue: everyone";
  c.deliver_all();
  ASSERT_EQ(c.state(NodeId{1}).reads.size(), 1u);
}

// A heartbeat answer from a follower whose match has not moved for a whole interval
// brings an append (lost appends are found that way); one whose match moved, none.
TEST(Heartbeat, OnlyAStalledFollowerGetsAnAppendForItsHeartbeatAnswer_5_3) {
  Cluster c(3, 1, manual);
  c.elect(NodeId{1});
  c.spread_commit();
  c.tick(NodeId{1});
  c.deliver_all();
  Raft& l = c.node(NodeId{1});
  ASSERT_TRUE(l.propose("w").has_value());
  c.process_ready();
  c.drop_all();  // the appends are lost
  const Term t = l.term();
  l.step(msg(2, 1, t.value(), HeartbeatResponse{0}));
  c.process_ready();
  EXPECT_EQ(count_of<AppendRequest>(c.queued_from(NodeId{1})), 1u) << "stalled since the last answer";
  c.deliver_all();
  ASSERT_EQ(l.progress(NodeId{2})->match(), l.log().last_index());
  c.drop_all();
  ASSERT_TRUE(l.propose("w2").has_value());
  c.process_ready();  // in flight
  l.step(msg(2, 1, t.value(), HeartbeatResponse{0}));
  c.process_ready();
  EXPECT_EQ(count_of<AppendRequest>(c.queued_from(NodeId{1})), 2u)
      << "only the proposal's two appends: node 2's match moved since its last answer";
}

// A follower that got an append since the last heartbeat tick just heard from the leader:
// no heartbeat for it on this tick; one on the next if nothing else went to it.
TEST(Heartbeat, NoHeartbeatToAFollowerThatGotAnAppendWithinTheInterval) {
  Cluster c(3, 1, manual);
  c.elect(NodeId{1});
  c.spread_commit();
  c.tick(NodeId{1});
  ASSERT_EQ(count_of<HeartbeatRequest>(c.queued_from(NodeId{1})), 2u) << "quiet: heartbeats";
  c.deliver_all();
  ASSERT_TRUE(c.propose(NodeId{1}, "w").has_value());
  c.deliver_all();
  c.tick(NodeId{1});
  EXPECT_EQ(count_of<HeartbeatRequest>(c.queued_from(NodeId{1})), 0u);
  c.tick(NodeId{1});
  EXPECT_EQ(count_of<HeartbeatRequest>(c.queued_from(NodeId{1})), 2u);
}

// A heartbeat asks for an answer only when the leader will act on it. Once every follower
// answered in this election timeout, holds the whole log and no read waits, heartbeats go
// unanswered; a read round, or a new election timeout (check-quorum counts afresh), asks.
TEST(Heartbeat, AFollowerAnswersAHeartbeatOnlyWhenTheLeaderNeedsTheAnswer_6_2) {
  Cluster c(3, 1, manual);
  c.elect(NodeId{1});
  c.spread_commit();
  Raft& l = c.node(NodeId{1});
  c.tick(NodeId{1});
  auto hbs = bodies_of<HeartbeatRequest>(c.queued_from(NodeId{1}));
  ASSERT_EQ(hbs.size(), 2u);
  for (const auto& hb : hbs) EXPECT_FALSE(hb.want_answer) << "nothing to learn from an answer";
  EXPECT_EQ(c.deliver_all(), 2u) << "two heartbeats, no answers";

  ASSERT_TRUE(l.read_index("r").has_value());
  c.process_ready();
  hbs = bodies_of<HeartbeatRequest>(c.queued_from(NodeId{1}));
  ASSERT_EQ(hbs.size(), 1u) << "a quorum of 3 needs one follower";
  EXPECT_TRUE(hbs[0].want_answer) << "the answer confirms the read";
  c.deliver_all();
  ASSERT_EQ(c.state(NodeId{1}).reads.size(), 1u);

  // Check-quorum counts afresh each election timeout: within the next one, every follower
  // is asked again (and answers).
  std::set<NodeId> asked;
  for (int t = 0; t < l.config().election_tick + l.config().heartbeat_tick; ++t) {
    l.tick();
    c.process_ready();
    for (const Message& m : c.queued_from(NodeId{1})) {
      const auto* hb = std::get_if<HeartbeatRequest>(&m.body);
      if (hb != nullptr && hb->want_answer) asked.insert(m.to);
    }
    c.deliver_all();
  }
  EXPECT_EQ(asked, (std::set<NodeId>{NodeId{2}, NodeId{3}}));
  EXPECT_TRUE(l.progress(NodeId{2})->recent_active);
}

// A follower whose log is not known to be complete is asked to answer: its answer is how a
// lost append is found (the stalled-follower rule above).
TEST(Heartbeat, AFollowerBehindTheLeadersLogIsAskedToAnswer_5_3) {
  Cluster c(3, 1, manual);
  c.elect(NodeId{1});
  c.spread_commit();
  c.tick(NodeId{1});
  c.deliver_all();
  ASSERT_TRUE(c.node(NodeId{1}).propose("w").has_value());
  c.process_ready();
  c.drop_all();  // the appends are lost
  c.tick(NodeId{1});  // no heartbeat: the appends just went
  c.tick(NodeId{1});
  const auto hbs = bodies_of<HeartbeatRequest>(c.queued_from(NodeId{1}));
  ASSERT_FALSE(hbs.empty());
  for (const auto& hb : hbs) EXPECT_TRUE(hb.want_answer);
  c.deliver_all();  // answers: the leader notes each follower's match...
  c.tick(NodeId{1});
  c.deliver_all();  // ...and an answer with the match unmoved brings an append
  EXPECT_EQ(c.node(NodeId{2}).log().last_index(), c.node(NodeId{1}).log().last_index())
      << "the answer brought the lost entry again";
}

// An append carries what a heartbeat would (commit index, read round) and is answered: a
// heartbeat queued in the same Ready for the same follower is not sent as well.
TEST(Heartbeat, AnAppendReplacesAHeartbeatQueuedForTheSameFollower) {
  Cluster c(3, 1, manual);
  c.elect(NodeId{1});
  c.spread_commit();
  Raft& l = c.node(NodeId{1});
  for (int t = 0; t < l.config().heartbeat_tick; ++t) l.tick();  // heartbeats queued...
  ASSERT_TRUE(l.propose("w").has_value());                         // ...then appends
  c.process_ready();
  const auto out = c.queued_from(NodeId{1});
  EXPECT_EQ(count_of<HeartbeatRequest>(out), 0u);
  EXPECT_EQ(count_of<AppendRequest>(out), 2u);
  c.deliver_all();
  c.spread_commit();
  EXPECT_EQ(c.node(NodeId{2}).log().committed(), l.log().committed());
}

// Releases a batching leader's held proposal (what raft::Service does every
// max_batch_delay_ticks) and returns the followers asked to answer.
std::set<NodeId> release_batch(Cluster& c, NodeId leader, const std::string& data) {
  Raft& l = c.node(leader);
  l.hold_broadcasts(true);
  EXPECT_TRUE(l.propose(data).has_value());
  c.process_ready();
  EXPECT_EQ(count_of<AppendRequest>(c.queued_from(leader)), 0u) << "held for the batch";
  l.hold_broadcasts(false);
  c.process_ready();
  l.hold_broadcasts(true);
  std::set<NodeId> asked;
  for (const Message& m : c.queued_from(leader)) {
    const auto* a = std::get_if<AppendRequest>(&m.body);
    if (a != nullptr && a->want_answer) asked.insert(m.to);
  }
  return asked;
}

// §5.3: an entry commits once a quorum stores it. A batching leader asks only as many
// followers to answer as its quorum needs (two of five: the leader counts itself), in
// turn; the rest take the batch silently. Each batch still commits on those answers, and
// every follower gets its turn.
TEST(Replication, ABatchingLeaderAsksOnlyAQuorumOfFollowersToAnswer_5_3) {
  Cluster c(5, 1, manual);
  c.elect(NodeId{1});
  c.spread_commit();
  Raft& l = c.node(NodeId{1});
  std::set<NodeId> ever_asked;
  for (int batch = 0; batch < 4; ++batch) {
    const std::set<NodeId> asked = release_batch(c, NodeId{1}, "w" + std::to_string(batch));
    EXPECT_EQ(count_of<AppendRequest>(c.queued_from(NodeId{1})), 4u) << "every follower gets it";
    EXPECT_EQ(asked.size(), 2u);
    ever_asked.insert(asked.begin(), asked.end());
    EXPECT_EQ(c.deliver_all(), 6u) << "four appends, two answers";
    EXPECT_EQ(l.log().committed(), l.log().last_index()) << "batch " << batch;
  }
  EXPECT_EQ(ever_asked.size(), 4u) << "turns rotate";
  // A follower silent on the last batch learns its commit from the leader's next message
  // (a heartbeat's leader_commit), as far as it knows its log matches the leader's.
  c.spread_commit();
  for (NodeId n : c.ids()) EXPECT_EQ(c.node(n).log().committed(), l.log().last_index());
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

// A follower told not to answer still rejects an append that does not match its log (it
// missed the previous batch): rejections are always answered, and it catches up.
TEST(Replication, AFollowerThatMissedASilentBatchRejectsTheNextAndCatchesUp_5_3) {
  Cluster c(5, 1, manual);
  c.elect(NodeId{1});
  c.spread_commit();
  Raft& l = c.node(NodeId{1});
  const std::set<NodeId> asked = release_batch(c, NodeId{1}, "w1");
  NodeId silent = kNoNode;
  for (NodeId n : c.ids()) {
    if (n != NodeId{1} && !asked.contains(n)) silent = n;
  }
  ASSERT_FALSE(silent.is_none());
  c.set_filter([&](Message& m) { return m.to == silent; });  // it misses the batch
  c.deliver_all();
  c.set_filter({});
  ASSERT_LT(c.node(silent).log().last_index(), l.log().last_index());
  for (int batch = 2; batch <= 3; ++batch) {
    release_batch(c, NodeId{1}, "w" + std::to_string(batch));
    c.deliver_all();
  }
  EXPECT_EQ(c.node(silent).log().last_index(), l.log().last_index());
  c.spread_commit();
  EXPECT_EQ(c.node(silent).log().committed(), l.log().committed());
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

// A commit index travels with the next append or heartbeat, not as a round of its own.
TEST(Commit, ANewCommitIndexRidesOnTheNextAppendOrHeartbeat_5_3) {
  Cluster c(3, 1, manual);
  c.elect(NodeId{1});
  c.spread_commit();
  ASSERT_TRUE(c.propose(NodeId{1}, "w").has_value());
  const std::size_t delivered = c.deliver_all();
  EXPECT_EQ(delivered, 4u) << "two appends and two answers";
  const Index commit = c.node(NodeId{1}).log().committed();
  EXPECT_LT(c.node(NodeId{2}).log().committed(), commit) << "not told yet";
  c.spread_commit();
  EXPECT_EQ(c.node(NodeId{2}).log().committed(), commit);
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

// A read index is committed: the asking follower commits up to it as far as its log is
// known to match the leader's, so its read need not wait for the next heartbeat.
TEST(ReadIndex, TheAskingFollowerCommitsUpToTheReadIndex_6_4) {
  Cluster c(3, 1, manual);
  c.elect(NodeId{1});
  ASSERT_TRUE(c.propose(NodeId{1}, "w").has_value());
  c.deliver_all();
  const Index commit = c.node(NodeId{1}).log().committed();
  ASSERT_LT(c.node(NodeId{2}).log().committed(), commit);
  ASSERT_TRUE(c.node(NodeId{2}).read_index("f"));
  c.deliver_all();
  EXPECT_EQ(c.node(NodeId{2}).log().committed(), commit);
  ASSERT_EQ(c.state(NodeId{2}).reads.size(), 1u);
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

// ...but never past what it holds in agreement with this leader: entries from an older
// leader may still be overwritten, even at indexes the read index covers.
TEST(ReadIndex, AReadIndexNeverCommitsEntriesOfAnOlderLeader_6_4) {
  test::Solo f(2);
  f.raft->step(msg(1, 2, 1, AppendRequest{Index{0}, Term{0},
                                          {test::entry(1, 1), test::entry(2, 1), test::entry(3, 1)},
                                          Index{0}}));
  f.persist();
  ASSERT_EQ(f.raft->log().last_index(), Index{3});
  // Leader 3 of term 2 has not sent us anything yet; its log may differ from 1 on.
  f.raft->step(msg(3, 2, 2, HeartbeatRequest{Index{0}, 0}));
  f.persist();
  f.raft->step(msg(3, 2, 2, ReadIndexResponse{"x", Index{3}, true}));
  f.persist();
  EXPECT_EQ(f.raft->log().committed(), Index{0});
  // Once leader 3's append shows our log matches up to 3, the read index commits it.
  f.raft->step(msg(3, 2, 2, AppendRequest{Index{3}, Term{1}, {}, Index{0}}));
  f.persist();
  EXPECT_EQ(f.raft->log().committed(), Index{3});
}

}  // namespace
}  // namespace raft
