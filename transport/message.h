// One Maelstrom message: {"src": "...", "dest": "...", "body": {"type": "...", ...}}.
//
// A Message is a plain value: handlers receive it by const reference and may copy it to
// answer later (e.g. once a Raft entry commits). The body is kept as JSON so that
// applications define their own body types (client requests, "raft_append", ...) without
// touching the transport.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "transport/fields.h"

namespace maelstrom {

using json = nlohmann::json;

struct Message {
  std::string src;   // sender: a node ("n1"), a client ("c3") or a service ("lin-kv")
  std::string dest;  // receiver: normally this node
  json body;         // always an object with a string "type" once parsed

  // body.type; empty if the body has none (only possible for hand-built messages).
  [[nodiscard]] const std::string& type() const;
  // body.msg_id: present on requests that expect a reply.
  [[nodiscard]] std::optional<std::int64_t> msg_id() const;
  // body.in_reply_to: present on replies.
  [[nodiscard]] std::optional<std::int64_t> in_reply_to() const;
  // True if src names a Maelstrom client ("c" followed by anything).
  [[nodiscard]] bool from_client() const { return !src.empty() && src.front() == 'c'; }

  // Typed access to body fields for handlers; see fields.h. Missing or mistyped fields
  // throw maelstrom::Error 12 naming the field, which the event loop sends as the reply.
  template <class T>
  [[nodiscard]] T get(std::string_view field) const {
    return get_field<T>(body, field);
  }
  template <class T>
  [[nodiscard]] std::optional<T> get_optional(std::string_view field) const {
    return get_optional_field<T>(body, field);
  }
  // The raw JSON of a required field (any type, e.g. an opaque key); throws 12 if absent.
  [[nodiscard]] const json& at(std::string_view field) const;
  [[nodiscard]] bool has(std::string_view field) const;
};

// Deepest nesting of arrays and objects accepted in an input line (the envelope and the
// body count: {"body":{"key":[1]}} is 3 deep). Values this deep are never legitimate
// Maelstrom traffic, and code that walks JSON recursively (copying, dumping, comparing)
// would overflow the stack on the 100,000-deep lines a buggy client can send.
inline constexpr std::size_t kDefaultMaxJsonDepth = 100;

// Why an input line was rejected; it is logged and skipped. `answerable` is set only when
// the line had a usable envelope but a body nested too deep: the sender gets error 12.
// (Without a well-formed envelope there is nobody to answer.)
struct ParseFailure {
  std::string reason;
  std::optional<Message> answerable;
};

// Arrays and objects nested deeper than `max_depth` anywhere in `text` (strings skipped)?
// One linear pass, no recursion, no allocation: safe on any input.
[[nodiscard]] bool json_nesting_exceeds(std::string_view text, std::size_t max_depth);

// Parses one input line (without its '\n'). Accepts exactly what Maelstrom sends:
// a JSON object with string src and dest, an object body with a string type, and optional
// integer msg_id / in_reply_to in the body. Other top-level keys, such as the integer "id"
// Maelstrom adds to every delivered message, are ignored.
// Lines nested deeper than `max_depth` are refused (see kDefaultMaxJsonDepth).
[[nodiscard]] std::variant<Message, ParseFailure> parse_message(
    std::string_view line, std::size_t max_depth = kDefaultMaxJsonDepth);

// The output line for a message, without the trailing '\n'. Never throws on content:
// invalid UTF-8 in strings is replaced rather than failing mid-output.
[[nodiscard]] std::string serialize_message(std::string_view src, std::string_view dest,
                                            const json& body);

}  // namespace maelstrom
