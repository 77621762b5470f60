// The test history: Jepsen operations in event form (an :invoke, later its :ok, :fail or
// :info completion; nemesis events are :info on process :nemesis), written to history.edn
// in the format Maelstrom (Jepsen 0.3) writes, one map a line.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/workbench/src/clock.h"

namespace workbench {

enum class OpType { Invoke, Ok, Fail, Info };
std::string to_string(OpType t);

struct Op {
  std::int64_t index = 0;
  Nanos time = 0;                       // since the start of the workload
  OpType type = OpType::Invoke;
  std::optional<std::int64_t> process;  // empty: the nemesis
  std::string f;                        // read, write, cas, echo, start-partition, kill, ...
  nlohmann::json value;                 // typed value, e.g. [key, v] for lin-kv
  std::string value_edn;                // when set, written instead of value (keywords etc.)
  std::string error_edn;                // :error field, EDN; empty when none
  std::string error_text;               // the same, for people
  std::int64_t error_code = -1;         // the node's error code; -1 for none or a timeout
};

class History {
 public:
  // Appends, assigning the next :index; returns it.
  std::int64_t add(Op op);
  const std::vector<Op>& ops() const { return ops_; }
  const Op& at(std::int64_t index) const { return ops_[static_cast<std::size_t>(index)]; }

 private:
  std::vector<Op> ops_;
};

// EDN for a JSON value: null -> nil, objects with string keys. keyword_keys turns the keys
// of the outermost object into keywords, as Maelstrom does for message bodies.
std::string json_to_edn(const nlohmann::json& v, bool keyword_keys = false);
std::string edn_string(const std::string& s);

// {:index 0, :time 12, :type :invoke, :process 0, :f :read, :value [0 nil]}
std::string op_to_edn(const Op& op);
void write_history_edn(std::ostream& out, const History& h);

}  // namespace workbench
