// What the simulator needs to know about *your* service (docs/testing-your-service.md):
// how to build its state machine, what clients ask of it, and how to check their history.
//
//   class MyWorkload : public raftsim::ModelWorkload<MyModel> {      // lincheck's Model
//     std::unique_ptr<raft::StateMachine> make_state_machine() const override;
//     raftsim::Request next(raftsim::Rng& rng) override;                // a client request
//     lincheck::Operation to_history(const raftsim::Request&,
//                                    const std::string* result) const override;
//   };
//
// The simulator runs N nodes of raft::Service over fresh state machines from
// make_state_machine() (one per node start: a restart loses all volatile state), drives
// them with clients whose requests come from next(), and judges the run by every Raft
// safety invariant after every event, liveness, durability of acknowledged commands, and
// the clients' history against the model.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "lincheck/check.h"
#include "lincheck/history.h"
#include "raft/state_machine.h"
#include "raftsim/config.h"
#include "raftsim/rng.h"

namespace raftsim {

/// One client request: a command goes through the log (StateMachine::apply on every
/// replica); a query is answered by one node after a ReadIndex round (StateMachine::query),
/// so it is linearizable without a log write (Raft thesis §6.4).
struct Request {
  enum class Kind : std::uint8_t { kCommand, kQuery };
  Kind kind = Kind::kCommand;
  std::string bytes;

  static Request command(std::string bytes) { return {Kind::kCommand, std::move(bytes)}; }
  static Request query(std::string bytes) { return {Kind::kQuery, std::move(bytes)}; }
  [[nodiscard]] bool is_query() const { return kind == Kind::kQuery; }
};

class Workload {
 public:
  virtual ~Workload() = default;

  /// A fresh, empty state machine: for every node start and restart, and for the
  /// simulator's reference replica (which checks every stored snapshot against the log).
  [[nodiscard]] virtual std::unique_ptr<raft::StateMachine> make_state_machine() const = 0;

  /// The next request of some client. Draw every random choice from `rng`: a run is then
  /// a function of its seed and schedule, and replays exactly.
  virtual Request next(Rng& rng) = 0;

  /// The request as the history records it: f, key, input, and -- when `result` is set
  /// (the command was applied, the query answered) -- the output read from the result.
  /// May set outcome = Fail for a result that says the operation definitely had no effect
  /// (a compare that failed). The simulator fills in process, times and the outcome of
  /// requests that never got a result (Info: they may or may not have happened);
  /// requests refused before reaching any log (definitely not done) are left out.
  [[nodiscard]] virtual lincheck::Operation to_history(const Request& request,
                                                       const std::string* result) const = 0;

  /// A condensed form of a state machine's state, for the simulator's snapshot check (a
  /// reference replica's state after each committed index against every snapshot a node
  /// stores). Equal states must give equal fingerprints; this default hashes snapshot(),
  /// which the StateMachine contract makes deterministic. Override it with something
  /// cheaper if snapshot() is costly: the simulator calls it once per committed entry.
  [[nodiscard]] virtual std::uint64_t fingerprint(const raft::StateMachine& machine) const {
    return std::hash<std::string>{}(machine.snapshot());
  }

  /// Checks a history against the service's sequential model (one thread).
  [[nodiscard]] virtual lincheck::Result<lincheck::CheckResult> check(
      const lincheck::History& history, const lincheck::CheckOptions& options) const = 0;
};

/// A Workload whose history is checked against the lincheck Model `M` (model.h: initial
/// state, step, equality and hash). A default-constructed M is copied for each key.
template <lincheck::Model M>
class ModelWorkload : public Workload {
 public:
  [[nodiscard]] lincheck::Result<lincheck::CheckResult> check(
      const lincheck::History& history, const lincheck::CheckOptions& options) const override {
    return lincheck::check(history, M{}, options);
  }
};

}  // namespace raftsim
