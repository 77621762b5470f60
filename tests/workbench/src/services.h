// Maelstrom's built-in services, which nodes may call like any peer: lin-kv, seq-kv, lww-kv
// (key-value stores with read / write / cas, cas optionally create_if_not_exists) and
// lin-tso (a counter answering ts with ts_ok). All are served here by one linearizable store
// each: stronger than Maelstrom's sequential and last-write-wins stores promise, which every
// correct client of those must accept anyway. Like Maelstrom, an unknown request gets no reply.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace workbench {

class Services {
 public:
  static const std::vector<std::string>& names();

  // The reply body (with in_reply_to) to a request body, or nullopt for no reply.
  std::optional<nlohmann::json> handle(const std::string& service, const nlohmann::json& request);

 private:
  std::optional<nlohmann::json> handle_kv(std::map<std::string, nlohmann::json>& kv, const nlohmann::json& req);

  std::map<std::string, std::map<std::string, nlohmann::json>> stores_;  // service -> key dump -> value
  std::int64_t next_ts_ = 0;
};

}  // namespace workbench
