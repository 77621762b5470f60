// lincheck: checks Jepsen / Maelstrom / Porcupine / JSON-lines histories for linearizability.
#include <fstream>
#include <iostream>
#include <variant>

#include "lincheck/check.h"
#include "lincheck/jsonl.h"
#include "lincheck/parse.h"
#include "lincheck/report.h"
#include "options.h"

namespace {

using namespace lincheck;

// Checks one file; prints its report (text mode) or adds it to `json_files`. Returns its verdict.
Verdict run_file(const std::string& path, const cli::Options& o, nlohmann::json& json_files) {
  Result<std::string> text = read_file(path);
  Result<Format> format = !text ? Result<Format>(text.error())
                          : o.format == Format::Auto ? detect_format(*text, path)
                                                     : Result<Format>(o.format);
  Result<History> h = format ? parse_text(*text, *format, path) : Result<History>(format.error());
  Result<CheckResult> r =
      h ? check(*h, ModelSpec{o.model, o.semantics.value_or(default_semantics(*format))}, o.check)
        : Result<CheckResult>(h.error());
  if (!r) {
    if (o.json) json_files.push_back({{"file", path}, {"verdict", "unknown"}, {"valid", false}, {"error", r.error().to_string()}});
    std::cerr << "lincheck: " << r.error().to_string() << "\n";
    return Verdict::Unknown;
  }
  if (!o.to_jsonl.empty()) {
    std::ofstream out(o.to_jsonl);
    write_jsonl(*h, out);
    if (!out) std::cerr << "lincheck: cannot write " << o.to_jsonl << "\n";
  }
  if (o.json) json_files.push_back(render_json(*h, *r, o.report));
  else std::cout << render_text(*h, *r, o.report);
  return r->verdict;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = cli::parse_options(argc, argv);
  if (auto* message = std::get_if<std::string>(&parsed)) {
    std::cerr << "lincheck: " << *message << "\n\n" << cli::kUsage;
    return 2;
  }
  const cli::Options& o = std::get<cli::Options>(parsed);
  if (o.help) {
    std::cout << cli::kUsage;
    return 0;
  }
  nlohmann::json files = nlohmann::json::array();
  Verdict overall = Verdict::Linearizable;
  for (const std::string& path : o.files) overall = combine(overall, run_file(path, o, files));
  if (o.json) {
    std::cout << nlohmann::json{{"verdict", std::string(to_string(overall))}, {"valid", overall == Verdict::Linearizable},
                                {"files", files}}.dump(2)
              << "\n";
  }
  return static_cast<int>(overall);
}
