// The files a run leaves in its store directory (results.json, history.edn; report.html is
// report.h) and the summary printed at the end.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/workbench/src/checker.h"
#include "tests/workbench/src/run_result.h"

namespace workbench {

struct Quantiles {
  std::size_t count = 0;
  double mean = 0, p50 = 0, p90 = 0, p95 = 0, p99 = 0, max = 0;
};
Quantiles quantiles(std::vector<double> values);

// Latency in ms of each completed client operation, with its outcome and invocation time.
struct LatencyPoint {
  double time_s = 0;      // invocation time since the start of the workload
  double latency_ms = 0;
  std::string f;
  OpType outcome = OpType::Ok;
};
std::vector<LatencyPoint> latency_points(const RunResult& run);

// 0 valid, 1 invalid, 2 unknown.
int exit_code(const Verdict& v);

nlohmann::ordered_json results_json(const RunResult& run, const Verdict& v);
// Invocations per second over the time operations were issued (--time-limit, or less if
// the run was cut short).
double issued_rate(const RunResult& run, const Verdict& v);
// The same over the time some client was free (without the time every client was busy):
// what the generator held when it could.
double free_rate(const RunResult& run, const Verdict& v);

// summary.cc: what is printed at the end. It leads with availability and the longest
// stall, so a total outage is the first thing a reader sees.
std::string summary_text(const RunResult& run, const Verdict& v);
// "" or, when the longest stall reached the end of the run or lasted 5 s or a quarter of
// it, that outage in words (the summary's "!!" line, the report's banner).
std::string outage_warning(const RunResult& run, const Verdict& v);

// Creates DIR/<UTC time>/ (unique) and points DIR/latest at it; returns the path.
std::string make_run_dir(const std::string& store);

// history.edn into run.store_dir, before checking: the history survives whatever the
// checker does. Returns "" or an error.
std::string write_history(const RunResult& run);

// results.json, report.html (and lincheck.txt) into run.store_dir; returns "" or an error.
std::string write_outputs(const RunResult& run, const Verdict& v);

}  // namespace workbench
