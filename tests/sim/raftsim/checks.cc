#include "raftsim/checks.h"

#include "lincheck/check.h"
#include "lincheck/report.h"

namespace raftsim {

Linearizability check_linearizable(const SimResult& r, std::chrono::milliseconds timeout) {
  Linearizability out;
  if (!r.workload) {
    out.explanation = "the result carries no workload to check its history with";
    return out;
  }
  const lincheck::History h = to_lincheck(r.history, *r.workload);
  lincheck::CheckOptions options;
  options.threads = 1;
  options.timeout = timeout;
  auto checked = r.workload->check(h, options);
  if (!checked) {
    out.explanation = "the model could not read the history: " + checked.error().to_string();
    return out;
  }
  out.verdict = checked->verdict;
  if (!out.ok()) out.explanation = lincheck::render_text(h, *checked);
  return out;
}

Verdict judge(const SimResult& r, const Properties& which) {
  Verdict v;
  if (which.safety) {
    v.safe = r.safe();
    for (const std::string& s : r.safety) v.details += "SAFETY: " + s + "\n";
  }
  if (which.linearizability) {
    const Linearizability lin = check_linearizable(r);
    v.linearizable = lin.ok();
    if (!lin.ok()) {
      v.details += std::string("LINEARIZABILITY: ") + std::string(lincheck::to_string(lin.verdict)) +
                   "\n" + lin.explanation;
    }
  }
  if (which.liveness) {
    v.live = r.live();
    if (!v.live) v.details += "LIVENESS: " + r.liveness_report() + "\n";
  }
  if (which.durability) {
    v.durable = r.durable();
    for (const std::string& s : r.durability) v.details += "DURABILITY: " + s + "\n";
  }
  return v;
}

Verdict judge(const SimResult& r, bool check_history) {
  Properties which;
  which.linearizability = check_history;
  return judge(r, which);
}

}  // namespace raftsim
