#include "lincheck/report.h"

#include <cstdio>

namespace lincheck {

namespace {

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f ms", s * 1e3);
  return buf;
}

void render_violation(std::string& out, const History& h, const KeyResult& k, const ReportOptions& o) {
  const Violation& v = *k.violation;
  out += "    longest linearizable prefix: " + std::to_string(v.prefix.size()) + " ops";
  const std::size_t shown = std::min(o.prefix_tail, v.prefix.size());
  out += shown < v.prefix.size() ? ", the last " + std::to_string(shown) + ":\n" : (shown ? ":\n" : "\n");
  for (std::size_t i = v.prefix.size() - shown; i < v.prefix.size(); ++i) {
    out += "      " + std::to_string(i + 1) + ". " + describe(h.ops[v.prefix[i]], v.prefix[i]) + "\n";
  }
  out += "    state after the prefix: " + v.state_after_prefix + "\n";
  out += "    cannot be linearized next: " + describe(h.ops[v.blocked], v.blocked) + "\n";
  out += v.blocked_step_possible
             ? "      (it fits that state, but no order of the ops concurrent with it leads anywhere)\n"
             : "      (it is impossible in that state, and no op concurrent with it can fix the state)\n";
  if (!v.concurrent.empty()) {
    out += "    other ops called before it returned and not in the prefix (" + std::to_string(v.concurrent.size()) + "):\n";
    for (std::size_t i = 0; i < v.concurrent.size() && i < o.concurrent; ++i) {
      out += "      " + describe(h.ops[v.concurrent[i]], v.concurrent[i]) + "\n";
    }
    if (v.concurrent.size() > o.concurrent) out += "      …\n";
  }
}

std::string key_name(const std::string& key) { return key.empty() ? "(single object)" : "key " + key; }

}  // namespace

std::string render_text(const History& h, const CheckResult& r, const ReportOptions& o) {
  std::string out;
  std::size_t valid = 0, not_checked = 0;
  for (const KeyResult& k : r.keys) {
    if (k.verdict == Verdict::Linearizable) {
      ++valid;
      if (!o.list_valid_keys) continue;
    }
    if (k.not_checked) {
      ++not_checked;
      continue;
    }
    out += "  " + key_name(k.key) + ": " + std::string(to_string(k.verdict)) + " (" + std::to_string(k.ops) + " ops";
    if (k.skipped > 0) out += ", " + std::to_string(k.skipped) + " skipped";
    out += ", " + seconds_text(k.seconds) + ")\n";
    if (k.verdict == Verdict::Unknown) out += "    " + k.unknown_reason + "\n";
    if (k.violation) render_violation(out, h, k, o);
  }
  if (!o.list_valid_keys && valid > 0) {
    out += "  " + std::to_string(valid) + " of " + std::to_string(r.keys.size()) + " keys linearizable\n";
  }
  if (not_checked > 0) {
    out += "  " + std::to_string(not_checked) + " keys not checked to the end: the check stopped at the first violation\n";
  }
  out += h.source + ": " + std::string(to_string(r.verdict)) + " (" + std::to_string(h.ops.size()) + " ops, " +
         std::to_string(r.keys.size()) + " keys, " + seconds_text(r.seconds) + ")\n";
  return out;
}

nlohmann::json render_json(const History& h, const CheckResult& r, const ReportOptions& o) {
  using nlohmann::json;
  auto op_json = [&](std::size_t i) {
    json j = json::object();
    j["index"] = i;
    j["line"] = h.ops[i].line;
    j["text"] = describe(h.ops[i], i);
    return j;
  };
  json keys = json::array();
  for (const KeyResult& k : r.keys) {
    json jk = {{"key", k.key}, {"verdict", std::string(to_string(k.verdict))}, {"valid", k.verdict == Verdict::Linearizable},
               {"ops", k.ops}, {"skipped", k.skipped}, {"seconds", k.seconds}, {"states", k.stats.memo_entries}};
    if (k.verdict == Verdict::Unknown) jk["reason"] = k.unknown_reason;
    if (k.not_checked) jk["not_checked"] = true;
    if (k.violation) {
      const Violation& v = *k.violation;
      json prefix = json::array();
      const std::size_t from = v.prefix.size() - std::min(o.prefix_tail, v.prefix.size());
      for (std::size_t i = from; i < v.prefix.size(); ++i) prefix.push_back(op_json(v.prefix[i]));
      json conc = json::array();
      for (std::size_t i : v.concurrent) conc.push_back(op_json(i));
      jk["violation"] = {{"prefix_length", v.prefix.size()}, {"prefix_tail", prefix},
                         {"state_after_prefix", v.state_after_prefix}, {"blocked", op_json(v.blocked)},
                         {"blocked_step_possible", v.blocked_step_possible}, {"concurrent", conc}};
    }
    keys.push_back(std::move(jk));
  }
  return {{"file", h.source}, {"verdict", std::string(to_string(r.verdict))}, {"valid", r.verdict == Verdict::Linearizable},
          {"ops", h.ops.size()}, {"seconds", r.seconds}, {"keys", keys}};
}

}  // namespace lincheck
