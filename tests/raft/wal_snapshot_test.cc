// The write-ahead log's snapshots (raft/wal.h, §7): a snapshot file written atomically,
// segments deleted only once it is durable, and recovery from snapshot + segments after a
// crash at every sync of the way.
#include <gtest/gtest.h>

#include <random>

#include "raft/testing/memory_file_system.h"
#include "raft/wal.h"
#include "test_util.h"
#include "wal_test_util.h"

namespace raft {
namespace {

using testing::MemoryFileSystem;

using test::entries_of;
using test::open_ok;
const std::string& kDir = test::kWalDir;

std::vector<Entry> run(std::uint64_t first, std::uint64_t last, std::uint64_t term) {
  std::vector<Entry> out;
  for (std::uint64_t i = first; i <= last; ++i) {
    out.push_back(test::entry(i, term, "e" + std::to_string(i)));
  }
  return out;
}

Snapshot snap_at(std::uint64_t index, std::uint64_t term) {
  return Snapshot{SnapshotMeta{Index{index}, Term{term}, test::ids({1, 2, 3})},
                  Bytes("state up to " + std::to_string(index))};
}

WalOptions small_segments() {
  WalOptions opt;
  opt.segment_bytes = 300;
  opt.preallocate_bytes = 0;
  return opt;
}

std::size_t count_files(const MemoryFileSystem& fs, std::string_view suffix) {
  std::size_t n = 0;
  for (const auto& p : fs.paths()) n += p.ends_with(suffix);
  return n;
}

// 30 entries, one persist each, over many small segments.
void fill(Wal& w) {
  for (std::uint64_t i = 1; i <= 30; ++i) {
    w.persist(HardState{Term{2}, NodeId{1}, Index{i - 1}}, run(i, i, 2));
  }
}

TEST(WalSnapshot, CompactWritesTheSnapshotThenDeletesOnlyCoveredSegments_7) {
  MemoryFileSystem fs;
  {
    auto w = open_ok(fs, small_segments());
    fill(*w);
    const std::size_t before = count_files(fs, ".wal");
    ASSERT_GE(before, 5u);
    w->compact(snap_at(20, 2));
    EXPECT_EQ(count_files(fs, ".snap"), 1u);
    EXPECT_TRUE(fs.exists(kDir + "/" + Wal::snapshot_name(Index{20})));
    EXPECT_FALSE(fs.exists(kDir + "/snapshot.tmp"));
    EXPECT_LT(count_files(fs, ".wal"), before) << "covered segments deleted";
    EXPECT_EQ(w->first_index(), Index{21});
    EXPECT_EQ(w->term(Index{20}), Term{2});
    w->compact(snap_at(28, 2));
    EXPECT_EQ(count_files(fs, ".snap"), 1u) << "the older snapshot goes";
  }
  fs.crash([](std::uint64_t) { return 0; });
  auto w = open_ok(fs, small_segments());
  EXPECT_EQ(w->snapshot(), snap_at(28, 2));
  EXPECT_EQ(w->first_index(), Index{29});
  EXPECT_EQ(entries_of(*w), run(29, 30, 2));
  EXPECT_EQ(w->hard_state().term, Term{2});
  EXPECT_EQ(w->hard_state().vote, NodeId{1});
}

TEST(WalSnapshot, CompactingPastTheLogIsRefused) {
  MemoryFileSystem fs;
  auto w = open_ok(fs);
  w->persist(HardState{Term{1}, kNoNode, Index{0}}, run(1, 3, 1));
  EXPECT_THROW(w->compact(snap_at(4, 1)), std::invalid_argument);
  EXPECT_THROW(w->compact(snap_at(3, 2)), std::invalid_argument);
}

TEST(WalSnapshot, AReceivedSnapshotReplacesTheWholeLogAcrossReopening_7) {
  MemoryFileSystem fs;
  {
    auto w = open_ok(fs, small_segments());
    fill(*w);
    // A leader of term 3 whose snapshot ends at 25 with another term: all our entries go.
    w->apply_snapshot(snap_at(25, 3));
    w->persist(HardState{Term{3}, kNoNode, Index{25}}, run(26, 27, 3));
  }
  auto w = open_ok(fs, small_segments());
  EXPECT_EQ(w->snapshot(), snap_at(25, 3));
  EXPECT_EQ(entries_of(*w), run(26, 27, 3)) << "none of the old entries after 25 came back";
  EXPECT_EQ(w->hard_state(), (HardState{Term{3}, kNoNode, Index{25}}));
}

// What recovery may see after dying at sync k of a compaction or a snapshot install: the
// old log whole, or the snapshot with exactly the entries after it -- never a mixture,
// never a refusal, never a lost term or vote. Every sync point, several crash draws each.
void crash_at_every_sync(bool received) {
  for (std::uint64_t k = 1; k <= 8; ++k) {
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
      SCOPED_TRACE("sync " + std::to_string(k) + ", seed " + std::to_string(seed));
      MemoryFileSystem fs;
      const Snapshot snap = received ? snap_at(25, 3) : snap_at(20, 2);
      {
        auto w = open_ok(fs, small_segments());
        fill(*w);
        fs.die_at_sync(k);
        if (received) {
          w->apply_snapshot(snap);
        } else {
          w->compact(snap);
        }
      }
      std::mt19937_64 rng(seed);
      fs.crash([&](std::uint64_t n) { return rng() % (n + 1); });
      auto w = open_ok(fs, small_segments());
      ASSERT_NE(w, nullptr);
      EXPECT_EQ(w->hard_state().term, Term{2});
      EXPECT_EQ(w->hard_state().vote, NodeId{1});
      if (w->snapshot().empty()) {
        EXPECT_EQ(entries_of(*w), run(1, 30, 2));
      } else {
        EXPECT_EQ(w->snapshot(), snap);
        EXPECT_EQ(entries_of(*w), received ? std::vector<Entry>{} : run(21, 30, 2));
      }
      // And the log goes on working.
      w->persist(std::nullopt, {test::entry(w->last_index().value() + 1, 4, "next")});
    }
  }
}

TEST(WalSnapshot, CrashAtEverySyncOfACompactionRecoversOldOrNewNeverAMixture_7) {
  crash_at_every_sync(false);
}

TEST(WalSnapshot, CrashAtEverySyncOfASnapshotInstallRecoversOldOrNewNeverAMixture_7) {
  crash_at_every_sync(true);
}

TEST(WalSnapshot, ADamagedSnapshotFileIsRefusedWithItsName) {
  MemoryFileSystem fs;
  {
    auto w = open_ok(fs, small_segments());
    fill(*w);
    w->compact(snap_at(20, 2));
  }
  fs.flip_bit(kDir + "/" + Wal::snapshot_name(Index{20}), 30, 2);
  auto w = Wal::open(fs, kDir, small_segments());
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().find(Wal::snapshot_name(Index{20})), std::string::npos) << w.error();
}

// A commit-only change rides with the next record, so the segments may end with an older
// commit index than the snapshot taken since (found by fuzz_wal_snapshot). The snapshot
// itself proves its entries committed: recovery never puts the commit index below it.
TEST(WalSnapshot, RecoveryNeverPutsTheCommitIndexBelowTheSnapshot_7) {
  MemoryFileSystem fs;
  {
    auto w = open_ok(fs, small_segments());
    w->persist(HardState{Term{2}, NodeId{1}, Index{0}}, run(1, 6, 2));
    w->persist(HardState{Term{2}, NodeId{1}, Index{6}}, {});  // commit only: not written yet
    w->compact(snap_at(6, 2));
  }
  auto w = open_ok(fs, small_segments());
  EXPECT_EQ(w->snapshot().meta.index, Index{6});
  EXPECT_GE(w->hard_state().commit, Index{6});
  EXPECT_EQ(w->hard_state().term, Term{2});
  EXPECT_EQ(w->first_index(), Index{7});
}

}  // namespace
}  // namespace raft
