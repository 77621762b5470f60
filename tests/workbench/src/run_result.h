// Everything a run produced, handed from the runner to the checker and the report writers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tests/workbench/src/clock.h"
#include "tests/workbench/src/history.h"
#include "tests/workbench/src/network.h"
#include "tests/workbench/src/options.h"
#include "tests/workbench/src/trace.h"

namespace workbench {

// A protocol violation by a node: what it printed and why that is not allowed.
struct Violation {
  Nanos time = 0;      // since the nodes were started (workbench.log's clock), never negative
  std::string node;
  std::string line;    // the offending stdout line (truncated), or "" for e.g. an exit
  std::string reason;
};

// A fault in force between start and end (end = the end of the run if it never stopped).
struct FaultPeriod {
  std::string fault;   // partition, kill, pause
  std::string detail;  // shape and grudge, or the node
  Nanos start = 0;
  Nanos end = 0;
  bool stopped = false;
};

struct RunResult {
  Options options;
  std::uint64_t seed = 0;
  std::string store_dir;
  History history;
  std::vector<Violation> violations;
  std::vector<FaultPeriod> faults;
  NetStats net;
  MessageTrace trace;          // times relative to the start of the workload
  Nanos workload_duration = 0;
  Nanos workload_offset = 0;   // from the start of the nodes to history time 0 (init)
  bool init_ok = false;
  bool interrupted = false;
  int restarts = 0;
  std::int64_t delayed_ops = 0;  // operations that left late because every client was busy
  Nanos delay = 0;               // their total lateness
  std::string replay_command;  // the command line that replays this run (same seed)
};

}  // namespace workbench
