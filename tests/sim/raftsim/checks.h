// The four properties of a run, judged together:
//   1. safety        -- SimResult::safety (invariant checker after every event, vote uniqueness)
//   2. linearizable  -- the client history, checked per key against the workload's model
//   3. liveness      -- SimResult::liveness
//   4. durability    -- SimResult::durability
#pragma once

#include <chrono>
#include <string>

#include "lincheck/verdict.h"
#include "raftsim/result.h"

namespace raftsim {

struct Linearizability {
  lincheck::Verdict verdict = lincheck::Verdict::Unknown;
  /// For a violation: lincheck's report of the offending key; for Unknown: why.
  std::string explanation;
  [[nodiscard]] bool ok() const { return verdict == lincheck::Verdict::Linearizable; }
};

/// Checks the run's history against the workload's model (for raft-kv: a compare-and-set
/// register per key, Porcupine semantics). One thread: the simulator runs many cases in
/// parallel processes instead.
Linearizability check_linearizable(const SimResult& r,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// Which properties a verdict covers.
struct Properties {
  bool safety = true;           // every Raft invariant after every event, one vote per term
  bool linearizability = true;  // the clients' history against the workload's model
  bool liveness = true;         // a stable leader, and progress, once the faults stop
  bool durability = true;       // every acknowledged command is in the committed log
};

struct Verdict {
  bool safe = true;
  bool linearizable = true;
  bool live = true;
  bool durable = true;
  std::string details;  // what failed, readable
  [[nodiscard]] bool ok() const { return safe && linearizable && live && durable; }
};

/// The properties in `which` (those left out count as held).
Verdict judge(const SimResult& r, const Properties& which);
/// All four properties (linearizability only if `check_history`).
Verdict judge(const SimResult& r, bool check_history = true);

}  // namespace raftsim
