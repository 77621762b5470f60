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

struct RunRecord {
  std::uint64_t seed = 0;
  int code = 0;
  std::string dir;
};

const char* verdict_word(int code) {
  return code == 0 ? "VALID" : code == 1 ? "INVALID" : code == 2 ? "UNKNOWN" : "ERROR";
}

// --test-count: one line per run and where the first bad one is, after the last summary.
void print_runs(const workbench::Options& o, const std::vector<RunRecord>& runs) {
  if (o.test_count <= 1 || runs.empty()) return;
  std::printf("\nruns: %zu of %d (seeds %llu to %llu):", runs.size(), o.test_count,
              static_cast<unsigned long long>(runs.front().seed), static_cast<unsigned long long>(runs.back().seed));
  for (const auto& r : runs) std::printf(" %s", verdict_word(r.code));
  std::printf("\n");
  for (const auto& r : runs) {
    if (r.code == 0) continue;
    std::printf("first run that is not valid: seed %llu, %s\n", static_cast<unsigned long long>(r.seed),
                r.dir.c_str());
    break;
  }
  std::fflush(stdout);
}

// Choices made for the user, and runs too short to judge, are said before the run starts.
void print_notes(const workbench::ParseOutcome& parsed) {
  for (const auto& n : parsed.notes) std::fprintf(stderr, "workbench: note: %s\n", n.c_str());
  const workbench::Options& o = *parsed.options;
  const double expected = o.time_limit_s * o.rate;
  if (o.rate > 0 && expected < 5.0 * static_cast<double>(workbench::kMinAttemptsToJudge))
    std::fprintf(stderr,
                 "workbench: note: about %.0f operations in %g s at %g ops/s: an operation type tried fewer than "
                 "%lld times cannot be judged (verdict unknown); use a longer --time-limit or a higher --rate\n",
                 expected, o.time_limit_s, o.rate, static_cast<long long>(workbench::kMinAttemptsToJudge));
}

int run_once(const workbench::Options& o, std::uint64_t seed, const std::string& replay, std::string& dir_out) {
  const std::string dir = workbench::make_run_dir(o.store);
  dir_out = dir;
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
  print_notes(parsed);
  workbench::install_signal_handlers();
  try {
    const std::uint64_t first_seed = o.seed ? *o.seed : workbench::random_seed();
    int code = 0;
    std::vector<RunRecord> runs;
    for (int i = 0; i < o.test_count; ++i) {
      const std::uint64_t seed = first_seed + static_cast<std::uint64_t>(i);
      RunRecord r{seed, 0, ""};
      code = r.code = run_once(o, seed, replay_command(argv[0], args, seed), r.dir);
      runs.push_back(r);
      if (code != 0 || workbench::interrupted()) break;  // like Jepsen's test-count: stop at the first failure
    }
    print_runs(o, runs);
    return code;
  } catch (const std::exception& e) {
    workbench::kill_all_child_groups();
    std::fprintf(stderr, "workbench: internal error: %s\n", e.what());
    return kInternalError;
  }
}
