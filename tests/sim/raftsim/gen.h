// RapidCheck generators for simulated test cases. A schedule is generated as a list of
// fault episodes (a fault and, usually, its repair), so shrinking removes whole episodes
// and moves the rest earlier: a failing case shrinks to a short schedule that reads like
// a story.
#pragma once

#include <rapidcheck.h>

#include <vector>

#include "raftsim/schedule.h"
#include "raftsim/sim_case.h"

namespace raftsim {

/// At most ~`max_episodes` episodes of the kinds in `mix`, all starting before `end`.
rc::Gen<Schedule> gen_schedule(const FaultMix& mix, int nodes, Micros end, int max_episodes = 12);

/// Crash-heavy schedules for durability: a random minority, or every node at once, crashes
/// (plainly or inside a persist) and later restarts.
rc::Gen<Schedule> gen_crash_schedule(int nodes, Micros end, int max_episodes = 8);

/// A case over one of `sizes` nodes; faults end at `faults_end` and the run lasts
/// `duration`.
rc::Gen<SimCase> gen_case(const FaultMix& mix, Micros faults_end, Micros duration,
                          std::vector<int> sizes = {5, 3});
rc::Gen<SimCase> gen_crash_case(Micros faults_end, Micros duration);

}  // namespace raftsim
