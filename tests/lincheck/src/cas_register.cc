#include "lincheck/cas_register.h"

namespace lincheck {

CasRegisterModel::State CasRegisterModel::intern(const Value& v) {
  auto [it, inserted] = ids_.try_emplace(v, static_cast<State>(values_.size()));
  if (inserted) values_.push_back(v);
  return it->second;
}

Prepared<CasRegisterModel::Op> CasRegisterModel::prepare(const Operation& op) {
  using K = Op::Kind;
  const bool knossos = semantics_ == Semantics::Knossos;
  if (op.f == "read") {
    // A read with no definite result constrains nothing; Knossos lets a nil read match anything.
    if (op.outcome != Outcome::Ok) return Prepared<Op>::skip();
    if (op.output.is_nil()) {
      return knossos ? Prepared<Op>::skip() : Prepared<Op>::use({K::Read, kAbsent, kAbsent});
    }
    return Prepared<Op>::use({K::Read, intern(op.output), kAbsent});
  }
  if (op.f == "write") {
    if (op.outcome == Outcome::Fail) return Prepared<Op>::skip();
    if (op.input.is_nil()) return Prepared<Op>::fail("write needs a value, got nil");
    return Prepared<Op>::use({K::Write, intern(op.input), kAbsent});
  }
  if (op.f == "cas") {
    const Value& in = op.input;
    if (!in.is_list() || in.items().size() != 2) {
      return Prepared<Op>::fail("cas input must be [from to], got " + in.to_edn());
    }
    const State from = intern(in.items()[0]);
    if (op.outcome == Outcome::Fail) {
      if (knossos) return Prepared<Op>::skip();
      return Prepared<Op>::use({K::FailedCas, from, kAbsent});
    }
    return Prepared<Op>::use({K::Cas, from, intern(in.items()[1])});
  }
  return Prepared<Op>::fail("the cas-register model knows read, write and cas, not '" + op.f + "'");
}

std::string CasRegisterModel::describe_state(State s) const {
  if (s == kAbsent) return "absent";
  return s < values_.size() ? values_[s].to_edn() : "?";
}

}  // namespace lincheck
