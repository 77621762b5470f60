// Command-line options of the lincheck CLI.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "lincheck/check.h"
#include "lincheck/parse.h"
#include "lincheck/report.h"

namespace lincheck::cli {

struct Options {
  std::vector<std::string> files;
  Format format = Format::Auto;
  ModelKind model = ModelKind::Auto;
  std::optional<Semantics> semantics;  // default: per format (default_semantics)
  CheckOptions check;
  ReportOptions report;
  bool json = false;
  std::string to_jsonl;  // if set: also write the (single) parsed history there
  bool help = false;
};

extern const char* const kUsage;

// Parses argv; on a usage error returns the message.
std::variant<Options, std::string> parse_options(int argc, char** argv);

}  // namespace lincheck::cli
