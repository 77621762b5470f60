// What a simulated run produced: counters, the client history, and the evidence for each
// property (empty lists mean the property held).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "raftsim/history.h"
#include "raftsim/time.h"

namespace raftsim {

struct SimStats {
  std::uint64_t events = 0;
  std::uint64_t ticks = 0;
  std::uint64_t messages_sent = 0;
  std::uint64_t messages_delivered = 0;
  std::uint64_t dropped_loss = 0;       // lost by the network
  std::uint64_t dropped_partition = 0;  // cut at delivery time
  std::uint64_t dropped_down = 0;       // addressed to a crashed node
  std::uint64_t duplicated = 0;
  std::uint64_t crashes = 0;            // including deaths inside a persist
  std::uint64_t persist_crashes = 0;
  std::uint64_t restarts = 0;
  std::uint64_t corruptions = 0;        // bits flipped in stored records
  std::uint64_t refused_restarts = 0;   // restarts whose log was refused (corruption found)
  std::uint64_t elections_won = 0;      // distinct (leader, term) pairs seen
  std::uint64_t observations = 0;       // invariant-checker observations
  std::uint64_t snapshots_installed = 0;  // snapshots received from a leader and restored
  std::uint64_t conf_changes = 0;          // configuration changes a leader appended
  std::uint64_t conf_changes_refused = 0;  // ... that it refused (one pending, no own-term commit)
  std::uint64_t transfers = 0;             // leadership transfers a leader began
};

struct LivenessEvidence {
  Micros faults_end = 0;
  /// When, after the faults ended, one leader was followed by every node (if ever).
  std::optional<Micros> stable_leader_at;
  Micros bound = 0;  // stable_leader_at - faults_end must not exceed this
  /// False when the run ended too soon after the faults to judge liveness.
  bool checked = false;
  /// Ops issued after stable_leader_at (with time to finish) that did not complete.
  std::vector<std::string> stuck_ops;
};

struct SimResult {
  std::uint64_t seed = 0;
  Micros end = 0;
  SimStats stats;
  std::vector<ClientOp> history;
  /// The run's workload: what the history's bytes mean, and the model to check it with.
  std::shared_ptr<const Workload> workload;
  /// Property 1: invariant-checker and vote-uniqueness violations.
  std::vector<std::string> safety;
  /// Property 3.
  LivenessEvidence liveness;
  /// Set when the run was stopped early (a message storm); counts against liveness.
  std::string aborted;
  /// Property 4: acknowledged writes missing from the final committed log.
  std::vector<std::string> durability;

  [[nodiscard]] bool safe() const { return safety.empty(); }
  [[nodiscard]] bool live() const;
  [[nodiscard]] bool durable() const { return durability.empty(); }
  /// Liveness in words ("leader n3 after 240ms; all 42 later ops completed").
  [[nodiscard]] std::string liveness_report() const;
  /// The checked history (history.h's outcome rules).
  [[nodiscard]] lincheck::History checked_history() const;
};

/// Writes the checked history in JSON lines, one op per line (lincheck's format).
void write_jsonl(const SimResult& r, std::ostream& out);

}  // namespace raftsim
