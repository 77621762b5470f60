// Membership changes in a simulated run (thesis chapter 4, §3.10): spare nodes outside the
// initial configuration, and random configuration changes and leadership transfers
// interleaved with the fault schedule. See docs/simulator.md, "Membership".
#pragma once

#include "raftsim/time.h"

namespace raftsim {

struct MembershipConfig {
  /// 0: off -- every node is a voter from the start and the configuration never changes.
  /// Otherwise nodes 1..initial_voters bootstrap as the voters, and the other nodes of the
  /// cluster are spares: they start empty, as non-members, and get the log (or a
  /// snapshot) from the leader once a change adds them.
  int initial_voters = 0;
  /// Mean time between two operations (add voter, add learner, promote, demote, remove,
  /// replace, transfer leadership), each sent to whoever leads at the time. Operations
  /// stop when the faults end, so that the final configuration settles.
  Micros mean_gap = millis(150);
  /// Also aim an operation at each newly elected leader with this probability, a few
  /// milliseconds after its election -- before it commits an entry of its term (§4.2's
  /// single-server erratum is about exactly that window).
  double after_election = 0.3;

  [[nodiscard]] bool enabled() const { return initial_voters > 0; }
};

}  // namespace raftsim
