// Maelstrom error codes and the exception a handler throws to answer with one.
//
// Maelstrom's error body is {"type":"error","in_reply_to":N,"code":C,"text":"..."}. The code
// tells the client whether the operation *definitely did not happen* ("definite") or may
// still happen ("indefinite"). That distinction is what linearizability checking relies on:
// a definite error for an operation that later takes effect makes the history invalid. So
// only answer a definite code when you are sure; when in doubt, let the request time out.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace maelstrom {

// The codes Maelstrom defines (all below 1000). Applications may use codes >= 1000, which
// Maelstrom treats as indefinite.
enum class ErrorCode : int {
  timeout = 0,                   // indefinite
  node_not_found = 1,            // definite
  not_supported = 10,            // definite: unknown message type
  temporarily_unavailable = 11,  // definite: e.g. no known leader
  malformed_request = 12,        // definite: missing or mistyped field
  crash = 13,                    // indefinite: the handler failed midway
  abort = 14,                    // definite
  key_does_not_exist = 20,       // definite
  key_already_exists = 21,       // definite
  precondition_failed = 22,      // definite: e.g. cas `from` mismatch
  txn_conflict = 30,             // definite
};

// True for the codes that promise "the operation did not and will not happen".
// Unknown codes (including every code >= 1000) are indefinite, as in Maelstrom.
[[nodiscard]] bool is_definite(int code) noexcept;

// Maelstrom's name for a code ("temporarily-unavailable"), or "unknown".
[[nodiscard]] std::string_view error_name(int code) noexcept;

// Throw this from a handler to answer the request with an error reply. The event loop
// catches it and sends {"type":"error","code":code(),"text":what()} in reply to the request
// (only if the request carried a msg_id; a message without one expects no answer).
//
// Throw it *before* replying and before changing any state: a definite code promises the
// client that nothing happened.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& text)
      : std::runtime_error(text), code_(static_cast<int>(code)) {}
  // For application-defined codes (>= 1000).
  Error(int code, const std::string& text) : std::runtime_error(text), code_(code) {}

  [[nodiscard]] int code() const noexcept { return code_; }

  // Error 12 naming the offending field; thrown by Message::get and friends.
  static Error malformed(std::string_view field, std::string_view problem);
  // Error 10 for a message type this node has no handler for.
  static Error not_supported(std::string_view type);

 private:
  int code_;
};

}  // namespace maelstrom
