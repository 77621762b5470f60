#include "tests/workbench/src/history.h"

#include <cstdio>

namespace workbench {

std::string to_string(OpType t) {
  switch (t) {
    case OpType::Invoke: return "invoke";
    case OpType::Ok: return "ok";
    case OpType::Fail: return "fail";
    case OpType::Info: return "info";
  }
  return "?";
}

std::int64_t History::add(Op op) {
  op.index = static_cast<std::int64_t>(ops_.size());
  ops_.push_back(std::move(op));
  return ops_.back().index;
}

std::string edn_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string json_to_edn(const nlohmann::json& v, bool keyword_keys) {
  using nlohmann::json;
  switch (v.type()) {
    case json::value_t::null: return "nil";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::string: return edn_string(v.get<std::string>());
    case json::value_t::array: {
      std::string out = "[";
      for (std::size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + json_to_edn(v[i]);
      return out + "]";
    }
    case json::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, x] : v.items()) {
        out += first ? "" : ", ";
        first = false;
        out += (keyword_keys ? ":" + k : edn_string(k)) + " " + json_to_edn(x);
      }
      return out + "}";
    }
    default: return v.dump();  // numbers
  }
}

std::string op_to_edn(const Op& op) {
  std::string out = "{:index " + std::to_string(op.index) + ", :time " + std::to_string(op.time) + ", :type :" +
                    to_string(op.type) + ", :process " +
                    (op.process ? std::to_string(*op.process) : std::string(":nemesis")) + ", :f :" + op.f +
                    ", :value " + (op.value_edn.empty() ? json_to_edn(op.value) : op.value_edn);
  if (!op.error_edn.empty()) out += ", :error " + op.error_edn;
  return out + "}";
}

void write_history_edn(std::ostream& out, const History& h) {
  for (const auto& op : h.ops()) out << op_to_edn(op) << '\n';
}

}  // namespace workbench
