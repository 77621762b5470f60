// What a node may print on stdout, as Maelstrom's reader and its RPC schemas accept it.
// Every check returns a reason in plain words, which the report shows next to the line.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tests/workbench/src/options.h"

namespace workbench {

struct Envelope {
  std::string src;
  std::string dest;
  nlohmann::json body;  // an object with a string "type"
};

struct LineCheck {
  std::optional<Envelope> message;  // set when the line is a valid message
  std::string error;                // otherwise, why not
};

// One stdout line: a JSON object whose keys are only src, dest, body and (integer) id, with
// string src and dest naming known endpoints and a body object carrying a string type.
LineCheck check_line(std::string_view line, const std::function<bool(const std::string&)>& known_name);

// A body a node sends to a client: one of the workload's reply types, with exactly the keys
// its closed schema allows. Returns "" when acceptable.
std::string check_client_reply(WorkloadKind workload, const nlohmann::json& body);

}  // namespace workbench
