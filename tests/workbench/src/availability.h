// Availability as a user of the service sees it: which share of the operations got a
// definite answer (ok, or a definite "no" about the data such as key-missing or cas
// mismatch), and the longest stall -- the longest time during which requests were waiting
// and none was answered. A run that serves nothing for its last 44 s must not look healthy
// just because every operation it did complete was linearizable.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/workbench/src/history.h"

namespace workbench {

// Whether a completion answered its request (see above). Timeouts, unknown outcomes and
// "not served" errors (e.g. 11 temporarily-unavailable) are not answers.
bool is_answer(const Op& completion);

struct Stall {
  Nanos length = 0;
  Nanos start = 0;  // workload time of the first request left unanswered
  Nanos end = 0;    // the next answer, or the last event of the run
  bool to_end = false;  // no answer came until the end of the run
};

struct Availability {
  std::int64_t count = 0;
  std::int64_t answered = 0;
  std::optional<double> answered_fraction;  // none without operations
  Stall longest_stall;
};

// One client operation reduced to what availability needs.
struct OpSpan {
  Nanos invoke = 0;
  Nanos done = 0;       // completion time (the end of the run if it never completed)
  bool answered = false;
};

// The longest stall: from the invocation of the first request after the last answer that
// found nothing pending (or from that answer, if requests were still pending) until the
// next answer. Time with nothing pending inside such a window counts: a client that keeps
// asking and never hears back sees one outage, not many. `end` closes a final stall.
Stall longest_stall(std::vector<OpSpan> ops, Nanos end);

// Overall ("all") and per operation type.
std::map<std::string, Availability> availability_by_f(const History& h, Nanos run_end);

}  // namespace workbench
