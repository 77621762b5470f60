// workbench: the command-line entry point. See `workbench --help` and docs/workbench.md.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "tests/workbench/src/checker.h"
#include "tests/workbench/src/options.h"
#include "tests/workbench/src/reaper.h"
#include "tests/workbench/src/results.h"
#include "tests/workbench/src/rng.h"
#include "tests/workbench/src/runner.h"

namespace {

constexpr int kBadArguments = 254;
constexpr int kInternalError = 255;

std::string quote(const std::string& s) {
  if (!s.empty() && s.find_first_of(" \t\n'\"\\$`*?") == std::string::npos) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The same command with --seed N, so a run can be replayed from its printout.
std::string replay_command(const std::string& argv0, const std::vector<std::string>& args, std::uint64_t seed) {
  std::string out = quote(argv0);
  bool seeded = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--seed") {
      ++i;
      continue;
    }
    if (args[i].rfind("--seed=", 0) == 0) continue;
    if (args[i] == "--" && !seeded) {
      out += " --seed " + std::to_string(seed);
      seeded = true;
    }
    out += " " + quote(args[i]);
  }
  if (!seeded) out += " --seed " + std::to_string(seed);
  return out;
}

int run_once(const workbench::Options& o, std::uint64_t seed, const std::string& replay) {
  const std::string dir = workbench::make_run_dir(o.store);
  std::fprintf(stderr, "workbench: %s on %zu nodes, seed %llu, results in %s\n",
               workbench::to_string(o.workload).c_str(), o.nodes.size(), static_cast<unsigned long long>(seed),
               dir.c_str());
  workbench::RunResult result;
  {
    workbench::Runner runner(o, seed, dir);
    result = runner.run();
  }
  result.replay_command = replay;
  if (auto err = workbench::write_history(result); !err.empty()) {
    std::fprintf(stderr, "workbench: %s\n", err.c_str());
    return kInternalError;
  }
  const workbench::Verdict verdict = workbench::judge(result);
  if (auto err = workbench::write_outputs(result, verdict); !err.empty()) {
    std::fprintf(stderr, "workbench: %s\n", err.c_str());
    return kInternalError;
  }
  std::printf("%s", workbench::summary_text(result, verdict).c_str());
  std::fflush(stdout);
  return workbench::exit_code(verdict);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const auto parsed = workbench::parse_options(args);
  if (parsed.help) {
    std::printf("%s", workbench::help_text().c_str());
    return 0;
  }
  if (!parsed.options) {
    std::fprintf(stderr, "workbench: %s\n", parsed.error.c_str());
    return kBadArguments;
  }
  const workbench::Options& o = *parsed.options;
  workbench::install_signal_handlers();
  try {
    const std::uint64_t first_seed = o.seed ? *o.seed : workbench::random_seed();
    int code = 0;
    for (int i = 0; i < o.test_count; ++i) {
      const std::uint64_t seed = first_seed + static_cast<std::uint64_t>(i);
      code = run_once(o, seed, replay_command(argv[0], args, seed));
      if (code != 0 || workbench::interrupted()) break;  // like Jepsen's test-count: stop at the first failure
    }
    return code;
  } catch (const std::exception& e) {
    workbench::kill_all_child_groups();
    std::fprintf(stderr, "workbench: internal error: %s\n", e.what());
    return kInternalError;
  }
}
