// The regression tests have teeth: the same scenarios, run on the raft_planted_bugs core
// with a known bug switched on, must be caught by the invariant checker or the asserted
// message ordering.
#include <gtest/gtest.h>

#include "figure8.h"
#include "raft/testing/cluster.h"
#include "test_util.h"

namespace raft {
namespace {

TEST(PlantedBugs, Figure8CommitByCountingIsCaughtByInvariantChecker) {
  testing::Cluster c(5, 8, [](Config& cfg) {
    test::figure8_config(cfg);
    cfg.planted_bugs.commit_earlier_term_by_counting = true;
  });
  // (Had a follower been asked to overwrite an entry it committed, it would fail-stop --
  // a death, not an exception; this schedule makes the checker see the violation first.)
  const Index commit_at_c = test::run_figure8(c);
  EXPECT_EQ(commit_at_c, Index{2}) << "the bug commits the term-1 entry by counting";
  ASSERT_FALSE(c.checker().ok());
  EXPECT_NE(c.checker().report().find("Safety"), std::string::npos) << c.checker().report();
}

TEST(PlantedBugs, VoteBeforePersistSendsGrantEarly) {
  test::Solo s(1, test::ids({1, 2, 3}), [](Config& cfg) {
    cfg.pre_vote = false;
    cfg.planted_bugs.vote_before_persist = true;
  });
  s.raft->step(test::msg(2, 1, 7, VoteRequest{false, Index{0}, Term{0}}));
  Ready rd = s.raft->ready();
  EXPECT_EQ(test::bodies_of<VoteResponse>(rd.messages).size(), 1u);
}

TEST(PlantedBugs, ReadWithoutQuorumCheckIsServedAtOnce) {
  testing::Cluster c(3, 1, [](Config& cfg) {
    cfg.pre_vote = false;
    cfg.check_quorum = false;
    cfg.planted_bugs.read_without_quorum_check = true;
  });
  c.elect(NodeId{1});
  c.isolate(NodeId{1});
  c.node(NodeId{1}).read_index("stale");
  c.process_ready();
  EXPECT_EQ(c.state(NodeId{1}).reads.size(), 1u) << "served with no quorum reachable";
}

TEST(PlantedBugs, TruncationOnMatchingAppendLosesEntries) {
  test::Solo s(2, test::ids({1, 2, 3}),
               [](Config& cfg) { cfg.planted_bugs.truncate_on_matching_append = true; });
  s.raft->step(test::msg(1, 2, 1, AppendRequest{Index{0}, Term{0},
                                                {test::entry(1, 1), test::entry(2, 1)},
                                                Index{0}}));
  s.persist();
  s.raft->step(test::msg(1, 2, 1, AppendRequest{Index{0}, Term{0}, {test::entry(1, 1)},
                                                Index{0}}));
  s.persist();
  EXPECT_EQ(s.raft->log().last_index(), Index{1}) << "the planted bug dropped entry 2";
}

}  // namespace
}  // namespace raft

namespace raft {
namespace {

// §7: a follower must not install a snapshot older than its commit index. A duplicated or
// delayed InstallSnapshot arriving after the follower moved on is exactly that.
TEST(PlantedBugs, InstallingASnapshotOlderThanTheCommitIndexIsCaughtByInvariantChecker) {
  testing::Cluster c(3, 5, [](Config& cfg) {
    test::manual(cfg);
    cfg.planted_bugs.install_stale_snapshot = true;
  });
  c.elect(NodeId{1});
  for (int i = 0; i < 5; ++i) c.propose(NodeId{1}, "a" + std::to_string(i));
  c.deliver_all();
  c.compact(NodeId{1});
  const Snapshot old = c.state(NodeId{1}).storage->snapshot();
  for (int i = 0; i < 5; ++i) c.propose(NodeId{1}, "b" + std::to_string(i));
  c.spread_commit();
  ASSERT_GT(c.node(NodeId{2}).log().committed(), old.meta.index);
  // The old snapshot's transfer, delivered late.
  c.queue().push_back(Message{NodeId{1}, NodeId{2}, c.node(NodeId{1}).term(),
                              SnapshotRequest{old.meta, 0, old.data, true}});
  c.deliver_all();
  ASSERT_FALSE(c.checker().ok()) << "the bug moved commit back and re-applied";
  EXPECT_NE(c.checker().report().find("Monotonic commit"), std::string::npos)
      << c.checker().report();
}

// §7: only committed entries may be compacted. A leader that compacts up to its last
// entry while a follower has not stored it yet is caught at once.
TEST(PlantedBugs, CompactingPastAnUncommittedEntryIsCaughtByInvariantChecker) {
  testing::Cluster c(3, 5, [](Config& cfg) {
    test::manual(cfg);
    cfg.planted_bugs.compact_uncommitted = true;
  });
  c.elect(NodeId{1});
  c.isolate(NodeId{2});
  c.isolate(NodeId{3});
  c.propose(NodeId{1}, "uncommitted");
  ASSERT_LT(c.node(NodeId{1}).log().committed(), c.node(NodeId{1}).log().last_index());
  c.compact(NodeId{1});
  c.checker().observe(c.node(NodeId{1}));
  ASSERT_FALSE(c.checker().ok());
  EXPECT_NE(c.checker().report().find("Compaction"), std::string::npos) << c.checker().report();
}

// §6.4.1: lease reads without check-quorum. A follower that did not hear from the leader
// campaigns, and one that answered the leader a moment ago votes for it (no lease to
// honour); the new leader commits a write while the old one, cut off, still trusts its
// lease and serves a read that misses it. (The production core refuses the combination:
// LeaseRead.RefusedWithoutCheckQuorum_6_4_1.)
TEST(PlantedBugs, LeaseReadWithoutCheckQuorumServesAStaleRead) {
  testing::Cluster c(3, 3, [](Config& cfg) {
    cfg.pre_vote = false;
    cfg.check_quorum = false;
    cfg.lease_read = true;
    cfg.planted_bugs.lease_without_check_quorum = true;
  });
  c.elect(NodeId{1});
  c.spread_commit();
  c.tick(NodeId{1});  // a round both followers answer: the lease starts
  c.deliver_all();
  c.cut(NodeId{1}, NodeId{3});
  c.node(NodeId{3}).campaign();
  c.process_ready();
  c.deliver_all();  // 2 votes for 3: it answered 1 a moment ago, but has no lease to honour
  ASSERT_TRUE(c.node(NodeId{3}).is_leader());
  c.isolate(NodeId{1});
  ASSERT_TRUE(c.propose(NodeId{3}, "new").has_value());
  c.deliver_all();
  const Index written = c.node(NodeId{3}).log().committed();
  ASSERT_TRUE(c.node(NodeId{1}).is_leader()) << "1 has not heard of term " << c.node(NodeId{3}).term().value();
  ASSERT_TRUE(c.node(NodeId{1}).read_index("stale"));
  c.process_ready();
  ASSERT_EQ(c.state(NodeId{1}).reads.size(), 1u) << "served on the lease, at once";
  EXPECT_LT(c.state(NodeId{1}).reads[0].index, written)
      << "the read misses a write committed before it was served: not linearizable";
}

}  // namespace
}  // namespace raft
