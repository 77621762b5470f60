#include "raftsim/history.h"

namespace raftsim {

namespace {

using Status = raft::Outcome::Status;

const char* status_name(Status s) {
  switch (s) {
    case Status::kOk: return "ok";
    case Status::kUnavailable: return "unavailable";
    case Status::kTooLarge: return "too large";
    case Status::kUnknown: return "unknown";
  }
  return "?";
}

// The op as the history records it, before its outcome is decided.
lincheck::Operation base(const ClientOp& c, const Workload& workload) {
  lincheck::Operation o =
      workload.to_history(c.request, c.applied() ? &c.outcome->result : nullptr);
  o.process = c.process;
  o.call = c.call;
  return o;
}

}  // namespace

bool ClientOp::applied() const { return outcome && outcome->ok(); }

bool ClientOp::refused() const { return outcome && outcome->definite_failure(); }

std::string describe(const ClientOp& op, const Workload& workload) {
  const lincheck::Operation o = base(op, workload);
  std::string out = "p" + std::to_string(op.process) + " n" + std::to_string(op.node) + " " +
                    o.f + (o.key.empty() ? "" : " " + o.key) +
                    (o.input.is_nil() ? "" : " " + o.input.to_text());
  if (!op.outcome) return out + " : timeout";
  if (op.applied()) {
    const bool failed = o.outcome == lincheck::Outcome::Fail;
    return out + (failed ? " : fail " : " : ok") +
           (o.output.is_nil() ? "" : " " + o.output.to_text());
  }
  return out + " : " + status_name(op.outcome->status) +
         (op.outcome->error.empty() ? "" : " (" + op.outcome->error + ")");
}

lincheck::History to_lincheck(const std::vector<ClientOp>& ops, const Workload& workload) {
  lincheck::History h;
  h.source = "<simulation>";
  h.ops.reserve(ops.size());
  for (const ClientOp& c : ops) {
    if (c.refused()) continue;  // definitely did not happen: constrains nothing
    lincheck::Operation o = base(c, workload);
    if (c.applied()) {
      // Ok, or the workload's Fail (an observed no-op such as a failed compare).
      if (o.outcome != lincheck::Outcome::Fail) o.outcome = lincheck::Outcome::Ok;
      o.ret = c.ret;
    } else {
      o.outcome = lincheck::Outcome::Info;
      o.ret = lincheck::kNever;
      o.output = lincheck::Value::nil();
      o.error = c.outcome ? c.outcome->error : "client timeout";
    }
    h.ops.push_back(std::move(o));
  }
  return h;
}

}  // namespace raftsim
