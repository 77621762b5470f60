// Unit tests of the simulator's parts: the event order, the schedule's text form, the
// partition shapes, the crash point inside persist, replay determinism, and that the
// liveness check is not vacuous.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "raftsim/events.h"
#include "raftsim/latency.h"
#include "raftsim/partition.h"
#include "raftsim/schedule.h"
#include "raftsim/sim_storage.h"
#include "raftsim/kv_workload.h"
#include "raftsim/simulator.h"
#include "raftsim/timeline.h"

namespace raftsim {
namespace {

TEST(EventQueue, EarliestFirstAndTiesInSchedulingOrder) {
  EventQueue q;
  q.push(20, TickEvent{1});
  q.push(10, TickEvent{2});
  q.push(10, TickEvent{3});
  q.push(5, TickEvent{4});
  std::vector<int> order;
  while (!q.empty()) order.push_back(std::get<TickEvent>(q.pop().body).node);
  EXPECT_EQ(order, (std::vector<int>{4, 2, 3, 1}));
}

// The heap against a sorted reference, over random interleavings of pushes and pops with
// many equal times (seeded; the seed is in the failure message).
TEST(EventQueue, PopsInTimeThenSchedulingOrderUnderRandomInterleavings) {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    Rng rng(seed);
    EventQueue q;
    std::vector<std::pair<Micros, int>> reference;  // (time, push order); kept sorted
    int pushed = 0;
    for (int step = 0; step < 2000; ++step) {
      if (q.empty() || rng.uniform(0, 99) < 55) {
        const Micros at = rng.uniform(0, 50);
        q.push(at, TickEvent{pushed});
        reference.insert(std::upper_bound(reference.begin(), reference.end(),
                                          std::make_pair(at, pushed)),
                         {at, pushed});
        ++pushed;
      } else {
        const Event e = q.pop();
        ASSERT_EQ(e.at, reference.front().first) << "seed " << seed << " step " << step;
        ASSERT_EQ(std::get<TickEvent>(e.body).node, reference.front().second)
            << "seed " << seed << " step " << step;
        reference.erase(reference.begin());
      }
      ASSERT_EQ(q.size(), reference.size());
    }
  }
}

TEST(Latency, ParsesWhatItDescribesAndSamplesWithinBounds) {
  for (const char* text : {"constant:5ms", "uniform:1ms-10ms", "exponential:1ms+4ms"}) {
    auto l = Latency::parse(text);
    ASSERT_TRUE(l) << text;
    EXPECT_EQ(l->describe(), text);
  }
  EXPECT_FALSE(Latency::parse("uniform:10ms-1ms"));
  EXPECT_FALSE(Latency::parse("gaussian:1ms"));
  Rng rng(1);
  const Latency u = Latency::uniform(millis(1), millis(10));
  for (int i = 0; i < 1000; ++i) {
    const Micros d = u.sample(rng);
    ASSERT_GE(d, millis(1));
    ASSERT_LE(d, millis(10));
  }
}

TEST(Schedule, TextFormRoundTrips) {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    Rng rng(seed);
    const Schedule s = random_schedule(FaultMix::all(), 5, seconds(3), millis(150), rng);
    const std::string text = describe(s, 5);
    std::string error;
    const auto parsed = parse_schedule(text, error);
    ASSERT_TRUE(parsed) << error << "\n" << text;
    EXPECT_EQ(describe(*parsed, 5), text);
  }
}

TEST(Schedule, ParsesSelectorsAndReportsTheBadLine) {
  std::string error;
  auto s = parse_schedule("10ms crash next-leader+12ms; 20ms isolate leader; 1s end", error);
  ASSERT_TRUE(s) << error;
  ASSERT_EQ(s->faults.size(), 2u);
  EXPECT_EQ(s->faults[0].node, kNextLeader);
  EXPECT_EQ(s->faults[0].delay, millis(12));
  EXPECT_EQ(s->faults[1].node, kLeader);
  EXPECT_EQ(s->end, seconds(1));
  EXPECT_FALSE(parse_schedule("10ms heal\n20ms explode 3", error));
  EXPECT_NE(error.find("line 2"), std::string::npos) << error;
  EXPECT_FALSE(parse_schedule("soon crash 1", error));
}

// Which nodes `to` hears from (itself included).
std::set<int> heard_by(const Cuts& c, int to, int n) {
  std::set<int> out;
  for (int from = 1; from <= n; ++from) {
    if (from == to || !c.blocks(from, to)) out.insert(from);
  }
  return out;
}

TEST(Partition, ShapesCutWhatTheyPromise) {
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const Cuts one = make_cuts({PartitionShape::kIsolateOne, seed}, 5);
    EXPECT_EQ(one.directed().size(), 8u);  // one node, four peers, both ways
    const Cuts halves = make_cuts({PartitionShape::kHalves, seed}, 5);
    EXPECT_EQ(halves.directed().size(), 12u);  // 2 x 3 links, both ways
    const Cuts third = make_cuts({PartitionShape::kMinorityThird, seed}, 7);
    EXPECT_EQ(third.directed().size(), 2u * 2 * 5);  // floor(6/3) = 2 nodes cut off
    const Cuts ring = make_cuts({PartitionShape::kMajoritiesRing, seed}, 5);
    std::set<std::set<int>> majorities;
    bool one_way = false;
    for (int node = 1; node <= 5; ++node) {
      const std::set<int> heard = heard_by(ring, node, 5);
      EXPECT_EQ(heard.size(), 3u) << "node " << node << " must hear exactly a majority";
      majorities.insert(heard);
      for (int other = 1; other <= 5; ++other) {
        one_way |= ring.blocks(node, other) != ring.blocks(other, node);
      }
    }
    EXPECT_EQ(majorities.size(), 5u) << "every node hears a different majority";
    EXPECT_TRUE(one_way);
    EXPECT_FALSE(make_cuts({PartitionShape::kAsymmetric, seed}, 5).empty());
  }
  EXPECT_TRUE(make_cuts({PartitionShape::kMinorityThird, 0}, 3).empty());
}

raft::Entry entry(std::uint64_t index, std::uint64_t term) {
  return raft::Entry{raft::Term{term}, raft::Index{index}, raft::EntryType::kNormal, "x"};
}

auto keep_none = [](std::uint64_t) -> std::uint64_t { return 0; };
auto keep_all = [](std::uint64_t n) -> std::uint64_t { return n; };

TEST(SimStorage, CrashInsidePersistLosesThatWriteAndEverythingAfter) {
  SimStorage s;
  s.persist(raft::HardState{raft::Term{1}, raft::NodeId{2}, raft::Index{0}}, {entry(1, 1)});
  s.arm(PersistPoint::kAny);
  s.persist(std::nullopt, {entry(2, 1)});
  EXPECT_TRUE(s.crashed());
  EXPECT_EQ(s.last_index(), raft::Index{2}) << "the dying process still sees its write";
  s.persist(std::nullopt, {entry(3, 1)});  // dead: nothing more reaches even the page cache
  s.crash(keep_none);
  ASSERT_EQ(s.restart(), "");
  EXPECT_FALSE(s.crashed());
  EXPECT_EQ(s.last_index(), raft::Index{1}) << "the torn write is cut off on recovery";
  EXPECT_EQ(s.hard_state().vote, raft::NodeId{2});
}

TEST(SimStorage, AWriteThatReachedThePageCacheWholeMaySurvive) {
  SimStorage s;
  s.persist(raft::HardState{raft::Term{1}, raft::NodeId{2}, raft::Index{0}}, {entry(1, 1)});
  s.arm(PersistPoint::kAny);
  s.persist(std::nullopt, {entry(2, 1)});
  s.persist(std::nullopt, {entry(3, 1)});
  s.crash(keep_all);
  ASSERT_EQ(s.restart(), "");
  EXPECT_EQ(s.last_index(), raft::Index{2}) << "whole, but nothing written after the death";
}

TEST(SimStorage, TermOrVotePointWaitsForAHardStateChange) {
  SimStorage s;
  s.persist(raft::HardState{raft::Term{1}, raft::kNoNode, raft::Index{0}}, {});
  s.arm(PersistPoint::kTermOrVote);
  s.persist(std::nullopt, {entry(1, 1)});
  s.persist(raft::HardState{raft::Term{1}, raft::kNoNode, raft::Index{1}}, {});  // commit only
  EXPECT_FALSE(s.crashed());
  s.persist(raft::HardState{raft::Term{2}, raft::NodeId{3}, raft::Index{1}}, {});
  EXPECT_TRUE(s.crashed());
  s.crash(keep_none);
  ASSERT_EQ(s.restart(), "");
  EXPECT_EQ(s.hard_state().term, raft::Term{1});
  EXPECT_EQ(s.last_index(), raft::Index{1});
}

TEST(SimStorage, AFlippedBitIsRefusedAtRestart) {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    SimStorage s;
    for (std::uint64_t i = 1; i <= 5; ++i) {
      s.persist(raft::HardState{raft::Term{1}, raft::kNoNode, raft::Index{i - 1}}, {entry(i, 1)});
    }
    Rng rng(seed);
    auto pick = [&rng](std::uint64_t n) { return static_cast<std::uint64_t>(rng.uniform(0, static_cast<std::int64_t>(n))); };
    s.crash(pick);
    const std::string where = s.corrupt(pick);
    ASSERT_FALSE(where.empty());
    const std::string error = s.restart();
    EXPECT_NE(error, "") << "seed " << seed << ": a flip at " << where << " was served";
  }
}

SimConfig small_config(std::uint64_t seed) {
  SimConfig cfg;
  cfg.make_workload = kv_workload;
  cfg.seed = seed;
  cfg.duration = seconds(3);
  Rng rng(seed);
  cfg.schedule = random_schedule(FaultMix::all(), 5, seconds(2), millis(200), rng);
  return cfg;
}

std::string jsonl(const SimResult& r) {
  std::ostringstream out;
  write_jsonl(r, out);
  return out.str();
}

TEST(Simulator, SameSeedSameRunDifferentSeedDifferentRun) {
  const SimResult a = Simulator(small_config(7)).run();
  const SimResult b = Simulator(small_config(7)).run();
  const SimResult c = Simulator(small_config(8)).run();
  EXPECT_EQ(a.stats.events, b.stats.events);
  EXPECT_EQ(a.stats.messages_sent, b.stats.messages_sent);
  EXPECT_EQ(jsonl(a), jsonl(b));
  EXPECT_GT(a.history.size(), 50u);
  EXPECT_NE(jsonl(a), jsonl(c));
}

TEST(Simulator, TimelineNarratesFaultsAndElections) {
  SimConfig cfg;
  cfg.make_workload = kv_workload;
  cfg.duration = seconds(2);
  std::string error;
  cfg.schedule = *parse_schedule("500ms crash leader; 900ms restart all; 1s end", error);
  TailTimeline tail(10'000);
  cfg.timeline = &tail;
  const SimResult r = Simulator(cfg).run();
  const std::string text = tail.text();
  EXPECT_NE(text.find("<== LEADER"), std::string::npos);
  EXPECT_NE(text.find("FAULT 500ms crash leader"), std::string::npos);
  EXPECT_NE(text.find("restarted (incarnation 2"), std::string::npos);
  EXPECT_GE(r.stats.elections_won, 2u) << "the crashed leader was replaced";
  EXPECT_TRUE(r.safe());
}

TEST(Simulator, LivenessCheckIsNotVacuous) {
  // Every node is down when the faults end; re-electing takes at least one election
  // timeout, so a bound of zero timeouts must be reported as violated.
  SimConfig cfg;
  cfg.make_workload = kv_workload;
  cfg.duration = seconds(3);
  std::string error;
  cfg.schedule = *parse_schedule("900ms crash all; 1s end", error);
  cfg.checks.leader_within_timeouts = 0;
  const SimResult strict = Simulator(cfg).run();
  EXPECT_FALSE(strict.live()) << strict.liveness_report();
  cfg.checks.leader_within_timeouts = 10;
  const SimResult normal = Simulator(cfg).run();
  EXPECT_TRUE(normal.live()) << normal.liveness_report();
  EXPECT_TRUE(normal.durable());
}

// `raftsim --seed 10 --nodes 3 --duration 1500s --fault-gap 50ms` stopped before its first
// event: the storm guard counted the whole fault schedule, queued up front, as a storm.
TEST(Simulator, StormGuardCountsMessagesNotTheQueuedFaultSchedule) {
  SimConfig cfg;
  cfg.make_workload = kv_workload;
  cfg.seed = 10;
  cfg.cluster.nodes = 3;
  cfg.duration = seconds(3);
  Rng rng(cfg.seed);
  cfg.schedule = random_schedule(FaultMix::all(), 3, seconds(2), millis(2), rng);
  cfg.checks.max_queued_messages = 200;
  ASSERT_GT(cfg.schedule.faults.size(), 2 * cfg.checks.max_queued_messages);
  const SimResult dense = Simulator(cfg).run();
  EXPECT_EQ(dense.aborted, "") << "seed " << cfg.seed;
  // The cluster kept talking (idle followers get no heartbeat while appends flow, so a
  // 3-second run delivers a few hundred messages).
  EXPECT_GT(dense.stats.messages_delivered, 300u);
  // The guard still bites when messages pile up.
  cfg.checks.max_queued_messages = 1;
  const SimResult storm = Simulator(cfg).run();
  EXPECT_NE(storm.aborted.find("message storm"), std::string::npos) << "seed " << cfg.seed;
}

}  // namespace
}  // namespace raftsim
