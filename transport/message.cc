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
    // Nobody can be answered at "" (found by fuzzing: the error reply to such a request
    // threw from send() and terminated the node).
    if (it->get_ref<const std::string&>().empty()) return std::string("envelope '") + key + "' is empty";
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

bool json_nesting_exceeds(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

namespace {

Message take_envelope(json& doc) {
  Message msg;
  msg.src = std::move(doc["src"].get_ref<std::string&>());
  msg.dest = std::move(doc["dest"].get_ref<std::string&>());
  msg.body = std::move(doc["body"]);
  return msg;
}

// A line nested too deep: parse it again keeping only the shallow part (nlohmann's parser
// is iterative, so this is safe), to find out whom to tell. Nothing deep is ever built.
ParseFailure too_deep(std::string_view line, std::size_t max_depth) {
  ParseFailure failure{"nested deeper than " + std::to_string(max_depth) + " levels", {}};
  const json::parser_callback_t keep_shallow = [max_depth](int depth, json::parse_event_t event,
                                                           json&) {
    const bool opens = event == json::parse_event_t::object_start ||
                       event == json::parse_event_t::array_start;
    return !opens || static_cast<std::size_t>(depth) < max_depth;
  };
  json doc = json::parse(line, keep_shallow, /*allow_exceptions=*/false);
  if (!doc.is_discarded() && !envelope_problem(doc)) failure.answerable = take_envelope(doc);
  return failure;
}

}  // namespace

std::variant<Message, ParseFailure> parse_message(std::string_view line, std::size_t max_depth) {
  if (json_nesting_exceeds(line, max_depth)) return too_deep(line, max_depth);
  json doc;
  try {
    doc = json::parse(line);
  } catch (const json::exception& e) {
    // parse_error, and also out_of_range for a number beyond a double's range (found by
    // fuzzing: "1e999999" escaped the event loop and terminated the node).
    return ParseFailure{std::string("not valid JSON: ") + e.what(), {}};
  }
  if (auto problem = envelope_problem(doc)) return ParseFailure{std::move(*problem), {}};
  return take_envelope(doc);
}

std::string serialize_message(std::string_view src, std::string_view dest, const json& body) {
  const json envelope = {{"src", src}, {"dest", dest}, {"body", body}};
  return envelope.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace maelstrom
