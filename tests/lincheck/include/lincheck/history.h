// A history: the operations clients performed, each with its call and return time.
//
// This is the interval form (one record per operation), not the event form (invoke and
// completion records) that Jepsen and Maelstrom write; the parsers pair events by process.
// Only the order of times matters: operation A precedes B in real time iff A.ret < B.call
// (strictly), so equal times mean "concurrent".
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "lincheck/value.h"

namespace lincheck {

// How an operation ended, in Jepsen's terms.
enum class Outcome : std::uint8_t {
  Ok,    // completed: it took effect exactly once between call and return
  Fail,  // definitely failed: the model decides what that means (see Semantics in model.h)
  Info,  // indefinite (crash, timeout): it may take effect at any time after its call, or never
};

std::string_view to_string(Outcome o);

// Return time of an operation that never returned (Outcome::Info).
inline constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

struct Operation {
  std::int64_t process = 0;  // client / process id (one operation in flight per process)
  std::string f;             // operation name: "read", "write", "cas", "get", "put", "append", ...
  std::string key;           // object the operation acts on; "" for single-object histories
  Value input;               // argument: write → v; cas → [from to]; put/append → s; read → nil
  Value output;              // result: read/get → the value observed; nil if none
  Outcome outcome = Outcome::Ok;
  std::int64_t call = 0;     // invocation time
  std::int64_t ret = kNever; // completion time; kNever for Outcome::Info
  std::size_t line = 0;      // line of the invocation in the source file (0: none)
  std::string error;         // error text of a failed/indefinite op, if the source had one

  bool returned() const { return ret != kNever; }
};

static_assert(std::is_nothrow_move_constructible_v<Operation>, "histories grow by moving operations");

struct History {
  std::string source = "<memory>";  // file name, for messages
  std::vector<Operation> ops;
};

// The operations of one key, as indices into History::ops (P-compositionality: Herlihy & Wing
// show linearizability is local, so each key can be checked on its own).
struct KeyPartition {
  std::string key;
  std::vector<std::size_t> ops;
};

// Partitions in order of first appearance of their key.
std::vector<KeyPartition> partition_by_key(const History& h);

// "#12 p3 cas [1 2] :ok [t 40..47]"-style one-line description for reports.
std::string describe(const Operation& op, std::size_t index);

}  // namespace lincheck
