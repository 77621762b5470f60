// The simulator's properties across membership changes (thesis chapter 4, §3.10): random
// adds (voters, learners), removals, replacements, promotions, demotions and leadership
// transfers, sent to the leader while every fault kind of the simulator plays out. Spare
// nodes start empty outside the configuration and join through the log or a snapshot.
// On failure RapidCheck prints the case with a `raftsim ... --membership V` command that
// replays it with a timeline.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "raftsim/checks.h"
#include "raftsim/gen.h"
#include "raftsim/kv_workload.h"
#include "raftsim/simulator.h"
#include "kv_case.h"
#include "scenarios.h"

namespace raftsim::test::membership {
namespace {

// Faults and changes for 1.5 s, then the liveness bound (10 election timeouts, 1 s) and a
// client timeout (0.5 s): leaving a joint configuration may still be under way when the
// faults end.
constexpr Micros kFaultsEnd = millis(1500);
constexpr Micros kDuration = seconds(3);


// All four properties at once: Election Safety and the other invariants after every
// event (no two leaders in one term, whichever configurations they were elected under),
// nothing acknowledged lost, the kv history linearizable, and a leader followed by every
// member of the final configuration once the faults end (when a quorum of it has a sound
// disk).
RC_GTEST_PROP(SimMembership, EveryPropertyHoldsAcrossRandomMembershipChangesUnderAnyFaultMix, ()) {
  SimCase c = *gen_case(FaultMix::all(), kFaultsEnd, kDuration, {4, 5, 6});
  c.membership = *rc::gen::inRange(1, c.nodes);  // at least one spare
  const SimResult r = run_kv_case(c);
  const Verdict v = judge(r);
  if (!v.ok()) RC_FAIL(head(v.details) + replay_line(c));
  RC_TAG(r.stats.conf_changes > 0 ? "configuration changed" : "no change");
  RC_TAG(r.liveness.checked ? "liveness checked" : "final quorum lost its disks");
}

// Fixed runs, to show the operations really happen: spares join (some through a
// snapshot), voters are demoted and promoted, leadership moves, and every property holds.
TEST(SimMembership, SparesJoinAndLeadershipMovesUnderFaults) {
  SimStats total;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    SimCase c;
    c.seed = seed;
    c.nodes = 6;
    c.membership = 3;
    c.duration = seconds(6);
    c.snapshot_entries = 8;  // a spare added after a few dozen entries needs a snapshot
    Rng rng(c.seed * 7919);
    c.schedule = random_schedule(FaultMix::all(), c.nodes, seconds(4), millis(300), rng);
    const SimResult r = run_kv_case(c);
    const Verdict v = judge(r);
    EXPECT_TRUE(v.ok()) << head(v.details) << replay_line(c);
    EXPECT_TRUE(r.liveness.checked) << replay_line(c);
    total.conf_changes += r.stats.conf_changes;
    total.transfers += r.stats.transfers;
    total.snapshots_installed += r.stats.snapshots_installed;
  }
  EXPECT_GE(total.conf_changes, 20U);
  EXPECT_GE(total.transfers, 1U);
  EXPECT_GE(total.snapshots_installed, 1U);
}

// Without faults every member of the final configuration follows one leader and the
// clients' operations complete: changes alone never stall the cluster.
TEST(SimMembership, WithoutFaultsEveryChangeLeavesALiveCluster) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    SimCase c;
    c.seed = seed;
    c.nodes = 5;
    c.membership = 2;
    c.duration = seconds(4);
    c.schedule.end = seconds(2);  // changes stop here
    const SimResult r = run_kv_case(c);
    const Verdict v = judge(r);
    EXPECT_TRUE(v.ok()) << head(v.details) << replay_line(c);
    EXPECT_GE(r.stats.conf_changes, 3U) << replay_line(c);
    EXPECT_TRUE(r.liveness.checked && r.live()) << r.liveness_report() << replay_line(c);
  }
}

// The schedule that catches the planted single-server bug (membership_planted_bugs_test.cc,
// seed 352 at the time of writing) holds every property on the real core, which refuses a single-server change
// until an entry of the leader's term commits (§4.2).
TEST(SimMembership, DisjointChangesScenarioKeepsEveryPropertyWithTheOwnTermCommitRule) {
  int refused_or_changed = 0;
  for (std::uint64_t seed : {352, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}) {
    SimCase c;
    c.seed = seed;
    c.nodes = 5;
    c.membership = 4;
    Rng rng(seed * 7919);
    c.schedule = disjoint_changes_schedule(rng);
    c.duration = c.schedule.end + seconds(2);
    SimConfig cfg = config_for(c);
    cfg.make_workload = kv_workload;
    cfg.membership.mean_gap = millis(5);
    cfg.membership.after_election = 1;
    const SimResult r = Simulator(cfg).run();
    const Verdict v = judge(r);
    EXPECT_TRUE(v.ok()) << head(v.details) << replay_line(c)
                        << " --membership-gap 5ms --membership-after-election 1";
    refused_or_changed += r.stats.conf_changes_refused > 0 && r.stats.conf_changes > 0 ? 1 : 0;
  }
  EXPECT_GT(refused_or_changed, 10);
}

}  // namespace
}  // namespace raftsim::test::membership
