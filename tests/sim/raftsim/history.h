// The clients' view of a run: every request with its call and return time (virtual
// microseconds) and outcome, convertible -- through the workload, which knows what the
// bytes mean -- to the lincheck library's history (and so to its JSON-lines format,
// docs/lincheck.md).
//
// Outcome rules (raft::Outcome, as the service answers):
//   applied      -> ok, with the output the workload reads from the result; the workload
//                   may call it a fail (a compare that failed: an observed, definite no-op)
//   unavailable, too_large
//                -> left out: definitely did not happen, so it constrains nothing (and a
//                   cas refused this way must not read as an observed compare failure)
//   unknown, client timeout, crash
//                -> info: may take effect at any time after the call, or never
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "lincheck/history.h"
#include "raft/service.h"
#include "raftsim/time.h"
#include "raftsim/workload.h"

namespace raftsim {

struct ClientOp {
  std::int64_t process = 0;  // lincheck process: a client gets a new one after a timeout
  int client = 0;
  int node = 0;  // the node the request went to
  Request request;
  Micros call = 0;
  Micros ret = 0;                       // valid when outcome is set
  std::optional<raft::Outcome> outcome;  // nullopt: the client gave up (timeout)
  /// The node's request number for it, to find the command in the log (durability).
  std::uint64_t seq = 0;

  [[nodiscard]] bool answered() const { return outcome.has_value(); }
  /// The command was applied (the query served): the answer is the service's result.
  [[nodiscard]] bool applied() const;
  /// A definite "did not happen" (unavailable, too large).
  [[nodiscard]] bool refused() const;
  [[nodiscard]] bool is_command() const { return !request.is_query(); }
};

/// "p3 n2 add c1 2 : ok 7" -- the op as the workload reads it.
std::string describe(const ClientOp& op, const Workload& workload);

/// The history to check (see the outcome rules above).
lincheck::History to_lincheck(const std::vector<ClientOp>& ops, const Workload& workload);

}  // namespace raftsim
