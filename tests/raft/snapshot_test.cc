// Log compaction and InstallSnapshot (paper §7, thesis chapter 5): storage, the leader's
// Snapshot state and chunked transfer, the follower's install rules, Ready::snapshot, and
// restart from snapshot + log tail.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "raft/testing/cluster.h"
#include "test_util.h"

namespace raft {
namespace {

using testing::Cluster;

Snapshot snap_at(std::uint64_t index, std::uint64_t term, std::string data = "state") {
  return Snapshot{SnapshotMeta{Index{index}, Term{term}, test::ids({1, 2, 3})}, Bytes(data)};
}

// Proposes `n` entries on the leader and delivers until quiet.
void propose_n(Cluster& c, NodeId leader, int n) {
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(c.propose(leader, "cmd" + std::to_string(i)));
  }
  c.deliver_all();
}

TEST(Snapshot, CompactKeepsTheTermOfTheLastIncludedEntry_7) {
  MemoryStorage s;
  s.append({test::entry(1, 1), test::entry(2, 1), test::entry(3, 2), test::entry(4, 2)});
  s.compact(snap_at(3, 2));
  EXPECT_EQ(s.first_index(), Index{4});
  EXPECT_EQ(s.last_index(), Index{4});
  EXPECT_EQ(s.term(Index{3}), Term{2}) << "AppendEntries at index 4 checks term(3)";
  EXPECT_EQ(s.term(Index{2}), std::nullopt);
  EXPECT_EQ(s.snapshot().meta.index, Index{3});
  EXPECT_EQ(s.entries(Index{4}, Index{5}, 1 << 20).front().term, Term{2});
  s.compact(snap_at(2, 1));  // older: ignored
  EXPECT_EQ(s.first_index(), Index{4});
  EXPECT_THROW(s.compact(snap_at(9, 2)), std::invalid_argument) << "not stored";
  EXPECT_THROW(s.compact(snap_at(4, 3)), std::invalid_argument) << "wrong term";
}

TEST(Snapshot, ApplySnapshotReplacesTheWholeLog_7) {
  MemoryStorage s;
  s.append({test::entry(1, 1), test::entry(2, 1), test::entry(3, 1)});
  s.apply_snapshot(snap_at(7, 3));
  EXPECT_EQ(s.first_index(), Index{8});
  EXPECT_EQ(s.last_index(), Index{7});
  EXPECT_EQ(s.term(Index{7}), Term{3});
  s.append({test::entry(8, 3)});
  EXPECT_EQ(s.last_index(), Index{8});
}

TEST(Snapshot, LaggingFollowerCatchesUpThroughInstallSnapshot_7) {
  Cluster c(3, 11);
  const NodeId leader = c.wait_for_leader();
  ASSERT_NE(leader, kNoNode);
  const NodeId lagging = leader == NodeId{3} ? NodeId{2} : NodeId{3};
  c.isolate(lagging);
  propose_n(c, leader, 40);
  for (NodeId id : c.ids()) {
    if (id != lagging) c.compact(id);
  }
  const Index compacted = c.state(leader).storage->snapshot().meta.index;
  ASSERT_GT(compacted.value(), 40u);
  c.heal();
  c.run(30);
  EXPECT_EQ(c.state(lagging).storage->snapshot().meta.index, compacted)
      << "the follower installed the leader's snapshot";
  EXPECT_EQ(c.node(lagging).log().committed(), c.node(leader).log().committed());
  EXPECT_EQ(c.state(lagging).applied, c.state(leader).applied)
      << "same state machine: snapshot restored, then the entries after it applied";
  const Progress* pr = c.node(leader).progress(lagging);
  ASSERT_NE(pr, nullptr);
  EXPECT_NE(pr->state(), ProgressState::kSnapshot) << "back to appends once installed";
  c.check_log_matching();
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

TEST(Snapshot, SnapshotTravelsInChunksOfBoundedSize_7) {
  Cluster c(3, 12, [](Config& cfg) { cfg.max_snapshot_chunk_bytes = 64; });
  const NodeId leader = c.wait_for_leader();
  const NodeId lagging = leader == NodeId{3} ? NodeId{2} : NodeId{3};
  c.isolate(lagging);
  propose_n(c, leader, 30);
  c.compact(leader);
  const Snapshot snap = c.state(leader).storage->snapshot();
  ASSERT_GT(snap.data.size(), 64u * 4) << "a snapshot that needs several chunks";
  std::vector<SnapshotRequest> chunks;
  c.set_filter([&](Message& m) {
    if (const auto* r = std::get_if<SnapshotRequest>(&m.body)) chunks.push_back(*r);
    return false;
  });
  c.heal();
  c.run(40);
  ASSERT_FALSE(chunks.empty());
  std::string whole;
  for (const SnapshotRequest& r : chunks) {
    EXPECT_LE(r.data.size(), 64u);
    EXPECT_EQ(r.offset, whole.size()) << "in order, each after the previous one's answer";
    whole += r.data.view();
    EXPECT_EQ(r.done, whole.size() == snap.data.size());
  }
  EXPECT_EQ(whole, snap.data.view());
  EXPECT_EQ(c.state(lagging).storage->snapshot(), snap);
}

// Chunks lost, duplicated and reordered on the way: the follower still ends up with
// exactly the leader's snapshot, and every invariant holds. Seeded; prints the seed.
TEST(Snapshot, LostDuplicatedAndReorderedChunksStillInstallTheSameSnapshot_7) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Cluster c(3, seed, [](Config& cfg) { cfg.max_snapshot_chunk_bytes = 50; });
    std::mt19937_64 rng(seed);
    const NodeId leader = c.wait_for_leader();
    ASSERT_NE(leader, kNoNode);
    const NodeId lagging = leader == NodeId{3} ? NodeId{2} : NodeId{3};
    c.isolate(lagging);
    propose_n(c, leader, 25);
    c.compact(leader);
    const Snapshot snap = c.state(leader).storage->snapshot();
    std::deque<Message> replay;
    c.set_filter([&](Message& m) {
      if (!std::holds_alternative<SnapshotRequest>(m.body) &&
          !std::holds_alternative<SnapshotResponse>(m.body)) {
        return false;
      }
      const int roll = static_cast<int>(rng() % 10);
      if (roll < 2) replay.push_back(m);  // delivered now and again later
      return roll >= 2 && roll < 5;      // 30% lost
    });
    c.heal();
    for (int round = 0; round < 200 && c.state(lagging).storage->snapshot().empty(); ++round) {
      c.tick_all();
      c.shuffle_queue();
      while (!replay.empty()) {  // duplicates, late and out of order
        c.queue().push_back(std::move(replay.front()));
        replay.pop_front();
      }
      c.shuffle_queue();
      c.deliver_all(50);
    }
    c.set_filter({});
    c.run(20);
    EXPECT_EQ(c.state(lagging).storage->snapshot(), snap);
    EXPECT_EQ(c.state(lagging).applied, c.state(leader).applied);
    EXPECT_TRUE(c.checker().ok()) << c.checker().report();
    if (::testing::Test::HasFailure()) break;
  }
}

TEST(Snapshot, FollowerIgnoresSnapshotNotNewerThanItsCommitIndex_7) {
  test::Solo s(2);
  s.raft->step(test::msg(1, 2, 1, AppendRequest{Index{0}, Term{0},
                                                {test::entry(1, 1), test::entry(2, 1),
                                                 test::entry(3, 1)},
                                                Index{3}}));
  s.persist();
  ASSERT_EQ(s.raft->log().committed(), Index{3});
  s.raft->step(test::msg(1, 2, 1, SnapshotRequest{snap_at(2, 1).meta, 0, "old", true}));
  Ready rd = s.persist();
  EXPECT_FALSE(rd.snapshot) << "installing it would move commit back";
  EXPECT_EQ(s.raft->log().committed(), Index{3});
  auto resp = test::bodies_of<SnapshotResponse>(rd.messages_after_persist);
  ASSERT_EQ(resp.size(), 1u);
  EXPECT_TRUE(resp[0].installed);
  EXPECT_EQ(resp[0].index, Index{3}) << "tells the leader how far it matches";
}

TEST(Snapshot, FollowerHoldingTheLastIncludedEntryKeepsTheEntriesAfterIt_7) {
  test::Solo s(2);
  std::vector<Entry> es;
  for (std::uint64_t i = 1; i <= 6; ++i) es.push_back(test::entry(i, 1));
  s.raft->step(test::msg(1, 2, 1, AppendRequest{Index{0}, Term{0}, es, Index{1}}));
  s.persist();
  s.raft->step(test::msg(1, 2, 1, SnapshotRequest{snap_at(4, 1).meta, 0, "s", true}));
  Ready rd = s.persist();
  EXPECT_FALSE(rd.snapshot) << "rule 6: the log already holds it";
  EXPECT_EQ(s.raft->log().last_index(), Index{6}) << "entries after it retained";
  EXPECT_EQ(s.raft->log().committed(), Index{4});
  ASSERT_EQ(rd.committed_entries.size(), 3u) << "applied from its own log instead";
  EXPECT_EQ(rd.committed_entries.back().index, Index{4});
}

TEST(Snapshot, FollowerWithoutTheLastIncludedEntryDiscardsItsLog_7) {
  test::Solo s(2);
  s.raft->step(test::msg(1, 2, 1, AppendRequest{Index{0}, Term{0},
                                                {test::entry(1, 1), test::entry(2, 1),
                                                 test::entry(3, 1), test::entry(4, 1)},
                                                Index{1}}));
  s.persist();
  // A leader of term 3 whose snapshot ends at (5, 3): our entries 2..4 are not in it.
  s.raft->step(test::msg(3, 2, 3, SnapshotRequest{snap_at(5, 3).meta, 0, "abc", false}));
  Ready rd = s.persist();
  EXPECT_FALSE(rd.snapshot) << "not whole yet";
  auto progress = test::bodies_of<SnapshotResponse>(rd.messages);
  ASSERT_EQ(progress.size(), 1u) << "a chunk's receipt need not wait for a disk";
  EXPECT_EQ(progress[0].next_offset, 3u);
  s.raft->step(test::msg(3, 2, 3, SnapshotRequest{snap_at(5, 3).meta, 3, "def", true}));
  rd = s.raft->ready();
  ASSERT_TRUE(rd.snapshot);
  EXPECT_EQ(rd.snapshot->data, "abcdef");
  EXPECT_EQ(rd.snapshot->meta.index, Index{5});
  EXPECT_TRUE(rd.committed_entries.empty()) << "the snapshot replaces them";
  EXPECT_EQ(rd.hard_state->commit, Index{5});
  EXPECT_EQ(test::count_of<SnapshotResponse>(rd.messages), 0u)
      << "the install acknowledgement waits for the snapshot to be persisted";
  EXPECT_EQ(test::count_of<SnapshotResponse>(rd.messages_after_persist), 1u);
  s.storage.apply_snapshot(*rd.snapshot);
  s.storage.set_hard_state(*rd.hard_state);
  s.raft->advance(rd);
  EXPECT_EQ(s.raft->log().last_index(), Index{5});
  EXPECT_EQ(s.raft->log().first_index(), Index{6});
  EXPECT_EQ(s.raft->log().applied(), Index{5});
  // The next append continues after the snapshot.
  s.raft->step(test::msg(3, 2, 3, AppendRequest{Index{5}, Term{3}, {test::entry(6, 3)}, Index{6}}));
  rd = s.persist();
  ASSERT_EQ(rd.committed_entries.size(), 1u);
  EXPECT_EQ(rd.committed_entries[0].index, Index{6});
}

TEST(Snapshot, ChunkThatDoesNotContinueTheBufferIsAnsweredWithTheOffsetWanted_7) {
  test::Solo s(2);
  s.raft->step(test::msg(1, 2, 1, SnapshotRequest{snap_at(5, 1).meta, 0, "abc", false}));
  s.persist();
  // A chunk that overtook a lost one, then a duplicate of the first.
  s.raft->step(test::msg(1, 2, 1, SnapshotRequest{snap_at(5, 1).meta, 6, "ghi", true}));
  auto r1 = test::bodies_of<SnapshotResponse>(s.persist().messages);
  s.raft->step(test::msg(1, 2, 1, SnapshotRequest{snap_at(5, 1).meta, 0, "abc", false}));
  auto r2 = test::bodies_of<SnapshotResponse>(s.persist().messages);
  ASSERT_EQ(r1.size(), 1u);
  ASSERT_EQ(r2.size(), 1u);
  EXPECT_EQ(r1[0].next_offset, 3u);
  EXPECT_EQ(r2[0].next_offset, 3u);
  EXPECT_FALSE(r1[0].installed);
  // A chunk of a different snapshot starts the buffer over.
  s.raft->step(test::msg(1, 2, 1, SnapshotRequest{snap_at(6, 1).meta, 3, "def", false}));
  auto r3 = test::bodies_of<SnapshotResponse>(s.persist().messages);
  ASSERT_EQ(r3.size(), 1u);
  EXPECT_EQ(r3[0].next_offset, 0u);
}

TEST(Snapshot, RestartStartsFromTheSnapshotAndTheLogTail_7) {
  Cluster c(3, 13);
  const NodeId leader = c.wait_for_leader();
  propose_n(c, leader, 20);
  const NodeId f = leader == NodeId{1} ? NodeId{2} : NodeId{1};
  c.compact(f);
  const Index snap_index = c.state(f).storage->snapshot().meta.index;
  propose_n(c, leader, 5);
  c.spread_commit();
  const std::vector<Entry> before = c.state(f).applied;
  c.crash(f);
  c.restart(f);
  EXPECT_EQ(c.node(f).log().applied(), snap_index) << "re-applies only the tail";
  EXPECT_EQ(c.node(f).log().first_index(), snap_index.next());
  c.run(10);
  EXPECT_EQ(c.state(f).applied, before);
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

TEST(Snapshot, LeaderStartsOverWhenItCompactsAgainDuringATransfer_7) {
  Cluster c(3, 14, [](Config& cfg) { cfg.max_snapshot_chunk_bytes = 32; });
  const NodeId leader = c.wait_for_leader();
  const NodeId lagging = leader == NodeId{3} ? NodeId{2} : NodeId{3};
  c.isolate(lagging);
  propose_n(c, leader, 10);
  c.compact(leader);
  c.heal();
  // Let a few chunks through, then compact again before the transfer finishes.
  for (int i = 0; i < 3; ++i) {
    c.tick_all();
    c.deliver_all(4);
  }
  c.isolate(lagging);
  propose_n(c, leader, 10);
  c.compact(leader);
  c.heal();
  c.run(60);
  EXPECT_EQ(c.state(lagging).storage->snapshot(), c.state(leader).storage->snapshot());
  EXPECT_EQ(c.state(lagging).applied, c.state(leader).applied);
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

// The production twin of the planted install_stale_snapshot bug: a late, duplicated
// transfer of an old snapshot changes nothing.
TEST(Snapshot, LateDuplicateOfAnOldSnapshotChangesNothing_7) {
  Cluster c(3, 5, test::manual);
  c.elect(NodeId{1});
  for (int i = 0; i < 5; ++i) c.propose(NodeId{1}, "a" + std::to_string(i));
  c.deliver_all();
  c.compact(NodeId{1});
  const Snapshot old = c.state(NodeId{1}).storage->snapshot();
  for (int i = 0; i < 5; ++i) c.propose(NodeId{1}, "b" + std::to_string(i));
  c.spread_commit();
  const Index commit = c.node(NodeId{2}).log().committed();
  const std::vector<Entry> applied = c.state(NodeId{2}).applied;
  c.queue().push_back(Message{NodeId{1}, NodeId{2}, c.node(NodeId{1}).term(),
                              SnapshotRequest{old.meta, 0, old.data, true}});
  c.deliver_all();
  EXPECT_EQ(c.node(NodeId{2}).log().committed(), commit);
  EXPECT_EQ(c.state(NodeId{2}).applied, applied);
  EXPECT_TRUE(c.state(NodeId{2}).storage->snapshot().empty());
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

// Every answer duplicated (three copies, delivered late and out of order): only an answer
// that confirms new bytes sends the next chunk, so duplicates and overtaken answers cannot
// start chains of their own (a message storm).
TEST(Snapshot, DuplicatedChunkAnswersDoNotMultiplyTheChunks_7) {
  Cluster c(3, 15, [](Config& cfg) { cfg.max_snapshot_chunk_bytes = 32; });
  const NodeId leader = c.wait_for_leader();
  const NodeId lagging = leader == NodeId{3} ? NodeId{2} : NodeId{3};
  c.isolate(lagging);
  propose_n(c, leader, 20);
  c.compact(leader);
  const std::size_t size = c.state(leader).storage->snapshot().data.size();
  const std::size_t chunks = (size + 31) / 32;
  std::size_t sent = 0;
  std::map<std::uint64_t, int> copies;  // by next_offset
  c.set_filter([&](Message& m) {
    if (std::holds_alternative<SnapshotRequest>(m.body)) ++sent;
    if (const auto* r = std::get_if<SnapshotResponse>(&m.body)) {
      if (copies[r->next_offset]++ < 3) {
        c.queue().push_back(m);  // delivered now, and again later
        c.shuffle_queue();
      }
    }
    return false;
  });
  c.heal();
  c.run(20);
  c.set_filter({});
  EXPECT_EQ(c.state(lagging).storage->snapshot(), c.state(leader).storage->snapshot());
  EXPECT_GT(chunks, 5u);
  EXPECT_LE(sent, 2 * chunks + 20) << chunks << " chunks; the rest are resends on heartbeats";
}

// A follower that restarts in the middle of a transfer has lost its buffer; its answer
// (it wants byte 0) makes the leader start over instead of resending the same chunk forever.
TEST(Snapshot, TransferStartsOverWhenTheFollowerRestartsMidway_7) {
  Cluster c(3, 16, [](Config& cfg) { cfg.max_snapshot_chunk_bytes = 32; });
  const NodeId leader = c.wait_for_leader();
  const NodeId lagging = leader == NodeId{3} ? NodeId{2} : NodeId{3};
  c.isolate(lagging);
  propose_n(c, leader, 20);
  c.compact(leader);
  std::size_t chunks_seen = 0;
  c.set_filter([&](Message& m) {
    chunks_seen += std::holds_alternative<SnapshotRequest>(m.body);
    return false;
  });
  c.heal();
  while (chunks_seen < 4) {
    c.tick_all();
    c.deliver_all(3);
  }
  ASSERT_TRUE(c.state(lagging).storage->snapshot().empty()) << "still mid-transfer";
  c.crash(lagging);
  c.restart(lagging);
  c.run(60);
  c.set_filter({});
  EXPECT_EQ(c.state(lagging).storage->snapshot(), c.state(leader).storage->snapshot());
  EXPECT_EQ(c.state(lagging).applied, c.state(leader).applied);
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

}  // namespace
}  // namespace raft
