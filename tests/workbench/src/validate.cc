#include "tests/workbench/src/validate.h"

#include <map>
#include <set>
#include <vector>

namespace workbench {
namespace {

using nlohmann::json;

std::string short_json(const json& j) {
  std::string s = j.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

// A closed schema: keys that must be present and keys that may be present.
struct Schema {
  std::vector<std::string> required;
  std::vector<std::string> optional;
  bool closed = true;
};

const std::map<std::string, Schema>& reply_schemas(WorkloadKind w) {
  static const std::map<std::string, Schema> lin_kv = {
      {"read_ok", {{"type", "value", "in_reply_to"}, {"msg_id"}}},
      {"write_ok", {{"type", "in_reply_to"}, {"msg_id"}}},
      {"cas_ok", {{"type", "in_reply_to"}, {"msg_id"}}},
      {"error", {{"type", "code", "in_reply_to"}, {"text", "msg_id"}}},
      // Maelstrom sends init through a plain RPC without a schema: extra keys are fine.
      {"init_ok", {{"type", "in_reply_to"}, {}, false}},
  };
  static const std::map<std::string, Schema> echo = {
      {"echo_ok", {{"type", "echo", "in_reply_to"}, {"msg_id"}}},
      {"error", {{"type", "code", "in_reply_to"}, {"text", "msg_id"}}},
      {"init_ok", {{"type", "in_reply_to"}, {}, false}},
  };
  return w == WorkloadKind::LinKv ? lin_kv : echo;
}

std::string check_field_types(const json& body) {
  for (const char* k : {"in_reply_to", "msg_id", "code"}) {
    if (body.contains(k) && !body[k].is_number_integer())
      return std::string("\"") + k + "\" must be an integer, got " + short_json(body[k]);
  }
  if (body.contains("text") && !body["text"].is_string())
    return "\"text\" must be a string, got " + short_json(body["text"]);
  return "";
}

}  // namespace

LineCheck check_line(std::string_view line, const std::function<bool(const std::string&)>& known_name) {
  LineCheck out;
  json j = json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    out.error = "not valid JSON (stdout is for protocol messages only; logs go to stderr)";
    return out;
  }
  if (!j.is_object()) {
    out.error = "a message must be a JSON object, got " + short_json(j);
    return out;
  }
  static const std::set<std::string> allowed = {"src", "dest", "body", "id"};
  for (const auto& [k, v] : j.items()) {
    if (!allowed.count(k)) {
      out.error = "unexpected top-level key \"" + k + "\" (a message has only src, dest, body and id)";
      return out;
    }
  }
  for (const char* k : {"src", "dest"}) {
    if (!j.contains(k) || !j[k].is_string()) {
      out.error = std::string("missing or non-string \"") + k + "\"";
      return out;
    }
  }
  if (j.contains("id") && !j["id"].is_number_integer()) {
    out.error = "\"id\" must be an integer, got " + short_json(j["id"]);
    return out;
  }
  if (!j.contains("body") || !j["body"].is_object()) {
    out.error = "missing \"body\" object";
    return out;
  }
  if (!j["body"].contains("type") || !j["body"]["type"].is_string()) {
    out.error = "the body has no string \"type\"";
    return out;
  }
  Envelope e{j["src"].get<std::string>(), j["dest"].get<std::string>(), std::move(j["body"])};
  if (!known_name(e.src)) {
    out.error = "unknown src \"" + e.src + "\"";
    return out;
  }
  if (!known_name(e.dest)) {
    out.error = "unknown dest \"" + e.dest + "\" (not a node, an open client or a service)";
    return out;
  }
  out.message = std::move(e);
  return out;
}

std::string check_client_reply(WorkloadKind workload, const json& body) {
  const std::string type = body.value("type", "");
  const auto& schemas = reply_schemas(workload);
  auto it = schemas.find(type);
  if (it == schemas.end()) return "a client cannot receive a message of type \"" + type + "\"";
  const Schema& s = it->second;
  for (const auto& k : s.required) {
    if (!body.contains(k)) return type + " is missing \"" + k + "\"";
  }
  if (s.closed) {
    for (const auto& [k, v] : body.items()) {
      bool listed = false;
      for (const auto& a : s.required) listed = listed || a == k;
      for (const auto& a : s.optional) listed = listed || a == k;
      if (!listed) return type + " has an unexpected key \"" + k + "\" (its schema is closed)";
    }
  }
  return check_field_types(body);
}

}  // namespace workbench
