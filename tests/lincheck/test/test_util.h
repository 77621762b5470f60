// Helpers for building small histories in tests.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "lincheck/check.h"
#include "lincheck/history.h"

namespace lincheck::testing {

inline Value V(std::int64_t i) { return Value::integer(i); }
inline Value S(std::string s) { return Value::string(std::move(s)); }
inline Value L(Value a, Value b) { return Value::list({std::move(a), std::move(b)}); }

inline Operation make_op(std::int64_t process, std::string f, Value input, Value output, Outcome outcome,
                         std::int64_t call, std::int64_t ret, std::string key = "") {
  Operation o;
  o.process = process;
  o.f = std::move(f);
  o.key = std::move(key);
  o.input = std::move(input);
  o.output = std::move(output);
  o.outcome = outcome;
  o.call = call;
  o.ret = outcome == Outcome::Info ? kNever : ret;
  return o;
}

// Register ops. call/ret are times; an info op never returns.
inline Operation w(std::int64_t p, std::int64_t v, std::int64_t call, std::int64_t ret, Outcome o = Outcome::Ok) {
  return make_op(p, "write", V(v), Value::nil(), o, call, ret);
}
inline Operation r(std::int64_t p, std::int64_t v, std::int64_t call, std::int64_t ret) {
  return make_op(p, "read", Value::nil(), V(v), Outcome::Ok, call, ret);
}
inline Operation cas(std::int64_t p, std::int64_t from, std::int64_t to, std::int64_t call, std::int64_t ret,
                     Outcome o = Outcome::Ok) {
  return make_op(p, "cas", L(V(from), V(to)), Value::nil(), o, call, ret);
}

inline History history(std::initializer_list<Operation> ops) {
  History h;
  h.source = "<test>";
  h.ops = ops;
  return h;
}

inline Verdict verdict_of(const History& h, ModelSpec spec = {}, CheckOptions o = {}) {
  Result<CheckResult> r = check(h, spec, o);
  if (!r) return Verdict::Unknown;
  return r->verdict;
}

}  // namespace lincheck::testing
