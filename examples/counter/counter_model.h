// The counter's sequential specification, for the linearizability checker (lincheck's
// Model concept, tests/lincheck/include/lincheck/model.h). One counter per key: lincheck
// checks each key on its own (linearizability is local, Herlihy & Wing 1990, Theorem 1).
//
// History operations (what CounterWorkload::to_history writes):
//   f "add", input n, output the value the add returned (nil if it never returned)
//   f "get", output the value read
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "lincheck/model.h"

namespace counter {

struct CounterModel {
  using State = std::int64_t;
  struct Op {
    bool add = false;
    std::int64_t amount = 0;  // add
    std::optional<std::int64_t> result;  // the value returned; nullopt: never returned
    bool operator==(const Op&) const = default;
  };

  [[nodiscard]] State init() const { return 0; }

  lincheck::Prepared<Op> prepare(const lincheck::Operation& o) const {
    // Only ok and indefinite ops reach the model: the simulator leaves out requests that
    // definitely did not happen.
    const bool returned = o.outcome == lincheck::Outcome::Ok;
    std::optional<std::int64_t> result;
    if (returned) {
      if (!o.output.is_int()) return lincheck::Prepared<Op>::fail("no value returned");
      result = o.output.as_int();
    }
    if (o.f == "get") {
      return returned ? lincheck::Prepared<Op>::use(Op{false, 0, result})
                      : lincheck::Prepared<Op>::skip();  // a read that never returned: nothing
    }
    if (o.f == "add" && o.input.is_int()) {
      return lincheck::Prepared<Op>::use(Op{true, o.input.as_int(), result});
    }
    return lincheck::Prepared<Op>::fail("not a counter operation: " + o.f);
  }

  [[nodiscard]] std::optional<State> step(State s, const Op& op) const {
    const State next = op.add ? static_cast<State>(static_cast<std::uint64_t>(s) +
                                                   static_cast<std::uint64_t>(op.amount))
                              : s;
    if (op.result && *op.result != next) return std::nullopt;
    return next;
  }

  [[nodiscard]] std::uint64_t hash(State s) const {
    return static_cast<std::uint64_t>(s) * 0x9E3779B97F4A7C15ULL;
  }
  [[nodiscard]] std::string describe_state(State s) const { return std::to_string(s); }
  /// A get changes nothing: the search places one that fits at once (model.h).
  [[nodiscard]] bool read_only(const Op& op) const { return !op.add; }
};

static_assert(lincheck::Model<CounterModel>);

}  // namespace counter
