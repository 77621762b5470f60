// A compare-and-set register: read / write / cas, starting absent (distinct from every value).
// This is Maelstrom's lin-kv model for one key and Jepsen's etcd register.
//
// Values are interned per key into small ids (0 = absent), so State is a uint32_t and every
// step is an integer compare: the search never touches a Value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "lincheck/model.h"

namespace lincheck {

class CasRegisterModel {
 public:
  using State = std::uint32_t;  // interned value id; kAbsent before the first write
  static constexpr State kAbsent = 0;

  struct Op {
    enum class Kind : std::uint8_t {
      Read,         // ok read that returned a: state must be a
      Write,        // state := a
      Cas,          // requires state == a; state := b
      FailedCas,    // Porcupine semantics: requires state != a; state unchanged
    };
    Kind kind = Kind::Read;
    State a = kAbsent;
    State b = kAbsent;
    friend bool operator==(const Op&, const Op&) = default;
  };

  explicit CasRegisterModel(Semantics semantics = Semantics::Knossos) : semantics_(semantics) {}

  State init() const { return kAbsent; }
  // Accepts f = read (output = value read), write (input = v), cas (input = [from to]).
  Prepared<Op> prepare(const Operation& op);
  std::optional<State> step(State s, const Op& op) const {
    switch (op.kind) {
      case Op::Kind::Read: return s == op.a ? std::optional<State>(s) : std::nullopt;
      case Op::Kind::Write: return op.a;
      case Op::Kind::Cas: return s == op.a ? std::optional<State>(op.b) : std::nullopt;
      case Op::Kind::FailedCas: return s != op.a ? std::optional<State>(s) : std::nullopt;
    }
    return std::nullopt;
  }
  bool read_only(const Op& op) const { return op.kind == Op::Kind::Read || op.kind == Op::Kind::FailedCas; }
  bool resets(const Op& op) const { return op.kind == Op::Kind::Write; }
  std::uint64_t hash(State s) const { return s; }
  std::string describe_state(State s) const;

 private:
  State intern(const Value& v);

  Semantics semantics_;
  std::vector<Value> values_{Value::nil()};  // id → value; id 0 is "absent"
  std::unordered_map<Value, State, ValueHash> ids_;
};

}  // namespace lincheck
