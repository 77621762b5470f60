#include "tests/workbench/src/checker.h"

#include <cstdio>
#include <map>

#include "tests/workbench/src/lin_check.h"

namespace workbench {

Validity merge(Validity a, Validity b) {
  if (a == Validity::Invalid || b == Validity::Invalid) return Validity::Invalid;
  if (a == Validity::Unknown || b == Validity::Unknown) return Validity::Unknown;
  return Validity::Valid;
}

std::string to_string(Validity v) {
  switch (v) {
    case Validity::Valid: return "true";
    case Validity::Invalid: return "false";
    case Validity::Unknown: return "unknown";
  }
  return "unknown";
}

std::vector<OpPair> pair_client_ops(const History& h) {
  std::vector<OpPair> pairs;
  std::map<std::int64_t, std::size_t> open;  // process -> index into pairs
  for (const auto& op : h.ops()) {
    if (!op.process) continue;  // nemesis
    if (op.type == OpType::Invoke) {
      open[*op.process] = pairs.size();
      pairs.push_back({op.index, std::nullopt});
    } else if (auto it = open.find(*op.process); it != open.end()) {
      pairs[it->second].complete = op.index;
      open.erase(it);
    }
  }
  return pairs;
}

namespace {

RegisterCheck check_lin_kv(const History& h, const std::vector<OpPair>& pairs, double timeout_s) {
  std::map<std::string, std::vector<RegisterOp>> by_key;
  std::vector<std::string> order;
  for (const auto& p : pairs) {
    const Op& inv = h.at(p.invoke);
    const Op* done = p.complete ? &h.at(*p.complete) : nullptr;
    if (done && done->type == OpType::Fail) continue;  // did not happen
    RegisterOp r;
    r.invoke_index = inv.index;
    r.complete_index = done ? done->index : -1;
    r.process = *inv.process;
    r.f = inv.f;
    r.arg = inv.value.size() > 1 ? inv.value[1] : nlohmann::json();
    r.outcome = done && done->type == OpType::Ok ? OpType::Ok : OpType::Info;
    r.result = r.outcome == OpType::Ok && done->value.size() > 1 ? done->value[1] : nlohmann::json();
    r.call = inv.time;
    r.ret = done ? done->time : 0;
    const std::string key = inv.value.size() > 0 ? inv.value[0].dump() : "null";
    if (!by_key.count(key)) order.push_back(key);
    by_key[key].push_back(std::move(r));
  }
  std::vector<KeyOps> keys;
  for (const auto& key : order) keys.push_back({key, std::move(by_key[key])});
  return check_registers(keys, timeout_s);
}

std::vector<std::string> check_echo(const History& h, const std::vector<OpPair>& pairs) {
  std::vector<std::string> errors;
  for (const auto& p : pairs) {
    if (!p.complete) continue;
    const Op& inv = h.at(p.invoke);
    const Op& done = h.at(*p.complete);
    if (done.type != OpType::Ok) continue;
    const nlohmann::json got = done.value.is_object() && done.value.contains("echo") ? done.value["echo"] : nlohmann::json();
    if (got != inv.value)
      errors.push_back("op " + std::to_string(done.index) + ": expected echo " + inv.value.dump() + ", received " + got.dump());
  }
  return errors;
}

void count_stats(const History& h, const std::vector<OpPair>& pairs, Verdict& v) {
  for (const auto& p : pairs) {
    const Op& inv = h.at(p.invoke);
    FStats& s = v.by_f[inv.f];
    ++s.count;
    ++v.total.count;
    const OpType t = p.complete ? h.at(*p.complete).type : OpType::Info;
    auto bump = [&](std::int64_t FStats::*field) {
      ++(s.*field);
      ++(v.total.*field);
    };
    bump(t == OpType::Ok ? &FStats::ok : t == OpType::Fail ? &FStats::fail : &FStats::info);
  }
}

std::string fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

// Jepsen's stats checker: every operation type that was tried must have succeeded once --
// unless it was tried so rarely that a short run explains it; then we say so (unknown).
void judge_stats(const RunResult& run, Verdict& v) {
  v.stats = Validity::Valid;
  const double secs = static_cast<double>(run.workload_duration) / kSeconds;
  for (const auto& [f, s] : v.by_f) {
    if (s.ok > 0) continue;
    const std::string what = f + " never succeeded (" + std::to_string(s.count) + " attempts)";
    if (s.count >= kMinAttemptsToJudge) {
      v.stats = Validity::Invalid;
      v.reasons.push_back(what);
      continue;
    }
    v.stats = merge(v.stats, Validity::Unknown);
    v.reasons.push_back("too short to judge: " + what + " in a " + fixed(secs, 1) + " s run; " +
                        "fewer than " + std::to_string(kMinAttemptsToJudge) +
                        " attempts prove nothing -- use a longer --time-limit or a higher --rate");
  }
}

void judge_availability(const RunResult& run, Verdict& v) {
  v.availability_by_f = availability_by_f(run.history, run.workload_duration);
  const Availability& all = v.overall();
  if (v.total.count > 0) v.ok_fraction = static_cast<double>(v.total.ok) / static_cast<double>(v.total.count);
  if (run.options.availability) {
    if (!all.answered_fraction) {
      v.availability = Validity::Invalid;
      v.reasons.push_back("no operations, so availability " + fixed(*run.options.availability, 3) + " was not shown");
    } else if (*all.answered_fraction < *run.options.availability) {
      v.availability = Validity::Invalid;
      v.reasons.push_back("availability (answered fraction) " + fixed(*all.answered_fraction, 3) +
                          " is below the required " + fixed(*run.options.availability, 3));
    }
  }
  const double stall_s = static_cast<double>(all.longest_stall.length) / kSeconds;
  if (run.options.max_stall_s && stall_s > *run.options.max_stall_s) {
    v.availability = Validity::Invalid;
    v.reasons.push_back("stalled for " + fixed(stall_s, 2) + " s (" +
                        fixed(static_cast<double>(all.longest_stall.start) / kSeconds, 2) + " s to " +
                        fixed(static_cast<double>(all.longest_stall.end) / kSeconds, 2) +
                        " s), longer than --max-stall " + fixed(*run.options.max_stall_s, 2) + " s");
  }
}

}  // namespace

Verdict judge(const RunResult& run) {
  Verdict v;
  const auto pairs = pair_client_ops(run.history);
  count_stats(run.history, pairs, v);

  judge_stats(run, v);
  judge_availability(run, v);
  if (run.options.workload == WorkloadKind::LinKv) {
    RegisterCheck rc = check_lin_kv(run.history, pairs, run.options.check_timeout_s);
    v.keys = std::move(rc.keys);
    v.checker_report = std::move(rc.text_report);
    v.workload = Validity::Valid;
    for (const auto& k : v.keys) {
      v.workload = merge(v.workload, k.valid);
      if (k.valid == Validity::Invalid) v.reasons.push_back("key " + k.key + " is not linearizable: " + k.explanation);
      if (k.valid == Validity::Unknown) v.reasons.push_back("key " + k.key + ": checker gave no verdict: " + k.explanation);
    }
  } else {
    v.echo_errors = check_echo(run.history, pairs);
    v.workload = v.echo_errors.empty() ? Validity::Valid : Validity::Invalid;
    for (const auto& e : v.echo_errors) v.reasons.push_back(e);
  }
  v.protocol = run.violations.empty() && run.init_ok ? Validity::Valid : Validity::Invalid;
  if (!run.violations.empty())
    v.reasons.push_back(std::to_string(run.violations.size()) + " protocol violation(s), first by " +
                        run.violations.front().node + ": " + run.violations.front().reason);
  else if (!run.init_ok && !run.interrupted)
    v.reasons.push_back("the nodes were not initialised");
  v.valid = merge(merge(v.workload, v.stats), merge(v.availability, v.protocol));
  if (run.interrupted) {
    v.valid = merge(v.valid, Validity::Unknown);
    v.reasons.push_back("interrupted before the end");
  }
  return v;
}

}  // namespace workbench
