#include "raftsim/kv_workload.h"

#include "kv/command.h"
#include "kv/state_machine.h"
#include "lincheck/check.h"

namespace raftsim {

namespace {

using Kind = kv::Operation::Kind;
using kv::ErrorCode;

const char* op_name(Kind k) {
  switch (k) {
    case Kind::kRead: return "read";
    case Kind::kWrite: return "write";
    case Kind::kCas: return "cas";
    case Kind::kDelete: return "delete";  // raft-kv serve only; the workload never issues it
  }
  return "?";
}

// The workload only uses small integer keys and values.
lincheck::Value value_of(const kv::json& j) {
  if (j.is_number_integer()) return lincheck::Value::integer(j.get<std::int64_t>());
  if (j.is_null()) return lincheck::Value::nil();
  return lincheck::Value::string(j.dump());
}

bool observed_failure(ErrorCode c) {
  return c == ErrorCode::kKeyDoesNotExist || c == ErrorCode::kPreconditionFailed;
}

class KvWorkload final : public Workload {
 public:
  explicit KvWorkload(const WorkloadConfig& config) : config_(config) {}

  [[nodiscard]] std::unique_ptr<raft::StateMachine> make_state_machine() const override {
    return std::make_unique<kv::StateMachine>();
  }

  // Few keys and values, so that reads and cas meet each other's writes.
  Request next(Rng& rng) override {
    const WorkloadConfig& w = config_;
    kv::Operation op;
    const std::int64_t dice = rng.uniform(0, 99);
    op.kind = dice < w.read_percent                     ? Kind::kRead
              : dice < w.read_percent + w.write_percent ? Kind::kWrite
                                                        : Kind::kCas;
    op.key = rng.uniform(0, w.keys - 1);
    if (op.kind == Kind::kWrite) op.value = rng.uniform(0, w.values - 1);
    if (op.kind == Kind::kCas) {
      op.from = rng.uniform(0, w.values - 1);
      op.to = rng.uniform(0, w.values - 1);
    }
    std::string bytes = kv::encode_operation(op);
    return op.kind == Kind::kRead ? Request::query(std::move(bytes))
                                  : Request::command(std::move(bytes));
  }

  [[nodiscard]] lincheck::Operation to_history(const Request& request,
                                               const std::string* result) const override {
    lincheck::Operation o;
    const std::optional<kv::Operation> op = kv::decode_operation(request.bytes);
    if (!op) {
      o.f = "undecodable";  // the model refuses it, with this name
      return o;
    }
    o.f = op_name(op->kind);
    o.key = op->key.dump();
    if (op->kind == Kind::kWrite) o.input = value_of(op->value);
    if (op->kind == Kind::kCas) o.input = lincheck::Value::list({value_of(op->from), value_of(op->to)});
    if (result == nullptr) return o;
    const std::optional<kv::Result> r = kv::decode_result(*result);
    if (!r) {
      o.f = "undecodable result";
      return o;
    }
    if (r->ok) {
      if (op->kind == Kind::kRead) o.output = value_of(r->value);
    } else if (op->kind == Kind::kRead && r->code == ErrorCode::kKeyDoesNotExist) {
      o.output = lincheck::Value::nil();  // an ok read of an absent key
    } else if (observed_failure(r->code)) {
      o.outcome = lincheck::Outcome::Fail;  // the compare failed: observed, definite
      o.error = std::to_string(static_cast<int>(r->code)) + " " + r->text;
    } else {
      o.f = "unexpected error " + std::to_string(static_cast<int>(r->code));
    }
    return o;
  }

  /// kv keeps a running fingerprint: far cheaper than hashing a snapshot per entry.
  [[nodiscard]] std::uint64_t fingerprint(const raft::StateMachine& machine) const override {
    return static_cast<const kv::StateMachine&>(machine).fingerprint();
  }

  [[nodiscard]] lincheck::Result<lincheck::CheckResult> check(
      const lincheck::History& history, const lincheck::CheckOptions& options) const override {
    const lincheck::ModelSpec spec{lincheck::ModelKind::CasRegister, lincheck::Semantics::Porcupine};
    return lincheck::check(history, spec, options);
  }

 private:
  WorkloadConfig config_;
};

}  // namespace

std::unique_ptr<Workload> kv_workload(const WorkloadConfig& config) {
  return std::make_unique<KvWorkload>(config);
}

}  // namespace raftsim
