// raft-kv's workload for the simulator (workload.h): the lin-kv state machine
// (kv::StateMachine), clients doing read / write / cas on a few keys and values, and the
// history checked as a compare-and-set register per key with Porcupine semantics (a failed
// cas observed that the register did not hold `from`; a nil read observed an absent key).
//
// Outcome rules (lin-kv, as Maelstrom's client maps them):
//   ok                          -> ok; a read of a missing key (code 20) is an ok read of nil
//   cas failed with 20 or 22    -> fail: a definite, observed compare failure
//   refused before any log (the service's `unavailable`) -> left out (history.h)
//   timeout / unknown / crash   -> info
#pragma once

#include <memory>

#include "raftsim/config.h"
#include "raftsim/workload.h"

namespace raftsim {

/// The factory for SimConfig::make_workload, run_cli and the property helpers.
std::unique_ptr<Workload> kv_workload(const WorkloadConfig& config);

}  // namespace raftsim
