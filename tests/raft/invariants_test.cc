// The invariant checker must catch each violation it claims to (a checker that never
// complains proves nothing). Bad states are built directly, on single-voter cores.
#include <gtest/gtest.h>

#include "raft/testing/invariants.h"
#include "test_util.h"

namespace raft {
namespace {

using test::entry;
using testing::InvariantChecker;

/// A single-voter node with the given log and hard state, elected leader if asked.
struct Node {
  Node(std::uint64_t id, std::vector<Entry> log, HardState hs, bool lead) {
    storage.append(log);
    storage.set_hard_state(hs);
    Config c;
    c.id = NodeId{id};
    c.voters = {NodeId{id}};
    raft = std::make_unique<Raft>(c, storage);
    if (lead) raft->campaign();
  }
  MemoryStorage storage;
  std::unique_ptr<Raft> raft;
};

TEST(InvariantChecker, CatchesTwoLeadersInOneTerm) {
  Node a(1, {}, {}, true), b(2, {}, {}, true);
  ASSERT_EQ(a.raft->term(), b.raft->term());
  InvariantChecker chk;
  chk.observe(*a.raft);
  EXPECT_TRUE(chk.ok());
  chk.observe(*b.raft);
  ASSERT_FALSE(chk.ok());
  EXPECT_NE(chk.report().find("Election Safety"), std::string::npos);
}

TEST(InvariantChecker, CatchesLogMatchingViolation) {
  Node a(1, {entry(1, 1, "a"), entry(2, 1, "x")}, {}, false);
  Node b(2, {entry(1, 1, "b"), entry(2, 1, "x")}, {}, false);
  InvariantChecker chk;
  const Raft* nodes[] = {a.raft.get(), b.raft.get()};
  chk.check_log_matching(nodes);
  ASSERT_FALSE(chk.ok());
  EXPECT_NE(chk.report().find("Log Matching"), std::string::npos);
}

TEST(InvariantChecker, AcceptsLogsThatDivergeOnlyAfterTheirLastCommonTerm) {
  Node a(1, {entry(1, 1, "a"), entry(2, 2, "x")}, {}, false);
  Node b(2, {entry(1, 1, "a"), entry(2, 3, "y"), entry(3, 3, "z")}, {}, false);
  InvariantChecker chk;
  const Raft* nodes[] = {a.raft.get(), b.raft.get()};
  chk.check_log_matching(nodes);
  EXPECT_TRUE(chk.ok()) << chk.report();
}

TEST(InvariantChecker, CatchesDifferentCommittedEntriesAtOneIndex) {
  Node a(1, {entry(1, 1, "a")}, HardState{Term{1}, kNoNode, Index{1}}, false);
  Node b(2, {entry(1, 1, "b")}, HardState{Term{1}, kNoNode, Index{1}}, false);
  InvariantChecker chk;
  chk.observe(*a.raft);
  chk.observe(*b.raft);
  ASSERT_FALSE(chk.ok());
  EXPECT_NE(chk.report().find("State Machine Safety"), std::string::npos);
}

TEST(InvariantChecker, CatchesLeaderMissingACommittedEntry) {
  Node a(1, {entry(1, 1, "a"), entry(2, 1, "b")}, HardState{Term{1}, kNoNode, Index{2}},
         false);
  Node b(2, {entry(1, 1, "a")}, HardState{Term{1}, kNoNode, Index{0}}, true);
  InvariantChecker chk;
  chk.observe(*a.raft);
  chk.observe(*b.raft);
  ASSERT_FALSE(chk.ok());
  EXPECT_NE(chk.report().find("Leader Completeness"), std::string::npos);
}

TEST(InvariantChecker, CatchesDifferentAppliedEntriesAndGaps) {
  InvariantChecker chk;
  chk.observe_applied(NodeId{1}, entry(1, 1, "a"));
  EXPECT_TRUE(chk.ok());
  chk.observe_applied(NodeId{2}, entry(1, 1, "b"));
  EXPECT_FALSE(chk.ok());
  InvariantChecker gaps;
  gaps.observe_applied(NodeId{1}, entry(2, 1, "a"));
  EXPECT_FALSE(gaps.ok());
}

TEST(InvariantChecker, CatchesTermAndCommitGoingBack) {
  Node hi(1, {entry(1, 1)}, HardState{Term{5}, kNoNode, Index{1}}, false);
  Node lo(1, {entry(1, 1)}, HardState{Term{4}, kNoNode, Index{0}}, false);
  InvariantChecker chk;
  chk.observe(*hi.raft);
  chk.observe(*lo.raft);
  ASSERT_FALSE(chk.ok());
  EXPECT_NE(chk.report().find("Monotonic term"), std::string::npos);
  EXPECT_NE(chk.report().find("Monotonic commit"), std::string::npos);
}

}  // namespace
}  // namespace raft
