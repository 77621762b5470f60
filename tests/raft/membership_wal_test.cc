// The configuration survives a restart from the write-ahead log: configuration entries are
// ordinary batch records, and a snapshot keeps learners and a joint configuration (in a
// trailer that older snapshot files simply lack).
#include <gtest/gtest.h>

#include "raft/testing/memory_file_system.h"
#include "raft/wal.h"
#include "raft/wal_record.h"
#include "test_util.h"
#include "wal_test_util.h"

namespace raft {
namespace {

using test::open_ok;

Entry conf_entry(std::uint64_t index, std::uint64_t term, const ConfState& c) {
  return Entry{Term{term}, Index{index}, EntryType::kConfig, encode_conf_state(c)};
}

TEST(ConfigurationDurability, WalRestartRecoversTheLatestConfigurationEntry_4_1) {
  testing::MemoryFileSystem fs;
  const ConfState joint{test::ids({1, 2, 4}), test::ids({1, 2, 3}), test::ids({9})};
  const ConfState fin{test::ids({1, 2, 4}), {}, test::ids({9})};
  {
    auto w = open_ok(fs);
    w->persist(HardState{Term{1}, NodeId{1}, Index{2}},
               {test::entry(1, 1), conf_entry(2, 1, joint), conf_entry(3, 1, fin)});
  }
  auto w = open_ok(fs);
  Config cfg;
  cfg.id = NodeId{4};  // added later: it has no bootstrap list
  Raft r(cfg, *w);
  EXPECT_EQ(r.configuration(), fin);
  EXPECT_EQ(r.configuration_index(), Index{3});
  EXPECT_TRUE(r.voters().contains(NodeId{4}));
  EXPECT_FALSE(r.voters().joint());
}

TEST(ConfigurationDurability, WalSnapshotKeepsLearnersAndJointConfiguration_5_1) {
  testing::MemoryFileSystem fs;
  const Snapshot snap{SnapshotMeta{Index{5}, Term{2}, test::ids({1, 2, 4}), test::ids({1, 2, 3}),
                                   test::ids({7, 8})},
                      Bytes("state")};
  {
    auto w = open_ok(fs);
    w->persist(HardState{Term{2}, NodeId{1}, Index{0}}, {});
    w->apply_snapshot(snap);
  }
  auto w = open_ok(fs);
  EXPECT_EQ(w->snapshot(), snap);
  Config cfg;
  cfg.id = NodeId{7};
  Raft r(cfg, *w);
  EXPECT_TRUE(r.configuration().joint());
  EXPECT_TRUE(r.configuration().is_learner(NodeId{7}));
  EXPECT_EQ(r.configuration_index(), Index{5});
}

TEST(ConfigurationDurability, SnapshotWithoutLearnersIsEncodedAsBefore) {
  // Byte-compatible with snapshot files written before learners existed.
  const SnapshotMeta plain{Index{3}, Term{1}, test::ids({1, 2, 3})};
  std::string with_trailer_off;
  wal::append_snapshot(with_trailer_off, wal::SnapshotFile{Snapshot{plain, Bytes("x")}, {}, 0});
  SnapshotMeta learner = plain;
  learner.learners = test::ids({4});
  std::string with_trailer;
  wal::append_snapshot(with_trailer, wal::SnapshotFile{Snapshot{learner, Bytes("x")}, {}, 0});
  EXPECT_EQ(with_trailer.size(), with_trailer_off.size() + 4 + 4 + 8);
}

}  // namespace
}  // namespace raft
