#include "raftsim/checks.h"

#include "lincheck/check.h"
#include "lincheck/report.h"

namespace raftsim {

Linearizability check_linearizable(const std::vector<ClientOp>& history,
                                   std::chrono::milliseconds timeout) {
  const lincheck::History h = to_lincheck(history);
  lincheck::CheckOptions options;
  options.threads = 1;
  options.timeout = timeout;
  const lincheck::ModelSpec spec{lincheck::ModelKind::CasRegister, lincheck::Semantics::Porcupine};
  auto r = lincheck::check(h, spec, options);
  Linearizability out;
  if (!r) {
    out.explanation = "lincheck could not read the history: " + r.error().to_string();
    return out;
  }
  out.verdict = r->verdict;
  if (!out.ok()) out.explanation = lincheck::render_text(h, *r);
  return out;
}

Verdict judge(const SimResult& r, bool check_history) {
  Verdict v;
  v.safe = r.safe();
  for (const std::string& s : r.safety) v.details += "SAFETY: " + s + "\n";
  if (check_history) {
    const Linearizability lin = check_linearizable(r.history);
    v.linearizable = lin.ok();
    if (!lin.ok()) {
      v.details += std::string("LINEARIZABILITY: ") + std::string(lincheck::to_string(lin.verdict)) +
                   "\n" + lin.explanation;
    }
  }
  v.live = r.live();
  if (!v.live) v.details += "LIVENESS: " + r.liveness_report() + "\n";
  v.durable = r.durable();
  for (const std::string& s : r.durability) v.details += "DURABILITY: " + s + "\n";
  return v;
}

}  // namespace raftsim
