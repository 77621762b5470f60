// A string key-value map: get / put / append, every key starting as "" (Porcupine's kv model).
// The checker partitions by key, so one instance models one key's string.
//
// The search tries appends in many orders, and every order makes a different string, so
// building strings would dominate the run time. Instead a state is a node of a string DAG
// (see string_pool.h): "node p followed by text t", identified canonically — equal strings
// always get the same id — via a polynomial hash and the length, checked character by
// character on a hash match. step() is then O(1) arithmetic and a table probe, and get
// compares two integers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "lincheck/model.h"
#include "lincheck/string_pool.h"

namespace lincheck {

class StringKvModel {
 public:
  using State = std::uint32_t;  // StringPool node; StringPool::kEmpty is ""
  static constexpr State kDead = 0xfffffffeu;  // a string no get can observe (model.h, dead())

  struct Op {
    enum class Kind : std::uint8_t { Get, Put, Append };
    Kind kind = Kind::Get;
    std::uint32_t arg = 0;     // Get/Put: the node of the whole string; Append: a text id
    std::uint32_t prefixes = StringPool::kNoPrefixes;  // Get: prefix-hash table of the string
    friend bool operator==(const Op&, const Op&) = default;
  };

  explicit StringKvModel(Semantics semantics = Semantics::Knossos) : semantics_(semantics) {}

  State init() const { return StringPool::kEmpty; }
  // Accepts f = get (output = string read), put and append (input = string).
  Prepared<Op> prepare(const Operation& op);
  std::optional<State> step(State s, const Op& op) {
    switch (op.kind) {
      case Op::Kind::Get: return s == op.arg ? std::optional<State>(s) : std::nullopt;
      case Op::Kind::Put: return op.arg;
      case Op::Kind::Append: return s == kDead ? kDead : pool_.append(s, op.arg);
    }
    return std::nullopt;
  }
  bool read_only(const Op& op) const { return op.kind == Op::Kind::Get; }
  // Only put can shorten or change the string; appends extend it, so a get of g can still be
  // satisfied without a put only if the current string is a prefix of g.
  bool resets(const Op& op) const { return op.kind == Op::Kind::Put; }
  bool may_reach(State s, const Op& read) const { return s != kDead && pool_.maybe_prefix(s, read.prefixes); }
  State dead() const { return kDead; }
  std::uint64_t hash(State s) const { return s; }
  std::string describe_state(State s) const;

 private:
  Semantics semantics_;
  StringPool pool_;
};

}  // namespace lincheck
