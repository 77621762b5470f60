#include "raftsim/history.h"

#include "lincheck/jsonl.hpp"

namespace raftsim {

namespace {

using kv::ErrorCode;
using Kind = kv::Operation::Kind;

const char* op_name(Kind k) {
  switch (k) {
    case Kind::kRead: return "read";
    case Kind::kWrite: return "write";
    case Kind::kCas: return "cas";
    case Kind::kDelete: return "delete";  // raft-kv serve only; the simulator never issues it
  }
  return "?";
}

// The simulator's workload only uses small integer keys and values.
lincheck::Value value_of(const kv::json& j) {
  if (j.is_number_integer()) return lincheck::Value::integer(j.get<std::int64_t>());
  if (j.is_null()) return lincheck::Value::nil();
  return lincheck::Value::string(j.dump());
}

bool definite_code(ErrorCode c) {
  return c == ErrorCode::kKeyDoesNotExist || c == ErrorCode::kPreconditionFailed;
}

}  // namespace

bool ClientOp::completed() const {
  return result && (result->ok || definite_code(result->code));
}

std::string describe(const ClientOp& op) {
  std::string out = "p" + std::to_string(op.process) + " n" + std::to_string(op.node) + " " +
                    op_name(op.op.kind) + " k" + op.op.key.dump();
  if (op.op.kind == Kind::kWrite) out += " " + op.op.value.dump();
  if (op.op.kind == Kind::kCas) out += " " + op.op.from.dump() + "->" + op.op.to.dump();
  if (!op.result) return out + " : timeout";
  if (op.result->ok) {
    return out + " : ok" + (op.op.kind == Kind::kRead ? " " + op.result->value.dump() : "");
  }
  return out + " : fail " + std::to_string(static_cast<int>(op.result->code)) + " (" +
         op.result->text + ")";
}

lincheck::History to_lincheck(const std::vector<ClientOp>& ops) {
  lincheck::History h;
  h.source = "<simulation>";
  for (const ClientOp& c : ops) {
    lincheck::Operation o;
    o.process = c.process;
    o.f = op_name(c.op.kind);
    o.key = c.op.key.dump();
    o.call = c.call;
    if (c.op.kind == Kind::kWrite) o.input = value_of(c.op.value);
    if (c.op.kind == Kind::kCas) {
      o.input = lincheck::Value::list({value_of(c.op.from), value_of(c.op.to)});
    }
    const bool read_missing = c.op.kind == Kind::kRead && c.result && !c.result->ok &&
                              c.result->code == ErrorCode::kKeyDoesNotExist;
    if (c.ok() || read_missing) {
      o.outcome = lincheck::Outcome::Ok;
      o.ret = c.ret;
      if (c.op.kind == Kind::kRead) o.output = read_missing ? lincheck::Value::nil() : value_of(c.result->value);
    } else if (c.result && (definite_code(c.result->code) ||
                            c.result->code == ErrorCode::kTemporarilyUnavailable)) {
      // Never proposed: for a cas this must not read as an observed compare failure.
      if (c.op.kind == Kind::kCas && c.result->code == ErrorCode::kTemporarilyUnavailable) continue;
      o.outcome = lincheck::Outcome::Fail;
      o.ret = c.ret;
      o.error = std::to_string(static_cast<int>(c.result->code)) + " " + c.result->text;
    } else {
      o.outcome = lincheck::Outcome::Info;
      o.ret = lincheck::kNever;
      o.error = c.result ? std::to_string(static_cast<int>(c.result->code)) + " " + c.result->text
                         : "client timeout";
    }
    h.ops.push_back(std::move(o));
  }
  return h;
}

void write_jsonl(const std::vector<ClientOp>& ops, std::ostream& out) {
  lincheck::write_jsonl(to_lincheck(ops), out);
}

}  // namespace raftsim
