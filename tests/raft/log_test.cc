// The log and its storage: Figure 2's AppendEntries receiver rules 2-5, §5.3's Log
// Matching machinery, §5.4.1's up-to-date comparison.
#include <gtest/gtest.h>

#include <limits>

#include "raft/log.h"
#include "test_util.h"

namespace raft {
namespace {

using test::entry;

std::vector<Entry> make_entries(std::initializer_list<std::pair<int, int>> index_term) {
  std::vector<Entry> out;
  for (auto [i, t] : index_term) out.push_back(entry(i, t, "e" + std::to_string(i)));
  return out;
}

TEST(MemoryStorage, AppendTruncatesConflictingSuffixAndAnswersTerms) {
  MemoryStorage s;
  s.append(make_entries({{1, 1}, {2, 1}, {3, 2}}));
  EXPECT_EQ(s.last_index(), Index{3});
  EXPECT_EQ(s.term(Index{0}), Term{0});
  EXPECT_EQ(s.term(Index{3}), Term{2});
  EXPECT_EQ(s.term(Index{4}), std::nullopt);
  s.append(make_entries({{2, 3}}));
  EXPECT_EQ(s.last_index(), Index{2});
  EXPECT_EQ(s.term(Index{2}), Term{3});
  EXPECT_THROW(s.append(make_entries({{5, 3}})), std::invalid_argument);
}

TEST(MemoryStorage, EntriesRespectsByteLimitButReturnsAtLeastOne) {
  MemoryStorage s;
  s.append(make_entries({{1, 1}, {2, 1}, {3, 1}}));
  EXPECT_EQ(s.entries(Index{1}, Index{4}, 0).size(), 1u);
  EXPECT_EQ(s.entries(Index{1}, Index{4}, 1000).size(), 3u);
}

// §5.4.1: "If the logs have last entries with different terms, then the log with the later
// term is more up-to-date. If the logs end with the same term, then whichever log is
// longer is more up-to-date."
TEST(RaftLog, UpToDateComparesLastTermThenLength_5_4_1) {
  MemoryStorage s;
  s.append(make_entries({{1, 1}, {2, 2}, {3, 2}}));
  RaftLog log(s);
  EXPECT_TRUE(log.is_up_to_date(Index{1}, Term{3}));   // later term, shorter log
  EXPECT_FALSE(log.is_up_to_date(Index{9}, Term{1}));  // earlier term, longer log
  EXPECT_TRUE(log.is_up_to_date(Index{3}, Term{2}));   // equal
  EXPECT_FALSE(log.is_up_to_date(Index{2}, Term{2}));  // same term, shorter
}

// Receiver rule 2: reply false if the log doesn't contain an entry at prevLogIndex whose
// term matches prevLogTerm.
TEST(RaftLog, RejectsAppendWhenPrevEntryDoesNotMatch_5_3) {
  MemoryStorage s;
  s.append(make_entries({{1, 1}, {2, 1}}));
  RaftLog log(s);
  EXPECT_FALSE(log.maybe_append(Index{2}, Term{2}, Index{0}, make_entries({{3, 2}})));
  EXPECT_FALSE(log.maybe_append(Index{3}, Term{1}, Index{0}, make_entries({{4, 2}})));
  EXPECT_EQ(log.last_index(), Index{2});
}

// Regression: truncation only on conflict. A stale (reordered, duplicated) AppendEntries
// whose entries all match must not cut off entries a newer AppendEntries added.
TEST(RaftLog, MatchingStaleAppendDoesNotTruncate_5_3) {
  MemoryStorage s;
  RaftLog log(s);
  ASSERT_EQ(log.maybe_append(Index{0}, Term{0}, Index{0}, make_entries({{1, 1}, {2, 1}, {3, 1}})),
            Index{3});
  // The older message carried only entry 1.
  ASSERT_EQ(log.maybe_append(Index{0}, Term{0}, Index{0}, make_entries({{1, 1}})), Index{1});
  EXPECT_EQ(log.last_index(), Index{3});
  EXPECT_EQ(log.term(Index{3}), Term{1});
}

// Receiver rule 3: if an existing entry conflicts with a new one (same index, different
// terms), delete the existing entry and all that follow it.
TEST(RaftLog, ConflictTruncatesFromFirstConflictingEntry_5_3) {
  MemoryStorage s;
  s.append(make_entries({{1, 1}, {2, 1}, {3, 1}, {4, 1}}));
  RaftLog log(s);
  ASSERT_EQ(log.maybe_append(Index{1}, Term{1}, Index{0}, make_entries({{2, 1}, {3, 2}})),
            Index{3});
  EXPECT_EQ(log.last_index(), Index{3});
  EXPECT_EQ(log.term(Index{2}), Term{1});
  EXPECT_EQ(log.term(Index{3}), Term{2});
  // The Ready carries only the replaced suffix, and storage truncates when appending it.
  std::vector<Entry> unstable = log.take_unstable_entries();
  ASSERT_EQ(unstable.size(), 1u);
  EXPECT_EQ(unstable[0].index, Index{3});
  s.append(unstable);
  log.stable_to(Index{3}, Term{2});
  EXPECT_EQ(s.last_index(), Index{3});
  EXPECT_EQ(log.last_stable_index(), Index{3});
}

// Receiver rule 5: commitIndex = min(leaderCommit, index of last new entry).
TEST(RaftLog, CommitIsBoundedByLastNewEntry_5_3) {
  MemoryStorage s;
  RaftLog log(s);
  log.maybe_append(Index{0}, Term{0}, Index{10}, make_entries({{1, 1}, {2, 1}}));
  EXPECT_EQ(log.committed(), Index{2});
  log.maybe_append(Index{0}, Term{0}, Index{10}, make_entries({{1, 1}}));
  EXPECT_EQ(log.committed(), Index{2}) << "commit never goes back";
}

// A broken invariant stops the process (fail_stop): state that cannot be trusted must not
// go on voting or acknowledging. Death tests run the statement in a forked child.
TEST(RaftLogDeathTest, ConflictBelowCommitFailStops) {
  MemoryStorage s;
  RaftLog log(s);
  log.maybe_append(Index{0}, Term{0}, Index{2}, make_entries({{1, 1}, {2, 1}}));
  EXPECT_DEATH(log.maybe_append(Index{0}, Term{0}, Index{0}, make_entries({{1, 2}})),
               "fail-stop: RaftLog::maybe_append: an append conflicts with committed entry 1");
}

TEST(RaftLogDeathTest, CommitBeyondTheLastEntryFailStops) {
  MemoryStorage s;
  RaftLog log(s);
  log.maybe_append(Index{0}, Term{0}, Index{0}, make_entries({{1, 1}}));
  EXPECT_DEATH(log.commit_to(Index{3}), "fail-stop: RaftLog::commit_to: commit index 3 beyond "
                                        "the last entry 1");
}

TEST(RaftLogDeathTest, AppendWithAGapFailStops) {
  MemoryStorage s;
  RaftLog log(s);
  EXPECT_DEATH(log.append(make_entries({{4, 1}})),
               "fail-stop: RaftLog::append: entries start at 4, not right after the last index 0");
}

TEST(RaftDeathTest, StoredCommitIndexBeyondTheStoredLogFailStops) {
  MemoryStorage s;
  s.append(make_entries({{1, 1}, {2, 1}}));
  s.set_hard_state(HardState{Term{1}, NodeId{1}, Index{5}});
  Config cfg;
  cfg.id = NodeId{1};
  cfg.voters = {NodeId{1}, NodeId{2}, NodeId{3}};
  EXPECT_DEATH(Raft(cfg, s), "fail-stop: raft: stored commit index 5 is beyond the stored "
                             "log's last index 2");
}

TEST(RaftConfig, AnIdThatIsNotAVoterIsRefused) {
  MemoryStorage s;
  Config cfg;
  cfg.id = NodeId{4};
  cfg.voters = {NodeId{1}, NodeId{2}, NodeId{3}};
  EXPECT_THROW(Raft(cfg, s), std::invalid_argument);
}

TEST(RaftLog, FindConflictByTermSkipsWholeTerms) {
  MemoryStorage s;
  s.append(make_entries({{1, 1}, {2, 1}, {3, 3}, {4, 3}, {5, 5}}));
  RaftLog log(s);
  EXPECT_EQ(log.find_conflict_by_term(Index{5}, Term{4}).index, Index{4});
  EXPECT_EQ(log.find_conflict_by_term(Index{5}, Term{2}).index, Index{2});
  EXPECT_EQ(log.find_conflict_by_term(Index{9}, Term{9}).index, Index{5});
  EXPECT_EQ(log.find_conflict_by_term(Index{5}, Term{0}).index, Index{0});
}

TEST(RaftLog, EntriesFromSpansStableAndUnstableWithLimits) {
  MemoryStorage s;
  s.append(make_entries({{1, 1}, {2, 1}}));
  RaftLog log(s);
  log.append(make_entries({{3, 2}, {4, 2}}));
  EXPECT_EQ(log.entries_from(Index{1}, 100, 1 << 20).size(), 4u);
  EXPECT_EQ(log.entries_from(Index{2}, 2, 1 << 20).size(), 2u);
  EXPECT_EQ(log.entries_from(Index{1}, 100, 0).size(), 1u);
  EXPECT_TRUE(log.entries_from(Index{5}, 100, 1 << 20).empty());
  constexpr auto kAll = std::numeric_limits<std::size_t>::max();
  EXPECT_EQ(log.entries_from(Index{2}, kAll, kAll).size(), 3u) << "no limits: no overflow";
}

TEST(RaftLog, CommittedEntriesAreHandedOutOnce) {
  MemoryStorage s;
  RaftLog log(s);
  log.maybe_append(Index{0}, Term{0}, Index{1}, make_entries({{1, 1}, {2, 1}}));
  EXPECT_EQ(log.take_committed_entries().size(), 1u);
  EXPECT_TRUE(log.take_committed_entries().empty());
  log.commit_to(Index{2});
  auto e = log.take_committed_entries();
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].index, Index{2});
}

}  // namespace
}  // namespace raft
