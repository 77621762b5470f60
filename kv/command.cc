#include "kv/command.h"

namespace kv {

std::string encode_command(const Command& c) {
  json j = {{"o", c.origin.value()}, {"s", c.seq}, {"k", c.op.key}};
  if (c.op.kind == Operation::Kind::kWrite) {
    j["w"] = c.op.value;
  } else {
    j["f"] = c.op.from;
    j["t"] = c.op.to;
  }
  return j.dump();
}

std::optional<Command> decode_command(std::string_view bytes) {
  json j = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("o") || !j.contains("s") || !j.contains("k")) {
    return std::nullopt;
  }
  auto is_count = [](const json& v) {
    return v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0);
  };
  if (!is_count(j["o"]) || !is_count(j["s"])) return std::nullopt;
  Command c;
  c.origin = raft::NodeId{j["o"].get<std::uint64_t>()};
  c.seq = j["s"].get<std::uint64_t>();
  c.op.key = j["k"];
  if (j.contains("w")) {
    c.op.kind = Operation::Kind::kWrite;
    c.op.value = j["w"];
  } else if (j.contains("f") && j.contains("t")) {
    c.op.kind = Operation::Kind::kCas;
    c.op.from = j["f"];
    c.op.to = j["t"];
  } else {
    return std::nullopt;
  }
  return c;
}

}  // namespace kv
