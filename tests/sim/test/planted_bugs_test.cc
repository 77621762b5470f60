// The properties have teeth: on the raft_planted_bugs core, with one known bug switched
// on, a bounded search over seeds must find a run that violates at least one of the four
// properties. Each test fails if the bug is NOT caught within its budget, and otherwise
// prints the seed, what caught it and the command that replays it:
//   build/bin/raftsim_planted --bug <name> --seed ... --schedule '...'
#include <gtest/gtest.h>

#include <functional>
#include <optional>

#include "raftsim/checks.h"
#include "raftsim/kv_workload.h"
#include "raftsim/simulator.h"
#include "scenarios.h"
#include "raftsim/sim_case.h"

namespace raftsim::test {
namespace {

struct Search {
  const char* bug;
  int max_seeds;
  /// The case for one seed (cluster shape and schedule).
  std::function<SimCase(std::uint64_t seed)> make_case;
  /// Cluster tweaks beyond the case (the planted bug is set by the search).
  std::function<void(SimConfig&)> tweak = [](SimConfig&) {};
};

struct Caught {
  SimCase c;
  Verdict verdict;
  int tried;
};

void plant(raft::PlantedBugs& b, const std::string& name) {
  b.commit_earlier_term_by_counting = name == "commit_earlier_term_by_counting";
  b.vote_before_persist = name == "vote_before_persist";
  b.read_without_quorum_check = name == "read_without_quorum_check";
  b.truncate_on_matching_append = name == "truncate_on_matching_append";
  b.ack_before_sync = name == "ack_before_sync";
  b.install_stale_snapshot = name == "install_stale_snapshot";
  b.compact_uncommitted = name == "compact_uncommitted";
  b.lease_longer_than_election_timeout = name == "lease_longer_than_election_timeout";
  b.lease_without_check_quorum = name == "lease_without_check_quorum";
}

std::optional<Caught> search(const Search& s) {
  for (int i = 1; i <= s.max_seeds; ++i) {
    const SimCase c = s.make_case(static_cast<std::uint64_t>(i));
    SimConfig cfg = config_for(c);
    cfg.make_workload = kv_workload;
    plant(cfg.cluster.bugs, s.bug);
    s.tweak(cfg);
    const Verdict v = judge(Simulator(cfg).run());
    if (!v.ok()) return Caught{c, v, i};
  }
  return std::nullopt;
}

void expect_caught(const Search& s, const std::string& extra_flags = "") {
  const std::optional<Caught> found = search(s);
  ASSERT_TRUE(found) << "planted bug " << s.bug << " was NOT caught in " << s.max_seeds
                     << " seeds: the properties lost their teeth";
  std::cout << s.bug << " caught at seed " << found->c.seed << " (" << found->tried
            << " runs): " << (found->verdict.safe ? "" : "safety ")
            << (found->verdict.linearizable ? "" : "linearizability ")
            << (found->verdict.live ? "" : "liveness ") << (found->verdict.durable ? "" : "durability ")
            << "\nreplay: " << replay_command(found->c, "raftsim_planted --bug " + std::string(s.bug)) << extra_flags << "\n"
            << head(found->verdict.details, 12) << "\n";
}

SimCase random_case(std::uint64_t seed, int nodes, const FaultMix& mix, Micros gap,
                    Micros faults_end, Micros duration) {
  SimCase c;
  c.seed = seed;
  c.nodes = nodes;
  c.duration = duration;
  Rng rng(seed * 7919);
  c.schedule = random_schedule(mix, nodes, faults_end, gap, rng);
  return c;
}

TEST(PlantedBugs, CommitByCountingIsCaught) {
  // Figure 8 needs an old-term entry to reach a majority ahead of the new leader's own
  // entry: one entry per AppendEntries, a busy log, and leader-aimed faults.
  expect_caught({"commit_earlier_term_by_counting", 200, figure8_case,
                 [](SimConfig& cfg) { cfg.workload.ops_per_sec = 300; }},
                " --rate 300");
}

TEST(PlantedBugs, VoteBeforePersistIsCaught) {
  // Crashes inside the persist of a new term or vote, during elections.
  FaultMix mix;
  mix.persist = mix.partition = true;
  expect_caught({"vote_before_persist", 400, [=](std::uint64_t seed) {
                   return random_case(seed, 5, mix, millis(100), seconds(2), seconds(3));
                 }});
}

TEST(PlantedBugs, ReadWithoutQuorumCheckIsCaught) {
  expect_caught({"read_without_quorum_check", 200, stale_leader_case});
}

// §6.4.1: a lease of twice the election timeout lets a deposed leader serve reads after
// the others elected a new leader and wrote. Partitions every 0-300 ms under load: a
// leader cut off keeps serving its clients on the lease until check-quorum deposes it.
TEST(PlantedBugs, LeaseLongerThanTheElectionTimeoutIsCaught) {
  FaultMix mix;
  mix.partition = true;
  expect_caught({"lease_longer_than_election_timeout", 1500,
                 [=](std::uint64_t seed) {
                   return random_case(seed, 5, mix, millis(150), seconds(4), seconds(4));
                 },
                 [](SimConfig& cfg) {
                   cfg.cluster.lease_read = true;
                   cfg.workload.ops_per_sec = 300;
                 }},
                " --lease-reads --rate 300");
}

TEST(PlantedBugs, TruncationOnMatchingAppendIsCaught) {
  // Reordered and duplicated AppendEntries under the full fault mix.
  expect_caught({"truncate_on_matching_append", 200, [](std::uint64_t seed) {
                   return random_case(seed, 5, FaultMix::all(), millis(200), seconds(2), seconds(4));
                 }});
}

TEST(PlantedBugs, AckBeforeSyncIsCaught) {
  // The write-ahead log returns before its write is synced: a crash tears what was
  // acknowledged. Crashes of minorities and of every node at once, under load.
  FaultMix mix;
  mix.crash = true;
  expect_caught({"ack_before_sync", 200, [=](std::uint64_t seed) {
                   return random_case(seed, 3, mix, millis(150), seconds(2), seconds(3));
                 }});
}

TEST(PlantedBugs, InstallingAStaleSnapshotIsCaught) {
  // §7: a follower installs a snapshot older than its commit index. Partitions make
  // followers lag behind compacted logs (InstallSnapshot); duplicated and delayed chunks
  // then reach followers that have moved on.
  // Compaction every 8 entries (the log keeps the last 8): lagging followers get
  // snapshots often.
  expect_caught({"install_stale_snapshot", 200,
                 [](std::uint64_t seed) {
                   return random_case(seed, 5, FaultMix::all(), millis(200), seconds(2), seconds(4));
                 },
                 [](SimConfig& cfg) { cfg.cluster.snapshot_entries = 8; }},
                " --snapshot-entries 8");
}

TEST(PlantedBugs, CompactingPastAnUncommittedEntryIsCaught) {
  // §7: the leader compacts entries a quorum has not stored yet. Loss and partitions keep
  // entries uncommitted for a while; compaction every few dozen entries meets them.
  expect_caught({"compact_uncommitted", 200,
                 [](std::uint64_t seed) {
                   return random_case(seed, 5, FaultMix::all(), millis(200), seconds(2), seconds(4));
                 },
                 [](SimConfig& cfg) { cfg.cluster.snapshot_entries = 8; }},
                " --snapshot-entries 8");
}

}  // namespace
}  // namespace raftsim::test
