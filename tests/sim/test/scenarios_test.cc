// The adversarial scenarios that catch the planted bugs must pass on the production core:
// they are hard, not unfair. Deterministic seeds; a failure prints the replay command.
#include <gtest/gtest.h>

#include "raftsim/checks.h"
#include "raftsim/simulator.h"
#include "scenarios.h"
#include "sim_case.h"

namespace raftsim::test {
namespace {

void expect_all_properties(const SimCase& c, double ops_per_sec) {
  SimConfig cfg = config_for(c);
  cfg.workload.ops_per_sec = ops_per_sec;
  const Verdict v = judge(Simulator(cfg).run());
  EXPECT_TRUE(v.ok()) << "replay: " << replay_command(c) << "\n" << head(v.details);
}

TEST(Scenarios, Figure8ScheduleKeepsEveryProperty) {
  for (std::uint64_t seed = 1; seed <= 25; ++seed) {
    SimCase c;
    c.seed = seed;
    c.nodes = 3;
    c.small_batches = true;
    Rng rng(seed * 7919);
    c.schedule = figure8_schedule(2, rng);
    c.duration = c.schedule.end + seconds(2);
    expect_all_properties(c, 300);
  }
}

TEST(Scenarios, StaleLeaderScheduleKeepsEveryProperty) {
  for (std::uint64_t seed = 1; seed <= 25; ++seed) {
    SimCase c;
    c.seed = seed;
    Rng rng(seed * 7919);
    c.schedule = stale_leader_schedule(2, rng);
    c.duration = c.schedule.end + seconds(2);
    expect_all_properties(c, 100);
  }
}

}  // namespace
}  // namespace raftsim::test
