#include "transport/error.h"

namespace maelstrom {

bool is_definite(int code) noexcept {
  switch (static_cast<ErrorCode>(code)) {
    case ErrorCode::node_not_found:
    case ErrorCode::not_supported:
    case ErrorCode::temporarily_unavailable:
    case ErrorCode::malformed_request:
    case ErrorCode::abort:
    case ErrorCode::key_does_not_exist:
    case ErrorCode::key_already_exists:
    case ErrorCode::precondition_failed:
    case ErrorCode::txn_conflict:
      return true;
    case ErrorCode::timeout:
    case ErrorCode::crash:
      return false;
  }
  return false;  // unknown codes are indefinite
}

std::string_view error_name(int code) noexcept {
  switch (static_cast<ErrorCode>(code)) {
    case ErrorCode::timeout: return "timeout";
    case ErrorCode::node_not_found: return "node-not-found";
    case ErrorCode::not_supported: return "not-supported";
    case ErrorCode::temporarily_unavailable: return "temporarily-unavailable";
    case ErrorCode::malformed_request: return "malformed-request";
    case ErrorCode::crash: return "crash";
    case ErrorCode::abort: return "abort";
    case ErrorCode::key_does_not_exist: return "key-does-not-exist";
    case ErrorCode::key_already_exists: return "key-already-exists";
    case ErrorCode::precondition_failed: return "precondition-failed";
    case ErrorCode::txn_conflict: return "txn-conflict";
  }
  return "unknown";
}

Error Error::malformed(std::string_view field, std::string_view problem) {
  std::string text = "malformed request: field '";
  text.append(field).append("' ").append(problem);
  return Error(ErrorCode::malformed_request, text);
}

Error Error::not_supported(std::string_view type) {
  std::string text = "unsupported message type '";
  text.append(type).append("'");
  return Error(ErrorCode::not_supported, text);
}

}  // namespace maelstrom
