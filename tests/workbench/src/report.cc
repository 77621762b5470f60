#include "tests/workbench/src/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "tests/workbench/src/report_diagram.h"
#include "tests/workbench/src/results.h"
#include "tests/workbench/src/svg_plot.h"

namespace workbench {
namespace {

constexpr const char* kOk = "#2a9d4b";
constexpr const char* kFail = "#d62728";
constexpr const char* kInfo = "#f08c00";
constexpr std::size_t kMaxOffending = 60;

const char* fault_color(const std::string& fault) {
  if (fault == "kill") return "#E9A4A0";
  if (fault == "pause") return "#A0B1E9";
  return "#E9DCA0";  // partition, Jepsen's colour
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string esc(const std::string& s) { return html_escape(s); }

// Fault periods, and the longest stall in grey.
std::vector<PlotBand> bands_for(const RunResult& run, const Verdict& v) {
  std::vector<PlotBand> bands;
  for (const auto& f : run.faults) {
    bands.push_back({static_cast<double>(f.start) / kSeconds, static_cast<double>(f.end) / kSeconds,
                     fault_color(f.fault), f.fault + " " + f.detail});
  }
  const Stall& s = v.overall().longest_stall;
  if (s.length > 0)
    bands.push_back({static_cast<double>(s.start) / kSeconds, static_cast<double>(s.end) / kSeconds, "#777",
                     "stall (longest): " + fmt("%.2f", static_cast<double>(s.length) / kSeconds) + " s without an answer"});
  return bands;
}

std::string availability_section(const RunResult& run, const Verdict& v) {
  if (!v.overall().answered_fraction) return "<p class='bad'>No operation was issued: availability is not known.</p>";
  std::string out =
      "<p>Answered: the operation got a definite answer -- ok, or a definite &quot;no&quot; about the data (key "
      "missing, key exists, cas mismatch, conflict). Timeouts and refusals (e.g. 11, no leader) are not answers. The "
      "longest stall runs from the first request left unanswered to the next answer (shaded grey below).</p>"
      "<table><tr><th>op</th><th>count</th><th>answered</th><th>answered fraction</th><th>ok fraction</th>"
      "<th>longest stall s</th><th>from s</th><th>to s</th></tr>";
  for (const auto& [f, a] : v.availability_by_f) {
    const FStats& st = f == "all" ? v.total : v.by_f.at(f);
    const Stall& s = a.longest_stall;
    const bool bad = run.options.max_stall_s && static_cast<double>(s.length) / kSeconds > *run.options.max_stall_s;
    out += std::string("<tr") + (bad ? " class='bad'" : "") + "><td>" + esc(f) + "</td><td>" + std::to_string(a.count) +
           "</td><td>" + std::to_string(a.answered) + "</td><td><b>" + fmt("%.4f", a.answered_fraction.value_or(0)) +
           "</b></td><td>" + fmt("%.4f", st.count ? static_cast<double>(st.ok) / static_cast<double>(st.count) : 0) +
           "</td><td><b>" + fmt("%.3f", static_cast<double>(s.length) / kSeconds) + "</b></td><td>" +
           fmt("%.3f", static_cast<double>(s.start) / kSeconds) + "</td><td>" +
           fmt("%.3f", static_cast<double>(s.end) / kSeconds) + (s.to_end ? " (end of run)" : "") + "</td></tr>";
  }
  return out + "</table>";
}

std::string latency_plot(const RunResult& run, const Verdict& v, double x_max) {
  PlotSpec spec{"Latency over time", "time (s)", "latency (ms, log scale)", true, x_max, {}, bands_for(run, v)};
  spec.series = {{"ok", kOk, {}, false}, {"fail", kFail, {}, false}, {"unknown", kInfo, {}, false}};
  for (const auto& p : latency_points(run)) {
    const std::size_t s = p.outcome == OpType::Ok ? 0 : p.outcome == OpType::Fail ? 1 : 2;
    spec.series[s].points.emplace_back(p.time_s, std::max(p.latency_ms, 0.01));
  }
  return svg_plot(spec);
}

std::string throughput_plot(const RunResult& run, const Verdict& v, double x_max) {
  const double bucket = std::max(1.0, std::ceil(x_max / 60));
  const auto n = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(x_max / bucket - 1e-9)));
  std::vector<std::vector<double>> counts(3, std::vector<double>(n, 0));
  for (const auto& p : latency_points(run)) {
    const std::size_t s = p.outcome == OpType::Ok ? 0 : p.outcome == OpType::Fail ? 1 : 2;
    counts[s][std::min(n - 1, static_cast<std::size_t>(p.time_s / bucket))] += 1 / bucket;
  }
  PlotSpec spec{"Throughput", "time (s)", "completions per second (by invocation time)", false, x_max, {}, bands_for(run, v)};
  const char* colors[] = {kOk, kFail, kInfo};
  const char* labels[] = {"ok", "fail", "unknown"};
  for (std::size_t s = 0; s < 3; ++s) {
    PlotSeries series{labels[s], colors[s], {}, true};
    for (std::size_t i = 0; i < n; ++i) series.points.emplace_back((static_cast<double>(i) + 0.5) * bucket, counts[s][i]);
    spec.series.push_back(std::move(series));
  }
  return svg_plot(spec);
}

std::string stats_table(const RunResult& run, const Verdict& v) {
  std::map<std::string, std::vector<double>> ok_ms;
  for (const auto& p : latency_points(run))
    if (p.outcome == OpType::Ok) ok_ms[p.f].push_back(p.latency_ms), ok_ms["all"].push_back(p.latency_ms);
  std::string out =
      "<table><tr><th>op</th><th>count</th><th>ok</th><th>fail</th><th>unknown</th><th>ok p50 ms</th>"
      "<th>ok p90 ms</th><th>ok p99 ms</th><th>ok max ms</th></tr>";
  auto row = [&](const std::string& f, const FStats& s) {
    const Quantiles q = quantiles(ok_ms[f]);
    out += "<tr><td>" + esc(f) + "</td><td>" + std::to_string(s.count) + "</td><td>" + std::to_string(s.ok) +
           "</td><td>" + std::to_string(s.fail) + "</td><td>" + std::to_string(s.info) + "</td><td>" +
           fmt("%.2f", q.p50) + "</td><td>" + fmt("%.2f", q.p90) + "</td><td>" + fmt("%.2f", q.p99) + "</td><td>" +
           fmt("%.2f", q.max) + "</td></tr>";
  };
  for (const auto& [f, s] : v.by_f) row(f, s);
  row("all", v.total);
  out += "</table>";
  const double ops = static_cast<double>(std::max<std::int64_t>(1, v.total.count));
  out += "<p>Messages: " +
         std::to_string(run.net.all.send) + " sent, " + std::to_string(run.net.all.recv) + " delivered, " +
         std::to_string(run.net.dropped_by_partition) + " dropped by partitions; msgs-per-op " +
         fmt("%.2f", static_cast<double>(run.net.all.send) / ops) + " (all), " +
         fmt("%.2f", static_cast<double>(run.net.servers.send) / ops) + " (server to server).</p>";
  return out;
}

std::string faults_table(const RunResult& run) {
  if (run.faults.empty()) return "<p>No faults were injected.</p>";
  std::string out = "<table><tr><th>fault</th><th>start s</th><th>end s</th><th>detail</th></tr>";
  for (const auto& f : run.faults) {
    out += "<tr><td><span class='swatch' style='background:" + std::string(fault_color(f.fault)) + "'></span>" +
           esc(f.fault) + "</td><td>" + fmt("%.2f", static_cast<double>(f.start) / kSeconds) + "</td><td>" +
           fmt("%.2f", static_cast<double>(f.end) / kSeconds) + (f.stopped ? "" : " (run ended)") + "</td><td><code>" +
           esc(f.detail) + "</code></td></tr>";
  }
  return out + "</table>";
}

std::string violations_table(const RunResult& run) {
  if (run.violations.empty()) return "<p>No protocol violations.</p>";
  std::string out = "<p class='meta'>Times from the start of the nodes, as in workbench.log; the workload began at " +
                    fmt("%.3f", static_cast<double>(run.workload_offset) / kSeconds) + " s.</p>";
  out += "<table><tr><th>time s</th><th>node</th><th>reason</th><th>line</th></tr>";
  for (const auto& x : run.violations) {
    out += "<tr class='bad'><td>" + fmt("%.3f", static_cast<double>(x.time) / kSeconds) + "</td><td>" + esc(x.node) +
           "</td><td><pre>" + esc(x.reason) + "</pre></td><td><code>" + esc(x.line) + "</code></td></tr>";
  }
  return out + "</table>";
}

std::string keys_section(const RunResult& run, const Verdict& v) {
  if (run.options.workload != WorkloadKind::LinKv) {
    std::string out = "<p>Echo check: " + std::string(v.echo_errors.empty() ? "every echo_ok carried its payload." : "mismatches:") + "</p>";
    for (const auto& e : v.echo_errors) out += "<pre class='bad'>" + esc(e) + "</pre>";
    return out;
  }
  std::string out = "<table><tr><th>key</th><th>linearizable?</th><th>ops checked</th><th>explanation</th></tr>";
  for (const auto& k : v.keys) {
    const char* cls = k.valid == Validity::Valid ? "good" : k.valid == Validity::Invalid ? "bad" : "unknown";
    out += "<tr class='" + std::string(cls) + "'><td>" + esc(k.key) + "</td><td>" + to_string(k.valid) + "</td><td>" +
           std::to_string(k.op_count) + "</td><td>" + esc(k.explanation) + "</td></tr>";
  }
  out += "</table>";
  for (const auto& k : v.keys) {
    if (k.valid != Validity::Invalid || k.offending.empty()) continue;
    out += "<h3>Offending operations on key " + esc(k.key) + "</h3><pre class='ops'>";
    std::size_t shown = 0;
    for (auto idx : k.offending) {
      if (shown++ == kMaxOffending) break;
      if (idx >= 0 && static_cast<std::size_t>(idx) < run.history.ops().size()) out += esc(op_to_edn(run.history.at(idx))) + "\n";
    }
    out += "</pre>";
  }
  return out;
}

const char* kStyle = R"(body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}
h1 .badge{padding:4px 12px;border-radius:6px;color:white;font-size:0.8em}
.VALID{background:#2a9d4b}.INVALID{background:#d62728}.UNKNOWN{background:#777}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
tr.bad td{background:#fde8e8}tr.unknown td{background:#f0f0f0}pre{margin:0;white-space:pre-wrap}
pre.ops{background:#f6f6f6;padding:8px;font-size:12px}code{font-size:12px;word-break:break-all}
.swatch{display:inline-block;width:10px;height:10px;margin-right:6px}.meta{color:#555}p.bad{color:#d62728;font-weight:bold}
)";

}  // namespace

std::string report_html(const RunResult& run, const Verdict& v) {
  const char* word = v.valid == Validity::Valid ? "VALID" : v.valid == Validity::Invalid ? "INVALID" : "UNKNOWN";
  const double x_max = std::max(1.0, static_cast<double>(run.workload_duration) / kSeconds);
  std::string out = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>workbench " +
                    esc(to_string(run.options.workload)) + " " + word + "</title><style>" + kStyle + "</style></head><body>";
  out += "<h1>workbench " + esc(to_string(run.options.workload)) + " <span class='badge " + word + "'>" + word + "</span></h1>";
  out += "<p class='meta'>" + std::to_string(run.options.nodes.size()) + " nodes of <code>" + esc(run.options.bin) +
         "</code>, " + fmt("%.1f", x_max) + " s, seed " + std::to_string(run.seed) + ". Replay: <code>" +
         esc(run.replay_command) + "</code></p>";
  if (auto w = outage_warning(run, v); !w.empty()) out += "<p class='bad'>&#x26A0; " + esc(w) + "</p>";
  if (!v.reasons.empty()) {
    out += "<ul>";
    for (const auto& r : v.reasons) out += "<li>" + esc(r) + "</li>";
    out += "</ul>";
  }
  out += "<h2>Availability</h2>" + availability_section(run, v);
  out += "<h2>Latency</h2>" + latency_plot(run, v, x_max);
  out += "<h2>Throughput</h2>" + throughput_plot(run, v, x_max);
  const DiagramWindow window = choose_window(run, v);
  out += "<h2>Operation timeline</h2><p class='meta'>Each operation a bar from invocation to completion: ok green, "
         "answered &quot;no&quot; light green, failed red, unknown orange, never completed grey; faults and the longest "
         "stall shaded; the dashed box is the message diagram's window.</p>" +
         operation_timeline(run, v, window);
  out += "<h2>Messages</h2>" + message_diagram(run, window);
  out += "<h2>Operations</h2>" + stats_table(run, v);
  out += "<h2>Faults</h2>" + faults_table(run);
  out += "<h2>Per-key verdicts</h2>" + keys_section(run, v);
  out += "<h2>Protocol</h2>" + violations_table(run);
  out += "<p class='meta'>Files: results.json, history.edn, node-logs/, workbench.log.</p></body></html>\n";
  return out;
}

}  // namespace workbench
