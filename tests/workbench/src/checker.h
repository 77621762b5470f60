// Turns a run into Maelstrom's verdict: the workload checker (per-key linearizability for
// lin-kv, payload equality for echo), Jepsen's stats checker (every operation type must
// succeed at least once), the availability checker, and, beyond Maelstrom, the protocol:
// any violation by a node, or a failed init, makes the run invalid.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/workbench/src/availability.h"
#include "tests/workbench/src/run_result.h"

namespace workbench {

enum class Validity { Valid, Invalid, Unknown };
// Jepsen's merge: invalid beats unknown beats valid.
Validity merge(Validity a, Validity b);
std::string to_string(Validity v);  // "true", "false", "unknown" (Jepsen's :valid? values)

// An invocation and its completion (absent if the run ended while it was in flight).
struct OpPair {
  std::int64_t invoke = 0;
  std::optional<std::int64_t> complete;
};
std::vector<OpPair> pair_client_ops(const History& h);

struct KeyVerdict {
  std::string key;
  Validity valid = Validity::Unknown;
  std::size_t op_count = 0;               // operations checked (failed ones excluded)
  std::string explanation;                // why not linearizable / why unknown
  std::vector<std::int64_t> offending;    // history indices of the operations to look at
};

struct FStats {
  std::int64_t count = 0, ok = 0, fail = 0, info = 0;
};

struct Verdict {
  Validity valid = Validity::Unknown;
  Validity workload = Validity::Unknown;
  std::vector<KeyVerdict> keys;            // lin-kv
  std::string checker_report;              // lin-kv: the linearizability checker's own text
  std::vector<std::string> echo_errors;    // echo
  Validity stats = Validity::Unknown;
  std::map<std::string, FStats> by_f;
  FStats total;
  Validity availability = Validity::Valid;
  std::optional<double> ok_fraction;       // Maelstrom's figure: :ok / all; none without ops
  std::map<std::string, Availability> availability_by_f;  // per f, and "all"
  const Availability& overall() const { return availability_by_f.at("all"); }
  Validity protocol = Validity::Valid;
  std::vector<std::string> reasons;        // one line each, for the summary
};

// Fewer attempts than this at an operation type that never succeeded prove nothing (a run of
// a second or two, or a node still electing a leader): the stats check is then unknown.
inline constexpr std::int64_t kMinAttemptsToJudge = 10;

Verdict judge(const RunResult& run);

}  // namespace workbench
