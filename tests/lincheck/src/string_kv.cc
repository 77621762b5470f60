#include "lincheck/string_kv.h"

namespace lincheck {

Prepared<StringKvModel::Op> StringKvModel::prepare(const Operation& op) {
  using K = Op::Kind;
  K kind;
  if (op.f == "get") {
    kind = K::Get;
  } else if (op.f == "put") {
    kind = K::Put;
  } else if (op.f == "append") {
    kind = K::Append;
  } else {
    return Prepared<Op>::fail("the string-kv model knows get, put and append, not '" + op.f + "'");
  }
  // A definite failure did not happen (in both semantics); a get without a result says nothing.
  if (op.outcome == Outcome::Fail) return Prepared<Op>::skip();
  if (kind == K::Get) {
    if (op.outcome != Outcome::Ok) return Prepared<Op>::skip();
    if (op.output.is_nil()) {
      // Knossos-style nil read matches anything; otherwise nil is the initial "".
      return semantics_ == Semantics::Knossos ? Prepared<Op>::skip() : Prepared<Op>::use({K::Get, StringPool::kEmpty, pool_.prefix_table(StringPool::kEmpty)});
    }
    if (!op.output.is_string()) return Prepared<Op>::fail("get must return a string, got " + op.output.to_edn());
    const std::uint32_t node = pool_.node_of(op.output.text());
    return Prepared<Op>::use({K::Get, node, pool_.prefix_table(node)});
  }
  if (!op.input.is_string()) return Prepared<Op>::fail(op.f + " needs a string value, got " + op.input.to_edn());
  if (kind == K::Put) return Prepared<Op>::use({K::Put, pool_.node_of(op.input.text())});
  return Prepared<Op>::use({K::Append, pool_.add_text(op.input.text())});
}

std::string StringKvModel::describe_state(State s) const {
  if (s == kDead) return "(a string no get observes)";
  return Value::string(pool_.str(s)).to_edn(); }

}  // namespace lincheck
