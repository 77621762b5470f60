// The model interface: a sequential specification the checker searches against.
//
// A model has a compact State (cheap to copy, hash and compare: the search memoizes
// (set of linearized ops, state) pairs, after Lowe, "Testing for linearizability", 2017)
// and a compact Op, translated once from each history Operation by prepare(). step() is
// the sequential specification: the state after applying op, or nullopt if op cannot take
// effect in that state with the result the history recorded.
//
// Optionally, `bool read_only(const Op&) const` tells the search an op never changes any
// state (a read). The search then linearizes a pending read that fits the current state at
// once, without branching: moving such a read to the front of any valid completion keeps
// the completion valid (its state does not change and nothing before it is left out).
//
// Optionally, `bool resets(const Op&) const` says an op's result does not depend on the state
// before it (a write, a put). The search then never places a reset right after a
// never-returned (info) op: that info op's effect would be overwritten unobserved, and the
// same completion without it exists and uses fewer info ops.
//
// A model whose states only grow except through "reset" ops (a string under
// append, reset by put) declares
//   bool resets(const Op&) const        — the op's result does not depend on the state before;
//   bool may_reach(const State& s, const Op& read) const
//                                       — false only if no sequence of non-reset ops leads
//                                         from s to a state where `read` fits (true if unsure).
// The search then abandons a configuration as soon as a pending read can no longer be
// satisfied before it returns: the order of concurrent appends is refuted by the first get
// that contradicts it, not at that get's return.
// Such a model may also declare `State dead() const`: a state standing for every state from
// which no read can be satisfied before the next reset. Its contract: step(dead(), reset) is
// step(s, reset) for any s; step(dead(), read) fails; and every other op succeeds in every
// state and maps dead() to dead(). The search replaces a state no pending read can observe
// any more by dead(), so the many orders of appends that a put later wipes out merge into one
// memo entry.
//
// The checker copies the model once per key (P-compositionality), so a model may keep
// mutable per-key tables — e.g. interned values — and refer to them from State and Op.
// Pass a freshly constructed model to check().
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "lincheck/history.h"

namespace lincheck {

// What a definitely failed (:fail) operation means.
enum class Semantics : std::uint8_t {
  // Maelstrom / Knossos: a :fail op did not happen; it is removed before checking. A read
  // that returned nil matches any state (Knossos' cas-register quirk).
  Knossos,
  // Porcupine / Jepsen-etcd: a :fail cas ran and its compare failed (the register did not
  // hold `from`); other :fail ops did not happen. A read of nil observed an absent register.
  Porcupine,
};

std::string_view to_string(Semantics s);

// Result of translating one Operation for a model.
template <class Op>
struct Prepared {
  enum class Kind : std::uint8_t {
    Use,    // check this op
    Skip,   // the op constrains nothing (a read with unknown result, a removed :fail op)
    Error,  // the op does not fit the model (unknown f, malformed input); message in error
  };
  Kind kind = Kind::Skip;
  Op op{};
  std::string error;

  static Prepared use(Op o) { return {Kind::Use, std::move(o), {}}; }
  static Prepared skip() { return {Kind::Skip, Op{}, {}}; }
  static Prepared fail(std::string message) { return {Kind::Error, Op{}, std::move(message)}; }
};

template <class M>
concept Model =
    std::copy_constructible<M> && std::copyable<typename M::State> &&
    std::equality_comparable<typename M::State> && std::equality_comparable<typename M::Op> &&
    std::default_initializable<typename M::Op> &&
    requires(M& m, const M& cm, const Operation& o, const typename M::State& s,
             const typename M::Op& op) {
      { m.init() } -> std::same_as<typename M::State>;
      { m.prepare(o) } -> std::same_as<Prepared<typename M::Op>>;
      { m.step(s, op) } -> std::same_as<std::optional<typename M::State>>;
      { cm.hash(s) } -> std::convertible_to<std::uint64_t>;
      { cm.describe_state(s) } -> std::convertible_to<std::string>;
    };

// Whether M declares read-only ops (see above); models without read_only() get no shortcut.
template <class M>
bool is_read_only(const M& model, const typename M::Op& op) {
  if constexpr (requires { { model.read_only(op) } -> std::convertible_to<bool>; }) {
    return model.read_only(op);
  } else {
    return false;
  }
}

// Whether M declares resets() (see above), and whether an op is a reset.
template <class M>
constexpr bool has_resets = requires(const M& m, const typename M::Op& op) {
  { m.resets(op) } -> std::convertible_to<bool>;
};
template <class M>
bool is_reset(const M& model, const typename M::Op& op) {
  if constexpr (has_resets<M>) {
    return model.resets(op);
  } else {
    return false;
  }
}

// Whether M declares the monotone-state hooks (see above).
template <class M>
constexpr bool has_reachability = has_resets<M> && requires(const M& m, const typename M::State& s, const typename M::Op& op) {
  { m.may_reach(s, op) } -> std::convertible_to<bool>;
};

// Whether M declares dead() (see above).
template <class M>
constexpr bool has_dead_state = has_reachability<M> && requires(const M& m) {
  { m.dead() } -> std::same_as<typename M::State>;
};

}  // namespace lincheck
