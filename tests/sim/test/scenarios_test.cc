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
  for (std::uint64_t seed = 1; seed <= 25; ++seed) expect_all_properties(figure8_case(seed), 300);
}

TEST(Scenarios, StaleLeaderScheduleKeepsEveryProperty) {
  for (std::uint64_t seed = 1; seed <= 25; ++seed) expect_all_properties(stale_leader_case(seed), 100);
}

}  // namespace
}  // namespace raftsim::test
