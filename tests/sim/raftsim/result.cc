#include "raftsim/result.h"

#include "lincheck/jsonl.h"

namespace raftsim {

bool SimResult::live() const {
  const LivenessEvidence& l = liveness;
  if (!aborted.empty()) return false;
  if (!l.checked) return true;
  return l.stable_leader_at && *l.stable_leader_at - l.faults_end <= l.bound && l.stuck_ops.empty();
}

std::string SimResult::liveness_report() const {
  const LivenessEvidence& l = liveness;
  std::string out;
  if (!aborted.empty()) return "run stopped: " + aborted;
  if (!l.stable_leader_at) {
    out = "no stable leader after the faults ended at " + format_time(l.faults_end);
  } else {
    out = "stable leader " + format_duration(*l.stable_leader_at - l.faults_end) +
          " after the faults ended (bound " + format_duration(l.bound) + ")";
    if (l.stuck_ops.empty()) {
      out += "; every later op completed";
    } else {
      out += "; " + std::to_string(l.stuck_ops.size()) + " later ops did not complete, e.g. " +
             l.stuck_ops.front();
    }
  }
  if (!l.checked) out += " (not judged: the run ended too soon after the faults)";
  return out;
}

lincheck::History SimResult::checked_history() const {
  return workload ? to_lincheck(history, *workload) : lincheck::History{};
}

void write_jsonl(const SimResult& r, std::ostream& out) {
  lincheck::write_jsonl(r.checked_history(), out);
}

}  // namespace raftsim
