#include "transport/message.h"

namespace maelstrom {
namespace {

std::optional<std::int64_t> optional_int(const json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

// nullopt if the envelope is acceptable, else the reason it is not.
std::optional<std::string> envelope_problem(const json& doc) {
  if (!doc.is_object()) return "not a JSON object";
  for (const char* key : {"src", "dest"}) {
    const auto it = doc.find(key);
    if (it == doc.end()) return std::string("envelope has no '") + key + "'";
    if (!it->is_string()) return std::string("envelope '") + key + "' is not a string";
  }
  const auto body = doc.find("body");
  if (body == doc.end()) return "envelope has no 'body'";
  if (!body->is_object()) return "'body' is not an object";
  const auto type = body->find("type");
  if (type == body->end()) return "body has no 'type'";
  if (!type->is_string()) return "body 'type' is not a string";
  for (const char* key : {"msg_id", "in_reply_to"}) {
    const auto it = body->find(key);
    if (it != body->end() && !it->is_number_integer()) {
      return std::string("body '") + key + "' is not an integer";
    }
  }
  return std::nullopt;
}

}  // namespace

const std::string& Message::type() const {
  static const std::string empty;
  const auto it = body.find("type");
  if (it == body.end() || !it->is_string()) return empty;
  return it->get_ref<const std::string&>();
}

std::optional<std::int64_t> Message::msg_id() const { return optional_int(body, "msg_id"); }

std::optional<std::int64_t> Message::in_reply_to() const {
  return optional_int(body, "in_reply_to");
}

const json& Message::at(std::string_view field) const {
  const auto it = body.find(field);
  if (it == body.end()) throw Error::malformed(field, "is missing");
  return *it;
}

bool Message::has(std::string_view field) const { return body.contains(field); }

std::variant<Message, ParseFailure> parse_message(std::string_view line) {
  json doc;
  try {
    doc = json::parse(line);
  } catch (const json::parse_error& e) {
    return ParseFailure{std::string("not valid JSON: ") + e.what()};
  }
  if (auto problem = envelope_problem(doc)) return ParseFailure{std::move(*problem)};
  Message msg;
  msg.src = std::move(doc["src"].get_ref<std::string&>());
  msg.dest = std::move(doc["dest"].get_ref<std::string&>());
  msg.body = std::move(doc["body"]);
  return msg;
}

std::string serialize_message(std::string_view src, std::string_view dest, const json& body) {
  const json envelope = {{"src", src}, {"dest", dest}, {"body", body}};
  return envelope.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace maelstrom
