// Our own history format: JSON lines, one operation per line, written by the simulator and
// the workbench (docs/lincheck.md is the reference). Example:
//   {"process":3,"f":"cas","key":"0","input":[1,2],"output":null,"outcome":"ok","call":1200,"ret":1350}
//   {"process":4,"f":"write","key":"0","input":3,"outcome":"info","call":1300,"ret":null,"error":"timeout"}
// Fields: process (integer), f (string), call (integer), outcome ("ok" | "fail" | "info") are
// required; ret (integer ≥ call) is required unless outcome is "info" (then it is ignored);
// key (string or integer; default ""), input and output (any JSON; default null) and error
// (string) are optional; other fields are ignored. Blank lines are skipped.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "lincheck/history.h"
#include "lincheck/result.h"

namespace lincheck {

// One JSON line (without the newline) for `op`. Keywords are written as strings with a
// leading ':' and maps as JSON objects (non-string keys rendered as EDN text).
std::string to_jsonl(const Operation& op);

// Writes every operation of `h`, one line each.
void write_jsonl(const History& h, std::ostream& out);

// Appends operations to a stream as they complete (e.g. from a simulator run). Not thread-safe.
class JsonlWriter {
 public:
  explicit JsonlWriter(std::ostream& out) : out_(out) {}
  void write(const Operation& op) { out_ << to_jsonl(op) << '\n'; }

 private:
  std::ostream& out_;
};

Result<History> parse_jsonl(std::string_view text, const std::string& source);

}  // namespace lincheck
