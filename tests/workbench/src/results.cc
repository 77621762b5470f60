#include "tests/workbench/src/results.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "tests/workbench/src/report.h"

namespace workbench {

using nlohmann::ordered_json;
namespace fs = std::filesystem;

Quantiles quantiles(std::vector<double> values) {
  Quantiles q;
  q.count = values.size();
  if (values.empty()) return q;
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (double x : values) sum += x;
  q.mean = sum / static_cast<double>(values.size());
  // Nearest rank: the smallest value with at least p of the values at or below it.
  auto at = [&](double p) {
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
  };
  q.p50 = at(0.50);
  q.p90 = at(0.90);
  q.p95 = at(0.95);
  q.p99 = at(0.99);
  q.max = values.back();
  return q;
}

std::vector<LatencyPoint> latency_points(const RunResult& run) {
  std::vector<LatencyPoint> points;
  for (const auto& p : pair_client_ops(run.history)) {
    if (!p.complete) continue;
    const Op& inv = run.history.at(p.invoke);
    const Op& done = run.history.at(*p.complete);
    points.push_back({static_cast<double>(inv.time) / kSeconds, static_cast<double>(done.time - inv.time) / kMillis,
                      inv.f, done.type});
  }
  return points;
}

int exit_code(const Verdict& v) {
  switch (v.valid) {
    case Validity::Valid: return 0;
    case Validity::Invalid: return 1;
    case Validity::Unknown: return 2;
  }
  return 2;
}

namespace {

ordered_json validity_json(Validity v) {
  if (v == Validity::Unknown) return "unknown";
  return v == Validity::Valid;
}

ordered_json quantiles_json(const Quantiles& q) {
  return {{"count", q.count}, {"mean", q.mean}, {"p50", q.p50}, {"p90", q.p90},
          {"p95", q.p95},     {"p99", q.p99},   {"max", q.max}};
}

ordered_json options_json(const Options& o) {
  ordered_json faults = ordered_json::array();
  for (auto f : o.faults) faults.push_back(to_string(f));
  return {{"bin", o.bin},
          {"node_args", o.node_args},
          {"nodes", o.nodes},
          {"time_limit", o.time_limit_s},
          {"concurrency", o.concurrency},
          {"rate", o.rate},
          {"latency", o.latency_ms},
          {"latency_dist", to_string(o.latency_dist)},
          {"nemesis", faults},
          {"nemesis_interval", o.nemesis_interval_s},
          {"availability", o.availability ? ordered_json(*o.availability) : ordered_json()},
          {"init_timeout", o.init_timeout_s},
          {"check_timeout", o.check_timeout_s},
          {"reads_on_all_keys", o.reads_on_all_keys}};
}

ordered_json fstats_json(const FStats& s) {
  return {{"count", s.count}, {"ok-count", s.ok}, {"fail-count", s.fail}, {"info-count", s.info}};
}

ordered_json net_counts_json(const NetCounts& c, std::int64_t ops) {
  ordered_json j = {{"send-count", c.send}, {"recv-count", c.recv}, {"msg-count", c.send}};
  if (ops > 0) j["msgs-per-op"] = static_cast<double>(c.send) / static_cast<double>(ops);
  return j;
}

ordered_json latency_json(const RunResult& run) {
  std::map<std::string, std::map<std::string, std::vector<double>>> by;  // f -> outcome -> ms
  for (const auto& p : latency_points(run)) {
    for (const std::string& f : {p.f, std::string("all")}) {
      by[f][to_string(p.outcome)].push_back(p.latency_ms);
      by[f]["all"].push_back(p.latency_ms);
    }
  }
  ordered_json j = ordered_json::object();
  for (auto& [f, outcomes] : by) {
    ordered_json o = ordered_json::object();
    for (auto& [outcome, values] : outcomes) o[outcome] = quantiles_json(quantiles(values));
    j[f] = o;
  }
  return j;
}

ordered_json workload_json(const Verdict& v) {
  ordered_json keys = ordered_json::array();
  for (const auto& k : v.keys) {
    keys.push_back({{"key", k.key},
                    {"valid", validity_json(k.valid)},
                    {"ops", k.op_count},
                    {"explanation", k.explanation},
                    {"offending", k.offending}});
  }
  return {{"valid", validity_json(v.workload)}, {"keys", keys}, {"echo_errors", v.echo_errors}};
}

ordered_json protocol_json(const RunResult& run, const Verdict& v) {
  ordered_json list = ordered_json::array();
  for (const auto& x : run.violations)
    list.push_back({{"time_s", static_cast<double>(x.time) / kSeconds},
                    {"phase", x.time < run.workload_offset ? "init" : "workload"},
                    {"node", x.node},
                    {"reason", x.reason},
                    {"line", x.line}});
  // time_s is on workbench.log's clock (from the start of the nodes); the workload's time 0
  // is workload_offset_s later.
  return {{"valid", validity_json(v.protocol)},
          {"init_ok", run.init_ok},
          {"workload_offset_s", static_cast<double>(run.workload_offset) / kSeconds},
          {"violations", list}};
}

ordered_json nemesis_json(const RunResult& run) {
  ordered_json list = ordered_json::array();
  for (const auto& f : run.faults) {
    list.push_back({{"fault", f.fault},
                    {"detail", f.detail},
                    {"start_s", static_cast<double>(f.start) / kSeconds},
                    {"end_s", static_cast<double>(f.end) / kSeconds},
                    {"stopped", f.stopped}});
  }
  return list;
}

ordered_json fraction_json(const std::optional<double>& x) { return x ? ordered_json(*x) : ordered_json(); }

ordered_json stall_json(const Stall& s) {
  return {{"longest-stall-s", static_cast<double>(s.length) / kSeconds},
          {"stall-start-s", static_cast<double>(s.start) / kSeconds},
          {"stall-end-s", static_cast<double>(s.end) / kSeconds},
          {"stall-until-end", s.to_end}};
}

ordered_json availability_json(const Verdict& v) {
  const Availability& all = v.overall();
  ordered_json j = {{"valid", validity_json(v.availability)},
                    {"answered-fraction", fraction_json(all.answered_fraction)},
                    {"answered-count", all.answered},
                    {"ok-fraction", fraction_json(v.ok_fraction)}};
  j.update(stall_json(all.longest_stall));
  ordered_json by_f = ordered_json::object();
  for (const auto& [f, a] : v.availability_by_f) {
    if (f == "all") continue;
    ordered_json x = {{"answered-fraction", fraction_json(a.answered_fraction)}, {"answered-count", a.answered}};
    x.update(stall_json(a.longest_stall));
    by_f[f] = x;
  }
  j["by-f"] = by_f;
  return j;
}

ordered_json rate_json(const RunResult& run, const Verdict& v) {
  return {{"asked", run.options.rate},
          {"issued", issued_rate(run, v)},
          {"issued-while-a-client-was-free", free_rate(run, v)},
          {"delayed-ops", run.delayed_ops},
          {"delayed-s", static_cast<double>(run.delay) / kSeconds}};
}

}  // namespace

double issued_rate(const RunResult& run, const Verdict& v) {
  const double window = std::min(run.options.time_limit_s, static_cast<double>(run.workload_duration) / kSeconds);
  return window > 0 ? static_cast<double>(v.total.count) / window : 0.0;
}

double free_rate(const RunResult& run, const Verdict& v) {
  const double window = std::min(run.options.time_limit_s, static_cast<double>(run.workload_duration) / kSeconds) -
                        static_cast<double>(run.delay) / kSeconds;
  return window > 0 ? static_cast<double>(v.total.count) / window : 0.0;
}

ordered_json results_json(const RunResult& run, const Verdict& v) {
  const std::int64_t ops = v.total.count;
  ordered_json by_f = ordered_json::object();
  for (const auto& [f, s] : v.by_f) by_f[f] = fstats_json(s);
  ordered_json stats = fstats_json(v.total);
  stats["valid"] = validity_json(v.stats);
  stats["by-f"] = by_f;
  return {
      {"valid", validity_json(v.valid)},
      {"exit_code", exit_code(v)},
      {"reasons", v.reasons},
      {"workload", to_string(run.options.workload)},
      {"seed", run.seed},
      {"replay", run.replay_command},
      {"options", options_json(run.options)},
      {"duration_s", static_cast<double>(run.workload_duration) / kSeconds},
      {"interrupted", run.interrupted},
      {"stats", stats},
      {"availability", availability_json(v)},
      {"rate", rate_json(run, v)},
      {"net",
       {{"all", net_counts_json(run.net.all, ops)},
        {"clients", net_counts_json(run.net.clients, ops)},
        {"servers", net_counts_json(run.net.servers, ops)},
        {"dropped-by-partition", run.net.dropped_by_partition},
        {"lost-to-killed-nodes", run.net.lost}}},
      {"latency_ms", latency_json(run)},
      {"workload_check", workload_json(v)},
      {"protocol", protocol_json(run, v)},
      {"nemesis", nemesis_json(run)},
      {"restarts", run.restarts},
  };
}

std::string make_run_dir(const std::string& store) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char name[64];
  std::snprintf(name, sizeof name, "%04d%02d%02dT%02d%02d%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  fs::create_directories(store);
  std::string leaf = name;
  for (int i = 1; fs::exists(fs::path(store) / leaf); ++i) leaf = std::string(name) + "-" + std::to_string(i);
  fs::create_directories(fs::path(store) / leaf);
  std::error_code ec;
  fs::remove(fs::path(store) / "latest", ec);
  fs::create_directory_symlink(leaf, fs::path(store) / "latest", ec);  // best effort
  return (fs::path(store) / leaf).string();
}

std::string write_history(const RunResult& run) {
  std::ofstream history(fs::path(run.store_dir) / "history.edn");
  write_history_edn(history, run.history);
  history.flush();
  return history ? "" : "could not write " + (fs::path(run.store_dir) / "history.edn").string();
}

std::string write_outputs(const RunResult& run, const Verdict& v) {
  const fs::path dir = run.store_dir;
  std::ofstream results(dir / "results.json");
  results << results_json(run, v).dump(2) << '\n';
  std::ofstream report(dir / "report.html");
  report << report_html(run, v);
  if (!v.checker_report.empty()) std::ofstream(dir / "lincheck.txt") << v.checker_report;
  if (!results || !report) return "could not write the results into " + dir.string();
  return "";
}

}  // namespace workbench
