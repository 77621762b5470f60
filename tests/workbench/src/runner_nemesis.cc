// The runner's side of the nemesis: applying each scheduled fault action and recording it as
// Jepsen does, an :info invocation and an :info completion on process :nemesis.
#include <signal.h>

#include "tests/workbench/src/runner.h"

namespace workbench {
namespace {

std::string node_map_edn(const std::string& node, const std::string& what) {
  return "{" + nlohmann::json(node).dump() + " :" + what + "}";
}

}  // namespace

void Runner::run_nemesis(Nanos now) {
  while (true) {
    auto t = nemesis_.next_time();
    if (!t || *t > rel(now) || *t >= cutoff_) return;
    apply(nemesis_.take(), now);
  }
}

void Runner::apply(const NemesisAction& a, Nanos now) {
  using K = NemesisAction::Kind;
  Op op;
  op.time = rel(now);
  op.type = OpType::Info;
  op.f = nemesis_f(a.kind);
  op.value_edn = a.kind == K::StartPartition         ? ":" + to_string(a.shape)
                 : a.kind == K::Kill || a.kind == K::Pause ? ":one"
                                                           : "nil";
  result_.history.add(op);

  const std::size_t i = a.node.empty() ? SIZE_MAX : node_index(a.node);
  std::string outcome;
  switch (a.kind) {
    case K::StartPartition:
      net_.set_grudge(a.grudge);
      outcome = "[:isolated " + grudge_to_edn(a.grudge) + "]";
      result_.faults.push_back({"partition", to_string(a.shape) + " " + grudge_to_edn(a.grudge), rel(now), 0, false});
      break;
    case K::StopPartition:
      net_.heal();
      outcome = ":network-healed";
      break;
    case K::Kill:
      kill_node(i, now);
      outcome = node_map_edn(a.node, "killed");
      result_.faults.push_back({"kill", a.node, rel(now), 0, false});
      break;
    case K::Restart:
      // A fresh process of the same binary and arguments, initialised like a new node.
      if (spawn_node(i)) {
        nodes_[i].log << "=== workbench: restarted ===" << std::endl;
        send_init(i, now);
        ++result_.restarts;
      }
      outcome = node_map_edn(a.node, "started");
      break;
    case K::Pause:
      if (nodes_[i].child) nodes_[i].child->signal_group(SIGSTOP);
      outcome = node_map_edn(a.node, "paused");
      result_.faults.push_back({"pause", a.node, rel(now), 0, false});
      break;
    case K::Resume:
      if (nodes_[i].child) nodes_[i].child->signal_group(SIGCONT);
      outcome = node_map_edn(a.node, "resumed");
      break;
  }
  if (a.kind == K::StopPartition || a.kind == K::Restart || a.kind == K::Resume) {
    for (auto& f : result_.faults) {
      if (!f.stopped && f.fault == nemesis_fault(a.kind)) {
        f.stopped = true;
        f.end = rel(now);
      }
    }
  }
  log("nemesis " + op.f + ": " + outcome);
  op.time = rel(monotonic_now());
  op.value_edn = outcome;
  result_.history.add(std::move(op));
}

std::string Runner::current_fault() const {
  for (const auto& f : result_.faults) {
    if (f.stopped) continue;
    std::string d = f.detail;
    if (d.size() > 60) d = d.substr(0, 57) + "...";
    return f.fault + " " + d;
  }
  return "";
}

}  // namespace workbench
