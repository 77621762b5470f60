#include "tests/workbench/src/services.h"

#include <vector>

namespace workbench {

using nlohmann::json;

const std::vector<std::string>& Services::names() {
  static const std::vector<std::string> n = {"lin-kv", "seq-kv", "lww-kv", "lin-tso"};
  return n;
}

namespace {

json error_body(int code, const std::string& text) { return {{"type", "error"}, {"code", code}, {"text", text}}; }

}  // namespace

std::optional<json> Services::handle_kv(std::map<std::string, json>& kv, const json& req) {
  const std::string type = req.value("type", "");
  // Keys may be any JSON value; their compact dump identifies them.
  const std::string key = req.contains("key") ? req["key"].dump() : "null";
  auto it = kv.find(key);
  if (type == "read") {
    if (it == kv.end()) return error_body(20, "key does not exist");
    return json{{"type", "read_ok"}, {"value", it->second}};
  }
  if (type == "write") {
    kv[key] = req.contains("value") ? req["value"] : json();
    return json{{"type", "write_ok"}};
  }
  if (type == "cas") {
    const json from = req.contains("from") ? req["from"] : json();
    const json to = req.contains("to") ? req["to"] : json();
    if (it == kv.end()) {
      if (req.value("create_if_not_exists", false)) {
        kv[key] = to;
        return json{{"type", "cas_ok"}};
      }
      return error_body(20, "key does not exist");
    }
    if (it->second != from) return error_body(22, "current value " + it->second.dump() + " is not " + from.dump());
    it->second = to;
    return json{{"type", "cas_ok"}};
  }
  return std::nullopt;
}

std::optional<json> Services::handle(const std::string& service, const json& request) {
  std::optional<json> reply;
  if (service == "lin-tso") {
    if (request.value("type", "") == "ts") reply = json{{"type", "ts_ok"}, {"ts", next_ts_++}};
  } else {
    reply = handle_kv(stores_[service], request);
  }
  if (reply) (*reply)["in_reply_to"] = request.contains("msg_id") ? request["msg_id"] : json();
  return reply;
}

}  // namespace workbench
