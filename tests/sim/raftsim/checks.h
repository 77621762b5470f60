// The four properties of a run, judged together:
//   1. safety        -- SimResult::safety (invariant checker after every event, vote uniqueness)
//   2. linearizable  -- the client history, checked per key by the lincheck library
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

/// Checks the history as a compare-and-set register per key, Porcupine semantics (see
/// history.h). One thread: the simulator runs many cases in parallel processes instead.
Linearizability check_linearizable(const std::vector<ClientOp>& history,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(10));

struct Verdict {
  bool safe = true;
  bool linearizable = true;
  bool live = true;
  bool durable = true;
  std::string details;  // what failed, readable
  [[nodiscard]] bool ok() const { return safe && linearizable && live && durable; }
};

/// All four properties (linearizability only if `check_history`).
Verdict judge(const SimResult& r, bool check_history = true);

}  // namespace raftsim
