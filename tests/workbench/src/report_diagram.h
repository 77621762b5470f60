// The report's "why" views: a message diagram (a lane per node, client and service, an arrow
// per message labelled with its type, partitions, kills and pauses marked; Maelstrom's
// messages.svg is the model) over a window of the run, and an operation timeline (a lane per
// client thread, each operation a bar coloured by outcome) over the whole run.
#pragma once

#include <string>

#include "tests/workbench/src/checker.h"
#include "tests/workbench/src/run_result.h"

namespace workbench {

struct DiagramWindow {
  double from_s = 0, to_s = 1;  // workload time (negative: during init)
  std::string why;              // why this window, for the reader
};

// --diagram-at/--diagram-span if given; else around the first violation (protocol, or the
// offending operations of a non-linearizable key), else the longest stall if it lasted at
// least kStallWorthShowing, else the first seconds. The span keeps about kDiagramMessages
// messages unless --diagram-span says otherwise.
DiagramWindow choose_window(const RunResult& run, const Verdict& v);
inline constexpr double kStallWorthShowing = 1.0;
inline constexpr std::size_t kDiagramMessages = 120;

std::string message_diagram(const RunResult& run, const DiagramWindow& w);
std::string operation_timeline(const RunResult& run, const Verdict& v, const DiagramWindow& w);

}  // namespace workbench
