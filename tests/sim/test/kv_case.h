// Running a generated case on raft-kv's service, for the property tests.
#pragma once

#include <string>

#include "raftsim/kv_workload.h"
#include "raftsim/sim_case.h"
#include "raftsim/simulator.h"

namespace raftsim::test {

/// The case on the kv workload, as `raftsim` runs it.
inline SimResult run_kv_case(const SimCase& c) {
  SimConfig cfg = config_for(c);
  cfg.make_workload = kv_workload;
  return Simulator(cfg).run();
}

/// What a failure message carries besides the evidence: how to replay the case.
inline std::string replay_line(const SimCase& c) { return "\nreplay: " + replay_command(c); }

}  // namespace raftsim::test
