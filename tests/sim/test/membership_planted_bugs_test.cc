// The membership bugs of raft/planted_bugs.h, each caught by the simulator's properties
// (not by a hand-made core scenario: tests/raft/membership_planted_bugs_test.cc has those).
// Each test searches seeds 1, 2, ... of one case shape with membership changes on, and
// fails if the bug is NOT caught within its budget; it prints the seed, what caught it and
// the command that replays it:
//   build/bin/raftsim_planted --bug <name> --seed ... --membership V --schedule '...'
#include <gtest/gtest.h>

#include <functional>
#include <iostream>
#include <optional>

#include "raftsim/checks.h"
#include "raftsim/kv_workload.h"
#include "raftsim/sim_case.h"
#include "raftsim/simulator.h"

namespace raftsim::test {
namespace {

void plant(raft::PlantedBugs& b, const std::string& name) {
  b.config_on_commit = name == "config_on_commit";
  b.single_server_change_before_commit = name == "single_server_change_before_commit";
  b.learner_counts_in_quorum = name == "learner_counts_in_quorum";
}

struct Shape {
  int nodes = 5;
  int initial_voters = 3;
  FaultMix mix = FaultMix::all();
  Micros gap = millis(200);
  Micros faults_end = seconds(2);
  Micros duration = seconds(4);
  Micros membership_gap = millis(150);
};

SimCase make_case(std::uint64_t seed, const Shape& s) {
  SimCase c;
  c.seed = seed;
  c.nodes = s.nodes;
  c.membership = s.initial_voters;
  c.duration = s.duration;
  Rng rng(seed * 7919);
  c.schedule = random_schedule(s.mix, s.nodes, s.faults_end, s.gap, rng);
  return c;
}

// Seeds 1..max_seeds in order: the first that fails is the same every time.
void expect_caught(const char* bug, const Shape& shape, int max_seeds) {
  for (int i = 1; i <= max_seeds; ++i) {
    const SimCase c = make_case(static_cast<std::uint64_t>(i), shape);
    SimConfig cfg = config_for(c);
    cfg.make_workload = kv_workload;
    cfg.membership.mean_gap = shape.membership_gap;
    plant(cfg.cluster.bugs, bug);
    const Verdict v = judge(Simulator(cfg).run());
    if (v.ok()) continue;
    std::cout << bug << " caught at seed " << c.seed << ": " << (v.safe ? "" : "safety ")
              << (v.linearizable ? "" : "linearizability ") << (v.live ? "" : "liveness ")
              << (v.durable ? "" : "durability ") << "\nreplay: "
              << replay_command(c, "raftsim_planted --bug " + std::string(bug))
              << (shape.membership_gap != MembershipConfig{}.mean_gap
                      ? " --membership-gap " + format_exact(shape.membership_gap)
                      : "")
              << "\n"
              << head(v.details, 12) << "\n";
    return;
  }
  ADD_FAILURE() << "planted bug " << bug << " was NOT caught in " << max_seeds
                << " seeds: the membership properties lost their teeth";
}

// §4.1: a configuration takes effect on append. On commit, a leader that just added voters
// still counts the old, smaller quorum while followers with the entry count the new one.
TEST(MembershipPlantedBugs, ConfigurationAppliedOnCommitIsCaught) {
  expect_caught("config_on_commit", Shape{}, 200);
}

// §4.2's erratum: a single-server change before the leader committed an entry of its own
// term can form a majority disjoint from an uncommitted change of an earlier leader.
TEST(MembershipPlantedBugs, SingleServerChangeBeforeOwnTermCommitIsCaught) {
  Shape s;
  s.initial_voters = 4;  // removals suffice: {1,2,3,4} -> {1,2,3} and -> {1,2,4}
  expect_caught("single_server_change_before_commit", s, 200);
}

// A learner has no vote: counting it towards commitment commits entries a majority of the
// voters never stored, which an election can then overwrite.
TEST(MembershipPlantedBugs, LearnerCountedInTheCommitQuorumIsCaught) {
  expect_caught("learner_counts_in_quorum", Shape{}, 200);
}

}  // namespace
}  // namespace raftsim::test
