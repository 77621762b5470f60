// The fault schedule. As in Maelstrom (Jepsen's partition package under gen/stagger), fault
// starts and stops alternate, the first start at time 0 and each later event a uniformly
// random 0..2*interval after the previous one; the run may end inside a fault. With several
// faults enabled, each start picks one of them at random, and its stop undoes that one.
// The schedule draws from its own random stream, so it replays exactly from the seed.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tests/workbench/src/clock.h"
#include "tests/workbench/src/network.h"
#include "tests/workbench/src/options.h"
#include "tests/workbench/src/partition.h"
#include "tests/workbench/src/rng.h"

namespace workbench {

struct NemesisAction {
  enum class Kind { StartPartition, StopPartition, Kill, Restart, Pause, Resume };
  Kind kind = Kind::StartPartition;
  Nanos time = 0;                 // scheduled time since the start of the workload
  PartitionShape shape = PartitionShape::One;
  Grudge grudge;                  // StartPartition
  std::string node;               // Kill / Restart / Pause / Resume
};

// Jepsen's :f for the action: start-partition, stop-partition, kill, start, pause, resume.
std::string nemesis_f(NemesisAction::Kind k);
// The fault an action belongs to: partition, kill or pause.
std::string nemesis_fault(NemesisAction::Kind k);

class Nemesis {
 public:
  Nemesis(std::set<Fault> faults, double interval_s, std::vector<std::string> nodes, Rng rng);

  bool enabled() const { return !faults_.empty(); }
  // When the next action is due (time since the start of the workload).
  std::optional<Nanos> next_time() const;
  // The next action; call once next_time() has passed.
  NemesisAction take();

 private:
  std::vector<Fault> faults_;
  Nanos max_gap_;
  std::vector<std::string> nodes_;
  Rng rng_;
  Nanos next_ = 0;
  std::optional<NemesisAction> active_;  // the fault in force, undone by the next action
};

}  // namespace workbench
