#include "tests/workbench/src/lin_check.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include <lincheck/check.h>
#include <lincheck/report.h>

namespace workbench {

namespace {

lincheck::Value to_value(const nlohmann::json& j) {
  using nlohmann::json;
  switch (j.type()) {
    case json::value_t::null: return lincheck::Value::nil();
    case json::value_t::boolean: return lincheck::Value::boolean(j.get<bool>());
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return lincheck::Value::integer(j.get<std::int64_t>());
    case json::value_t::number_float: return lincheck::Value::real(j.get<double>());
    case json::value_t::string: return lincheck::Value::string(j.get<std::string>());
    case json::value_t::array: {
      std::vector<lincheck::Value> items;
      for (const auto& x : j) items.push_back(to_value(x));
      return lincheck::Value::list(std::move(items));
    }
    case json::value_t::object: {
      std::vector<lincheck::Value> flat;
      for (const auto& [k, x] : j.items()) {
        flat.push_back(lincheck::Value::string(k));
        flat.push_back(to_value(x));
      }
      return lincheck::Value::map(std::move(flat));
    }
    default: return lincheck::Value::nil();
  }
}

std::string describe(const RegisterOp& op) {
  std::string s = "process " + std::to_string(op.process) + " " + op.f;
  if (op.f != "read") s += " " + op.arg.dump();
  if (op.f == "read" && op.outcome == OpType::Ok) s += " -> " + op.result.dump();
  s += op.outcome == OpType::Ok ? " (ok)" : " (unknown outcome)";
  return s + " [history #" + std::to_string(op.invoke_index) + "]";
}

Validity to_validity(lincheck::Verdict v) {
  switch (v) {
    case lincheck::Verdict::Linearizable: return Validity::Valid;
    case lincheck::Verdict::NotLinearizable: return Validity::Invalid;
    default: return Validity::Unknown;
  }
}

}  // namespace

RegisterCheck check_registers(const std::vector<KeyOps>& keys, double timeout_s) {
  lincheck::History h;
  h.source = "history.edn";
  std::vector<const RegisterOp*> origin;  // lincheck op index -> ours
  for (const auto& k : keys) {
    for (const auto& op : k.ops) {
      lincheck::Operation o;
      o.process = op.process;
      o.f = op.f;
      o.key = k.key;
      o.input = op.f == "read" ? lincheck::Value::nil() : to_value(op.arg);
      o.output = op.f == "read" && op.outcome == OpType::Ok ? to_value(op.result) : lincheck::Value::nil();
      o.outcome = op.outcome == OpType::Ok ? lincheck::Outcome::Ok : lincheck::Outcome::Info;
      o.call = op.call;
      o.ret = op.outcome == OpType::Ok ? op.ret : lincheck::kNever;
      h.ops.push_back(std::move(o));
      origin.push_back(&op);
    }
  }
  lincheck::CheckOptions options;
  options.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(timeout_s * 1000));
  const auto r = lincheck::check(h, lincheck::ModelSpec{lincheck::ModelKind::CasRegister, lincheck::Semantics::Knossos},
                                 options);
  RegisterCheck out;
  std::map<std::string, const lincheck::KeyResult*> by_key;
  if (r) {
    for (const auto& kr : r->keys) by_key[kr.key] = &kr;
    out.text_report = lincheck::render_text(h, *r);
  }
  for (const auto& k : keys) {
    KeyVerdict v;
    v.key = k.key;
    v.op_count = k.ops.size();
    auto it = by_key.find(k.key);
    if (!r) {
      v.explanation = "checker error: " + r.error().to_string();
    } else if (it == by_key.end()) {
      v.valid = k.ops.empty() ? Validity::Valid : Validity::Unknown;
    } else {
      const lincheck::KeyResult& kr = *it->second;
      v.valid = to_validity(kr.verdict);
      v.explanation = kr.unknown_reason;
      if (kr.violation) {
        const auto& viol = *kr.violation;
        std::set<std::int64_t> idx;
        auto add = [&](std::size_t i) {
          idx.insert(origin[i]->invoke_index);
          if (origin[i]->complete_index >= 0) idx.insert(origin[i]->complete_index);
        };
        const std::size_t tail = std::min<std::size_t>(viol.prefix.size(), 8);
        for (std::size_t i = viol.prefix.size() - tail; i < viol.prefix.size(); ++i) add(viol.prefix[i]);
        add(viol.blocked);
        for (std::size_t i : viol.concurrent) add(i);
        v.offending.assign(idx.begin(), idx.end());
        v.explanation = "after the longest linearizable prefix (" + std::to_string(viol.prefix.size()) +
                        " ops) the register holds " + viol.state_after_prefix + ", and " +
                        describe(*origin[viol.blocked]) + " cannot take effect next, whichever of the " +
                        std::to_string(viol.concurrent.size()) + " operations concurrent with it go first";
      }
    }
    out.keys.push_back(std::move(v));
  }
  return out;
}

}  // namespace workbench
