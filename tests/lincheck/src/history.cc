#include "lincheck/history.h"

#include <unordered_map>

#include "lincheck/result.h"

namespace lincheck {

std::string Error::to_string() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": " + message;
  return out;
}

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::Ok: return "ok";
    case Outcome::Fail: return "fail";
    case Outcome::Info: return "info";
  }
  return "?";
}

std::vector<KeyPartition> partition_by_key(const History& h) {
  std::vector<KeyPartition> parts;
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < h.ops.size(); ++i) {
    auto [it, inserted] = index.try_emplace(h.ops[i].key, parts.size());
    if (inserted) parts.push_back({h.ops[i].key, {}});
    parts[it->second].ops.push_back(i);
  }
  return parts;
}

std::string describe(const Operation& op, std::size_t index) {
  std::string out = "#" + std::to_string(index) + " p" + std::to_string(op.process) + " " + op.f;
  if (!op.input.is_nil()) out += " " + op.input.to_edn();
  if (!op.output.is_nil()) out += " -> " + op.output.to_edn();
  out += " :";
  out += to_string(op.outcome);
  if (!op.error.empty()) out += " (" + op.error + ")";
  out += " [t " + std::to_string(op.call) + "..";
  out += op.returned() ? std::to_string(op.ret) : std::string("never");
  out += "]";
  if (op.line > 0) out += " line " + std::to_string(op.line);
  return out;
}

}  // namespace lincheck
