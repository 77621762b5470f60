#include "transport/fields.h"

namespace maelstrom::detail {

std::string_view json_type_name(const json& value) noexcept {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "object";
    case json::value_t::array: return "array";
    case json::value_t::string: return "string";
    case json::value_t::boolean: return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "integer";
    case json::value_t::number_float: return "float";
    case json::value_t::binary: return "binary";
    case json::value_t::discarded: return "discarded";
  }
  return "unknown";
}

void throw_wrong_type(std::string_view field, std::string_view expected, const json& value) {
  std::string problem = "must be ";
  problem.append(expected).append(", got ").append(json_type_name(value));
  throw Error::malformed(field, problem);
}

}  // namespace maelstrom::detail
