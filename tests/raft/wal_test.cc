// The write-ahead log (raft/wal.h): what persist() promises survives reopening, a torn
// tail is cut off, any other damage is refused with its file and offset, and a failing
// disk stops the node.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include "raft/testing/memory_file_system.h"
#include "raft/wal.h"
#include "raft/wal_record.h"
#include "test_util.h"
#include "wal_test_util.h"

namespace raft {
namespace {

using testing::MemoryFileSystem;

using test::entries_of;
using test::open_ok;
const std::string& kDir = test::kWalDir;

std::vector<Entry> run(std::uint64_t first, std::uint64_t n, std::uint64_t term,
                       const std::string& tag = "e") {
  std::vector<Entry> out;
  for (std::uint64_t i = 0; i < n; ++i) {
    out.push_back(test::entry(first + i, term, tag + std::to_string(first + i)));
  }
  return out;
}

std::string only_segment(const MemoryFileSystem& fs) {
  for (const std::string& p : fs.paths()) {
    if (p.ends_with(".wal")) return p;
  }
  return {};
}

TEST(Wal, PersistedStateSurvivesReopening) {
  MemoryFileSystem fs;
  {
    auto w = open_ok(fs);
    w->persist(HardState{Term{2}, NodeId{3}, Index{0}}, run(1, 5, 2));
    w->persist(HardState{Term{2}, NodeId{3}, Index{4}}, run(6, 2, 2));
  }
  fs.crash([](std::uint64_t) { return 0; });
  auto w = open_ok(fs);
  EXPECT_EQ(w->hard_state(), (HardState{Term{2}, NodeId{3}, Index{4}}));
  EXPECT_EQ(entries_of(*w), run(1, 7, 2));
  EXPECT_EQ(w->recovery().records, 3u) << "a segment header and two batches";
}

// §5.3: a follower replaces a conflicting suffix; the later batch wins on replay.
TEST(Wal, SuffixTruncationSurvivesReopening_5_3) {
  MemoryFileSystem fs;
  {
    auto w = open_ok(fs);
    w->persist(HardState{Term{1}, kNoNode, Index{0}}, run(1, 5, 1));
    w->persist(HardState{Term{3}, kNoNode, Index{0}}, run(3, 1, 3, "new"));
  }
  auto w = open_ok(fs);
  auto expected = run(1, 2, 1);
  expected.push_back(test::entry(3, 3, "new3"));
  EXPECT_EQ(entries_of(*w), expected);
  EXPECT_EQ(w->last_index(), Index{3});
}

// Group commit: one record and one sync per persist, however many entries it carries.
TEST(Wal, OneSyncPerPersistHoweverManyEntries) {
  MemoryFileSystem fs;
  auto w = open_ok(fs);
  const auto before = w->stats();
  w->persist(HardState{Term{1}, kNoNode, Index{0}}, run(1, 500, 1));
  EXPECT_EQ(w->stats().syncs - before.syncs, 1u);
  EXPECT_EQ(w->stats().writes - before.writes, 1u);
  EXPECT_EQ(w->stats().entries, 500u);
}

// Persist only what must be: a commit-index-only change is a hint, written with the next
// record; a term or vote change is written and synced at once.
TEST(Wal, CommitOnlyChangeWaitsForTheNextWriteButTermAndVoteDoNot) {
  MemoryFileSystem fs;
  auto w = open_ok(fs);
  w->persist(HardState{Term{1}, NodeId{1}, Index{0}}, run(1, 3, 1));
  const auto s0 = w->stats();
  w->persist(HardState{Term{1}, NodeId{1}, Index{2}}, {});
  EXPECT_EQ(w->stats().syncs, s0.syncs) << "commit-only: no sync";
  EXPECT_EQ(w->hard_state().commit, Index{2}) << "but the core reads it back at once";
  w->persist(HardState{Term{2}, kNoNode, Index{2}}, {});
  EXPECT_EQ(w->stats().syncs, s0.syncs + 1) << "a new term is synced";
  w->persist(HardState{Term{2}, NodeId{2}, Index{2}}, {});
  EXPECT_EQ(w->stats().syncs, s0.syncs + 2) << "a vote is synced";
  w.reset();
  auto again = open_ok(fs);
  EXPECT_EQ(again->hard_state(), (HardState{Term{2}, NodeId{2}, Index{2}}));
}

TEST(Wal, RollsOverToNewSegmentsAndReplaysThemAll) {
  MemoryFileSystem fs;
  WalOptions opt;
  opt.segment_bytes = 300;
  {
    auto w = open_ok(fs, opt);
    for (std::uint64_t i = 1; i <= 40; ++i) {
      w->persist(HardState{Term{1}, kNoNode, Index{i - 1}}, run(i, 1, 1));
    }
    EXPECT_GE(w->stats().segments_created, 5u);
  }
  std::size_t segments = 0;
  for (const auto& p : fs.paths()) segments += p.ends_with(".wal");
  EXPECT_GE(segments, 5u);
  auto w = open_ok(fs, opt);
  EXPECT_EQ(entries_of(*w), run(1, 40, 1));
  EXPECT_EQ(w->hard_state().commit, Index{39});
  EXPECT_EQ(w->recovery().segments, segments);
}

// Builds a one-segment log of `n` persists; returns the file and, for each persist, the
// offset its record ends at and the state after it.
struct Scenario {
  MemoryFileSystem fs;
  std::string path;
  std::vector<std::uint64_t> ends;  // ends[k]: end of the record of persist k
  std::vector<std::vector<Entry>> logs;  // logs[k]: entries after persist k
  std::vector<HardState> states;
  std::uint64_t header_end = 0;
};

void build(Scenario& s, int n) {
  auto w = open_ok(s.fs);
  s.path = only_segment(s.fs);
  s.header_end = s.fs.contents(s.path).size();
  std::uint64_t term = 1;
  for (int k = 0; k < n; ++k) {
    const std::uint64_t first = k % 4 == 3 ? std::max<std::uint64_t>(1, w->last_index().value() - 1)
                                           : w->last_index().value() + 1;
    if (k % 4 == 3) ++term;  // every fourth persist overwrites a suffix with a newer term
    const HardState hs{Term{term}, NodeId{static_cast<std::uint64_t>(k % 3)}, Index{0}};
    w->persist(hs, run(first, 1 + static_cast<std::uint64_t>(k % 3), term, "p" + std::to_string(k)));
    s.ends.push_back(s.fs.contents(s.path).size());
    s.logs.push_back(entries_of(*w));
    s.states.push_back(w->hard_state());
  }
}

// Recovery from every truncation point of a valid log gives the valid prefix: every
// persist whose record is whole, nothing of the one cut through.
TEST(Wal, RecoveryFromEveryTruncationPointGivesTheValidPrefix) {
  Scenario s;
  build(s, 12);
  const std::string full = s.fs.contents(s.path);
  for (std::uint64_t cut = 0; cut <= full.size(); ++cut) {
    MemoryFileSystem fs;
    fs.create_dirs(kDir);
    fs.open_append(s.path)->append(full.substr(0, cut));
    auto w = Wal::open(fs, kDir);
    ASSERT_TRUE(w) << "cut at " << cut << ": " << w.error();
    int whole = -1;  // the last persist whose record is whole
    while (whole + 1 < static_cast<int>(s.ends.size()) && s.ends[static_cast<std::size_t>(whole + 1)] <= cut) ++whole;
    const std::vector<Entry> want = whole < 0 ? std::vector<Entry>{} : s.logs[static_cast<std::size_t>(whole)];
    const HardState want_hs = whole < 0 ? HardState{} : s.states[static_cast<std::size_t>(whole)];
    EXPECT_EQ(entries_of(**w), want) << "cut at " << cut;
    EXPECT_EQ((*w)->hard_state(), want_hs) << "cut at " << cut;
    const std::uint64_t kept = whole < 0 ? (cut >= s.header_end ? s.header_end : 0)
                                         : s.ends[static_cast<std::size_t>(whole)];
    EXPECT_EQ((*w)->recovery().torn_bytes, cut - kept) << "cut at " << cut;
  }
}

// Every single flipped byte is detected: in any record but the last it stops recovery
// with the file and offset; in the last record it cannot be told from a torn write and is
// cut off. Never is a damaged record served.
TEST(Wal, EverySingleFlippedByteIsDetectedNeverServed) {
  Scenario s;
  build(s, 8);
  const std::string full = s.fs.contents(s.path);
  const std::uint64_t last_start = s.ends[s.ends.size() - 2];
  for (std::uint64_t pos = 0; pos < full.size(); ++pos) {
    for (int bit : {0, 5}) {
      MemoryFileSystem fs;
      fs.create_dirs(kDir);
      fs.open_append(s.path)->append(full);
      fs.flip_bit(s.path, pos, bit);
      auto w = Wal::open(fs, kDir);
      if (pos < last_start) {
        ASSERT_FALSE(w) << "flip at byte " << pos << " bit " << bit << " was not detected";
        EXPECT_NE(w.error().find(s.path), std::string::npos) << w.error();
        EXPECT_NE(w.error().find("offset"), std::string::npos) << w.error();
      } else {
        ASSERT_TRUE(w) << w.error();
        EXPECT_EQ(entries_of(**w), s.logs[s.logs.size() - 2]) << "flip at byte " << pos;
        EXPECT_EQ((*w)->recovery().torn_bytes, full.size() - last_start);
      }
    }
  }
}

TEST(Wal, DamageInAnEarlierSegmentIsNeverCutOff) {
  MemoryFileSystem fs;
  WalOptions opt;
  opt.segment_bytes = 200;
  {
    auto w = open_ok(fs, opt);
    for (std::uint64_t i = 1; i <= 20; ++i) w->persist(HardState{Term{1}, kNoNode, Index{0}}, run(i, 1, 1));
  }
  std::vector<std::string> segs;
  for (const auto& p : fs.paths()) if (p.ends_with(".wal")) segs.push_back(p);
  ASSERT_GE(segs.size(), 3u);
  // Damage the tail of the first segment: its last record, which in a later segment's
  // company can only be corruption, not a torn write.
  const std::string& first = segs.front();
  fs.flip_bit(first, fs.contents(first).size() - 1, 3);
  auto w = Wal::open(fs, kDir, opt);
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().find(first), std::string::npos) << w.error();
  EXPECT_NE(w.error().find("not in the last segment"), std::string::npos) << w.error();
}

TEST(Wal, ATornSegmentHeaderFromACrashDuringRollOverIsRemoved) {
  MemoryFileSystem fs;
  {
    auto w = open_ok(fs);
    w->persist(HardState{Term{1}, kNoNode, Index{0}}, run(1, 2, 1));
  }
  fs.create_dirs(kDir);
  fs.open_append(kDir + "/" + Wal::segment_name(2))->append("RKV");  // a torn header
  auto w = open_ok(fs);
  EXPECT_EQ(entries_of(*w), run(1, 2, 1));
  EXPECT_FALSE(fs.exists(kDir + "/" + Wal::segment_name(2)));
  w->persist(std::nullopt, run(3, 1, 1));
  w.reset();
  EXPECT_EQ(entries_of(*open_ok(fs)), run(1, 3, 1));
}

TEST(Wal, ASecondOpenOfTheSameDirectoryIsRefused) {
  MemoryFileSystem fs;
  auto w = open_ok(fs);
  auto second = Wal::open(fs, kDir);
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().find("in use"), std::string::npos) << second.error();
}

TEST(Wal, ASecondProcessOnARealDirectoryGetsAClearError) {
  const std::string dir = std::filesystem::temp_directory_path() /
                          ("raftkv-wal-lock-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  PosixFileSystem fs;
  {
    auto w = Wal::open(fs, dir);
    ASSERT_TRUE(w) << w.error();
    // flock belongs to the open file description: a second open conflicts even in-process.
    auto second = Wal::open(fs, dir);
    ASSERT_FALSE(second);
    EXPECT_NE(second.error().find("in use by another process (pid " + std::to_string(::getpid())),
              std::string::npos)
        << second.error();
  }
  auto again = Wal::open(fs, dir);
  EXPECT_TRUE(again) << "the lock is released with the log";
  std::filesystem::remove_all(dir);
}

TEST(Wal, RealDiskRoundTrip) {
  const std::string dir = std::filesystem::temp_directory_path() /
                          ("raftkv-wal-disk-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  PosixFileSystem fs;
  WalOptions opt;
  opt.segment_bytes = 1024;
  {
    auto w = Wal::open(fs, dir, opt);
    ASSERT_TRUE(w) << w.error();
    for (std::uint64_t i = 1; i <= 100; i += 10) {
      (*w)->persist(HardState{Term{1}, NodeId{1}, Index{i - 1}}, run(i, 10, 1));
    }
  }
  auto w = Wal::open(fs, dir, opt);
  ASSERT_TRUE(w) << w.error();
  EXPECT_EQ(entries_of(**w), run(1, 100, 1));
  EXPECT_GT((*w)->recovery().segments, 1u);
  std::filesystem::remove_all(dir);
}

TEST(WalDeathTest, AFailedWriteOrSyncStopsTheNode) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        MemoryFileSystem fs;
        auto w = open_ok(fs);
        fs.fail_io(true);
        w->persist(HardState{Term{1}, kNoNode, Index{0}}, run(1, 1, 1));
      },
      "fail-stop: wal: .*Input/output error");
}

TEST(WalDeathTest, APersistThatWouldLeaveAGapStopsTheNode) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        MemoryFileSystem fs;
        auto w = open_ok(fs);
        w->persist(std::nullopt, run(5, 1, 1));
      },
      "fail-stop: wal: .*gap");
}

}  // namespace
}  // namespace raft
