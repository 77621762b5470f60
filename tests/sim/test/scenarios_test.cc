// The adversarial scenarios that catch the planted bugs must pass on the production core:
// they are hard, not unfair. Deterministic seeds; a failure prints the replay command.
#include <gtest/gtest.h>

#include "raftsim/checks.h"
#include "raftsim/kv_workload.h"
#include "raftsim/simulator.h"
#include "scenarios.h"
#include "raftsim/sim_case.h"

namespace raftsim::test {
namespace {

void expect_all_properties(const SimCase& c, double ops_per_sec) {
  SimConfig cfg = config_for(c);
  cfg.make_workload = kv_workload;
  cfg.workload.ops_per_sec = ops_per_sec;
  const Verdict v = judge(Simulator(cfg).run());
  EXPECT_TRUE(v.ok()) << "replay: " << replay_command(c) << "\n" << head(v.details);
}

TEST(Scenarios, Figure8ScheduleKeepsEveryProperty) {
  for (std::uint64_t seed = 1; seed <= 25; ++seed) expect_all_properties(figure8_case(seed), 300);
}

TEST(Scenarios, StaleLeaderScheduleKeepsEveryProperty) {
  for (std::uint64_t seed = 1; seed <= 25; ++seed) expect_all_properties(stale_leader_case(seed), 100);
}

// §7 end to end: a node cut off while the others compact their logs (every 16 entries)
// can only catch up through InstallSnapshot -- here with its chunks lost, duplicated and
// reordered, and with crashes inside compactions and installs. Every property holds, and
// the node did install snapshots (the scenario is not vacuous).
TEST(Scenarios, PartitionedNodeCatchesUpThroughSnapshotsUnderChunkLossAndCrashes) {
  const char* const text =
      "200ms isolate 3; 800ms crash-at-persist leader snapshot; 1200ms restart all; "
      "2000ms network loss=0.2 dup=0.2; 2000ms heal; 2000ms crash-at-persist 3 snapshot; "
      "2600ms restart all; 2700ms isolate 4; 3300ms crash-at-persist 2 snapshot; "
      "3800ms heal; 4000ms network loss=0 dup=0; 4000ms restart all; 4000ms end";
  std::string error;
  const std::optional<Schedule> schedule = parse_schedule(text, error);
  ASSERT_TRUE(schedule) << error;
  std::uint64_t installed = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    SimCase c;
    c.seed = seed;
    c.schedule = *schedule;
    c.duration = seconds(6);
    SimConfig cfg = config_for(c);
  cfg.make_workload = kv_workload;
    cfg.make_workload = kv_workload;
    cfg.workload.ops_per_sec = 300;
    cfg.workload.clients = 10;
    const SimResult r = Simulator(cfg).run();
    const Verdict v = judge(r);
    EXPECT_TRUE(v.ok()) << "replay: " << replay_command(c) << " --rate 300 --clients 10\n" << head(v.details);
    installed += r.stats.snapshots_installed;
  }
  EXPECT_GE(installed, 10u) << "the isolated nodes caught up through snapshots";
}

}  // namespace
}  // namespace raftsim::test
