// Adversarial schedule templates: generic faults (isolate, pause, crash, heal) aimed at
// the leader in a fixed order, with random times and delays. A random fault mix reaches
// some bugs' preconditions only rarely; these reach them in a few dozen seeds, which is
// what lets the planted-bug tests run within the CI budget.
#pragma once

#include <cstdint>

#include "raftsim/rng.h"
#include "raftsim/schedule.h"
#include "raftsim/sim_case.h"

namespace raftsim::test {

/// Figure 8 of the Raft paper, as faults: isolate the leader (its new entries stay
/// uncommitted), isolate its successor the moment it wins (so the successor's own entry
/// stays uncommitted too), crash the next winner shortly after it wins (mid-way through
/// re-replicating old entries), then heal so the successor can come back. Repeated
/// `rounds` times, one round per ~1.2 s.
Schedule figure8_schedule(int rounds, Rng& rng);

/// A stale leader: isolate the leader and pause it at once (it neither steps down nor
/// hears of its successor), let the majority elect a new leader and commit writes while
/// clients keep sending to the old one, then resume it; later heal. `rounds` times.
Schedule stale_leader_schedule(int rounds, Rng& rng);

/// The 2015 single-server bug (thesis §4.2) as faults, for runs with membership changes
/// frequent and aimed at new leaders: isolate the leader while its last change is
/// uncommitted, and split the cluster in two the moment the next leader wins (and makes a
/// change before an entry of its term commits). Three rounds.
Schedule disjoint_changes_schedule(Rng& rng);

/// The cases the planted-bug tests search and the scenario tests replay on the production
/// core: two rounds of the schedule, 2 s of run after it. Figure 8 runs on 3 nodes with
/// one entry per AppendEntries (an old-term entry must reach a majority ahead of the new
/// leader's own).
SimCase figure8_case(std::uint64_t seed);
SimCase stale_leader_case(std::uint64_t seed);

}  // namespace raftsim::test
