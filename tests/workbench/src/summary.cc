// The summary printed at the end of a run (stdout).
#include <cstdio>
#include <filesystem>

#include "tests/workbench/src/results.h"

namespace workbench {
namespace {

std::string format(const char* f, auto... args) {
  char buf[512];
  std::snprintf(buf, sizeof buf, f, args...);
  return buf;
}

double secs(Nanos t) { return static_cast<double>(t) / kSeconds; }

std::string availability_lines(const RunResult& run, const Verdict& v) {
  const Availability& all = v.overall();
  if (!all.answered_fraction) {
    return run.init_ok ? "availability: n/a -- no operation was issued\n"
                       : "availability: n/a -- no operation was issued (the nodes were not initialised)\n";
  }
  std::string out = format("availability: answered %.3f (%lld of %lld ops", *all.answered_fraction,
                           static_cast<long long>(all.answered), static_cast<long long>(all.count));
  for (const auto& [f, a] : v.availability_by_f)
    if (f != "all" && a.answered_fraction) out += format("; %s %.3f", f.c_str(), *a.answered_fraction);
  const Stall& s = all.longest_stall;
  out += format("); longest stall %.2f s (%.2f s to %.2f s)\n", secs(s.length), secs(s.start), secs(s.end));
  if (auto w = outage_warning(run, v); !w.empty()) out += "  !! " + w + "\n";
  return out;
}

std::string rate_line(const RunResult& run, const Verdict& v) {
  std::string out = format("rate: asked %g ops/s, issued %.1f ops/s", run.options.rate, issued_rate(run, v));
  if (run.delayed_ops > 0)
    out += format(" (%.1f while a client was free); not held: %lld ops waited %.2f s in total for a free client "
                  "(all %d busy)",
                  free_rate(run, v), static_cast<long long>(run.delayed_ops), secs(run.delay), run.options.concurrency);
  return out + "\n";
}

}  // namespace

std::string outage_warning(const RunResult& run, const Verdict& v) {
  if (!v.overall().answered_fraction) return "";
  const Stall& s = v.overall().longest_stall;
  const double run_s = secs(run.workload_duration), stall_s = secs(s.length);
  if (stall_s < 5 && stall_s < 0.25 * run_s) return "";
  if (s.to_end) return format("no operation was answered from %.1f s to the end of the run (%.1f s)", secs(s.start), run_s);
  return format("the service stalled: no operation was answered for %.1f s (%.1f s to %.1f s)", stall_s, secs(s.start),
                secs(s.end));
}

std::string summary_text(const RunResult& run, const Verdict& v) {
  std::string out = availability_lines(run, v);
  out += format("%s, %zu nodes, %.1f s: %lld ops (ok %lld, fail %lld, unknown %lld)\n",
                to_string(run.options.workload).c_str(), run.options.nodes.size(), secs(run.workload_duration),
                static_cast<long long>(v.total.count), static_cast<long long>(v.total.ok),
                static_cast<long long>(v.total.fail), static_cast<long long>(v.total.info));
  out += rate_line(run, v);
  std::vector<double> ok_ms;
  for (const auto& p : latency_points(run))
    if (p.outcome == OpType::Ok) ok_ms.push_back(p.latency_ms);
  const Quantiles q = quantiles(ok_ms);
  const double per_op =
      v.total.count > 0 ? static_cast<double>(run.net.servers.send) / static_cast<double>(v.total.count) : 0;
  out += format("ok latency p50 %.1f ms, p99 %.1f ms; server msgs/op %.2f; faults %zu; restarts %d\n", q.p50, q.p99,
                per_op, run.faults.size(), run.restarts);
  std::size_t bad_keys = 0;
  for (const auto& k : v.keys) bad_keys += k.valid == Validity::Invalid;
  if (!v.keys.empty())
    out += std::to_string(v.keys.size()) + " keys checked, " + std::to_string(bad_keys) + " not linearizable\n";
  for (const auto& r : v.reasons) out += "  - " + r + "\n";
  const char* word = v.valid == Validity::Valid ? "VALID" : v.valid == Validity::Invalid ? "INVALID" : "UNKNOWN";
  out += std::string("verdict: ") + word + " (valid? " + to_string(v.valid) + ")\n";
  out += "seed: " + std::to_string(run.seed) + "\n";
  out += "report: " + (std::filesystem::path(run.store_dir) / "report.html").string() + "\n";
  return out;
}

}  // namespace workbench
