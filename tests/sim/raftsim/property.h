// Property tests of a service with RapidCheck and GoogleTest (library raftkv::sim_rapidcheck).
// A property over generated fault schedules reads:
//
//   RC_GTEST_PROP(MyCounter, linearizable_under_faults, ()) {
//     const raftsim::SimCase c = *raftsim::gen_case(raftsim::FaultMix::all(),
//                                                   raftsim::millis(1500), raftsim::seconds(2));
//     raftsim::check_case(c, my_workload, "my_sim");
//   }
//
// RapidCheck generates cases (seed, cluster size, fault schedule: gen.h), and on a failure
// shrinks the schedule -- whole fault episodes go, the rest move earlier -- and prints the
// smallest failing case with the command that replays it with a timeline (`my_sim`: the
// program made with raftsim::run_cli, cli.h).
#pragma once

#include <rapidcheck.h>

#include <cstdint>
#include <string>

#include "raftsim/checks.h"
#include "raftsim/gen.h"
#include "raftsim/result.h"
#include "raftsim/rng.h"
#include "raftsim/sim_case.h"

namespace raftsim {

/// Runs `c` over the workload and, inside a RapidCheck property, fails the property
/// (RC_FAIL) with the evidence of what was violated and the replay command
/// (`program` + the case's options). Returns the run for further assertions.
SimResult check_case(const SimCase& c, const WorkloadFactory& workload,
                     const std::string& program, const Properties& which = {});

/// A value from a RapidCheck generator, drawn with the simulator's RNG so that the run's
/// seed decides it: how a Workload::next can use an rc::Gen of requests.
template <class T>
T draw(const rc::Gen<T>& gen, Rng& rng, int size = rc::kNominalSize) {
  return gen(rc::Random(rng.next()), size).value();
}

/// A search for a failing case, as a test that expects one (a planted bug) runs it.
struct Hunt {
  bool found = false;
  std::size_t cases = 0;        // cases generated until the first failure
  std::size_t first_faults = 0; // faults in the first failing schedule
  SimCase smallest;             // the failing case RapidCheck shrank it to
  std::string failure;          // the smallest case's verdict details
};

/// RapidCheck's search and shrinking from a fixed seed (not RC_PARAMS, so that the same
/// search replays however the test is started), over at most `max_cases` cases. (At exit
/// RapidCheck prints a "reproduce" line for the failure the search found: expected.)
Hunt hunt(const rc::Gen<SimCase>& cases, const WorkloadFactory& workload, std::uint64_t seed,
          int max_cases, const Properties& which = {});

}  // namespace raftsim
