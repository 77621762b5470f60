// Maelstrom's error registry (resources/errors.edn): the name of each code and whether it is
// definite, i.e. the operation surely did not happen. Unknown codes are indefinite.
#pragma once

#include <cstdint>
#include <string>

namespace workbench {

struct ErrorCode {
  std::string name;  // keyword name, e.g. temporarily-unavailable; "unknown" for others
  bool definite = false;
};

inline ErrorCode lookup_error(std::int64_t code) {
  switch (code) {
    case 0: return {"timeout", false};
    case 1: return {"node-not-found", true};
    case 10: return {"not-supported", true};
    case 11: return {"temporarily-unavailable", true};
    case 12: return {"malformed-request", true};
    case 13: return {"crash", false};
    case 14: return {"abort", true};
    case 20: return {"key-does-not-exist", true};
    case 21: return {"key-already-exists", true};
    case 22: return {"precondition-failed", true};
    case 30: return {"txn-conflict", true};
    default: return {"unknown", false};
  }
}

// Codes that answer the question asked: the node looked at the data and said no (key
// missing, key exists, cas mismatch, conflict). For availability they count like :ok --
// the service was up. The other definite codes (not-found, unavailable, ...) mean the
// request was not served, which is what availability is about.
inline bool is_data_answer(std::int64_t code) { return code == 20 || code == 21 || code == 22 || code == 30; }

}  // namespace workbench
