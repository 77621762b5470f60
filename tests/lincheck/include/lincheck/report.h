// Rendering check results: a terminal report (per-key verdicts, and for a violation the ops
// around the point where no linearization exists) and a JSON document for machines.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "lincheck/check.h"
#include "lincheck/history.h"

namespace lincheck {

struct ReportOptions {
  std::size_t prefix_tail = 8;   // how many of the last linearized ops to show
  std::size_t concurrent = 12;   // how many concurrent, unplaced ops to show
  bool list_valid_keys = false;  // also list every linearizable key (else only a count)
};

std::string render_text(const History& h, const CheckResult& r, const ReportOptions& o = {});
nlohmann::json render_json(const History& h, const CheckResult& r, const ReportOptions& o = {});

}  // namespace lincheck
