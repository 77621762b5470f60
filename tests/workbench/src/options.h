// Command-line options of `workbench test`, mirroring `maelstrom test` (same names, same
// defaults) plus a few workbench-only switches. Parsing never exits or throws: it returns
// either options or a message, and main() turns the message into exit status 254.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace workbench {

enum class WorkloadKind { LinKv, Echo };
enum class LatencyDist { Constant, Uniform, Exponential };
enum class Fault { Partition, Kill, Pause };

struct Options {
  WorkloadKind workload = WorkloadKind::LinKv;
  std::string bin;                     // absolute path of the node binary
  std::vector<std::string> node_args;  // passed to every node process
  std::vector<std::string> nodes;      // n0..n(N-1) with --node-count, n1..n5 otherwise
  double time_limit_s = 60;
  int concurrency = 0;                 // resolved number of client threads
  double rate = 5;                     // ops per second across all clients
  std::int64_t latency_ms = 0;
  LatencyDist latency_dist = LatencyDist::Constant;
  std::set<Fault> faults;
  double nemesis_interval_s = 10;
  std::optional<double> availability;  // minimum answered fraction; 1.0 for "total"
  std::optional<double> max_stall_s;   // longest allowed stall (s); none: not judged
  bool log_stderr = false;
  bool log_net_send = false;
  bool log_net_recv = false;
  std::optional<std::uint64_t> seed;
  std::string store = "store";
  int test_count = 1;
  double init_timeout_s = 10;          // workbench-only: Maelstrom's init deadline is fixed
  double check_timeout_s = 300;        // workbench-only: past it, undecided keys are unknown
  bool reads_on_all_keys = true;       // workbench-only: see docs/workbench.md
  bool progress = true;                // workbench-only: --no-progress turns it off
  std::optional<double> diagram_at_s;  // report: the message diagram starts here (workload s)
  std::optional<double> diagram_span_s;  // report: and covers this long
};

struct ParseOutcome {
  std::optional<Options> options;  // set when the arguments were valid
  bool help = false;               // --help / help was asked for
  std::string error;               // why the arguments were rejected
  std::vector<std::string> notes;  // choices made for the user, printed before the run
};

// args excludes argv[0]; the first word must be the command (`test` or `help`).
ParseOutcome parse_options(const std::vector<std::string>& args);

std::string help_text();

std::string to_string(WorkloadKind w);
std::string to_string(LatencyDist d);
std::string to_string(Fault f);

}  // namespace workbench
