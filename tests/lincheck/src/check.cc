#include "lincheck/check.h"

#include "lincheck/cas_register.h"
#include "lincheck/string_kv.h"

namespace lincheck {

std::string_view to_string(ModelKind k) {
  switch (k) {
    case ModelKind::Auto: return "auto";
    case ModelKind::CasRegister: return "cas-register";
    case ModelKind::StringKv: return "string-kv";
  }
  return "?";
}

ModelKind infer_model(const History& history) {
  for (const Operation& op : history.ops) {
    if (op.f == "get" || op.f == "put" || op.f == "append") return ModelKind::StringKv;
  }
  return ModelKind::CasRegister;
}

Result<CheckResult> check(const History& history, const ModelSpec& spec, const CheckOptions& options) {
  const ModelKind kind = spec.kind == ModelKind::Auto ? infer_model(history) : spec.kind;
  if (kind == ModelKind::StringKv) return check(history, StringKvModel(spec.semantics), options);
  return check(history, CasRegisterModel(spec.semantics), options);
}

Result<CheckResult> check_maelstrom_lin_kv(const History& history, const CheckOptions& options) {
  return check(history, CasRegisterModel(Semantics::Knossos), options);
}

}  // namespace lincheck
