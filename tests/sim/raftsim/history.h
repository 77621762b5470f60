// The clients' view of a run: every operation with its call and return time (virtual
// microseconds) and outcome, convertible to the lincheck library's history (and so to its
// JSON-lines format, docs/lincheck.md).
//
// Outcome rules (lin-kv, as Maelstrom's client maps them):
//   ok                        -> ok; a read of a missing key (code 20) is an ok read of nil
//   cas failed with 20 or 22  -> fail: a definite, observed compare failure
//   code 11                   -> fail: never proposed, did not happen
//   timeout / code 0 / crash  -> info: may take effect at any time after the call, or never
// The history is checked with Porcupine semantics (a failed cas observed that the register
// did not hold `from`; a nil read observed an absent key) -- stronger than Knossos'. For
// that to be sound, a cas that failed with 11 must not count as an observed compare
// failure, so it is left out of the checked history altogether: it constrains nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "kv/state_machine.h"
#include "lincheck/history.hpp"
#include "raftsim/time.h"

namespace raftsim {

struct ClientOp {
  std::int64_t process = 0;  // lincheck process: a client gets a new one after a timeout
  int client = 0;
  int node = 0;  // the node the request went to
  kv::Operation op;
  Micros call = 0;
  Micros ret = 0;                    // valid when result is set
  std::optional<kv::Result> result;  // nullopt: the client gave up (timeout)
  /// The node's request number for it (the seq of its raft::ClientCommand), to find it in the log.
  std::uint64_t seq = 0;

  [[nodiscard]] bool answered() const { return result.has_value(); }
  [[nodiscard]] bool ok() const { return result && result->ok; }
  /// ok, or a definite failure that still is a real answer (20, 22): the op completed.
  [[nodiscard]] bool completed() const;
  [[nodiscard]] bool is_write() const { return op.kind != kv::Operation::Kind::kRead; }
};

/// "p3 n2 cas k1 2->4 : fail 22 (found 3)"
std::string describe(const ClientOp& op);

/// The history to check (see the outcome rules above).
lincheck::History to_lincheck(const std::vector<ClientOp>& ops);
/// Writes the checked history in JSON lines, one op per line.
void write_jsonl(const std::vector<ClientOp>& ops, std::ostream& out);

}  // namespace raftsim
