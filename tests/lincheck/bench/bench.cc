// lincheck_bench: how fast the checker is. Prints figures; asserts nothing.
//
//   lincheck_bench [--histories DIR] [--threads N] [--repeat R] [--no-stress]
//
// 1. Every history under DIR (default: the porcupine set): parse time, then the check time
//    per file (median of R runs), and the totals. Parsing (format detection and parsing of
//    the text already in memory, median of R runs) is timed separately.
// 2. Stress cases, each in a child process so that its peak memory (getrusage maxrss) is its
//    own: a 10,000-op single-key register history (10 clients, 10% info ops) and a 2,000-op
//    history over 50 keys, both linearizable by construction (test/history_gen.h).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "history_gen.h"
#include "lincheck/check.h"
#include "lincheck/parse.h"

namespace {

using namespace lincheck;
using Clock = std::chrono::steady_clock;

struct Args {
  std::string dir = LINCHECK_BENCH_HISTORIES;
  unsigned threads = 1;
  int repeat = 5;
  bool stress = true;
};

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

std::vector<std::string> history_files(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    const std::string ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".log" || ext == ".txt" || ext == ".edn" || ext == ".jsonl")) {
      files.push_back(e.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

void bench_files(const Args& a) {
  struct Item {
    std::string name;
    History history;
    Semantics semantics;
    double parse = 0;
    std::vector<double> check;
    Verdict verdict = Verdict::Unknown;
  };
  std::vector<Item> items;
  for (const std::string& path : history_files(a.dir)) {
    Result<std::string> text = read_file(path);
    Result<Format> format = text ? detect_format(*text, path) : Result<Format>(text.error());
    Result<History> h = format ? parse_text(*text, *format, path) : Result<History>(format.error());
    std::vector<double> parses;  // detection + parsing of the text in memory (no file I/O)
    for (int run = 0; run < a.repeat && h; ++run) {
      const auto t = Clock::now();
      Result<Format> f = detect_format(*text, path);
      Result<History> again = parse_text(*text, *f, path);
      parses.push_back(since(t));
    }
    const double parse = median(parses);
    if (!h) {
      std::printf("%-40s parse error: %s\n", path.c_str(), h.error().to_string().c_str());
      continue;
    }
    if (h->ops.empty()) continue;  // etcd_095.log: empty, no verdict
    items.push_back({std::filesystem::relative(path, a.dir).string(), std::move(*h), default_semantics(*format), parse, {}});
  }
  CheckOptions o;
  o.threads = a.threads;
  o.stop_at_first_violation = true;  // as Porcupine does: the first bad key decides
  std::vector<double> totals;
  for (int run = 0; run < a.repeat; ++run) {
    double total = 0;
    for (Item& it : items) {
      const auto t = Clock::now();
      Result<CheckResult> r = check(it.history, ModelSpec{ModelKind::Auto, it.semantics}, o);
      const double s = since(t);
      it.check.push_back(s);
      total += s;
      it.verdict = r ? r->verdict : Verdict::Unknown;
    }
    totals.push_back(total);
  }
  double parse_total = 0, median_sum = 0;
  std::printf("%-28s %8s %10s %10s  %s\n", "file", "ops", "parse ms", "check ms", "verdict");
  for (const Item& it : items) {
    parse_total += it.parse;
    median_sum += median(it.check);
    std::printf("%-28s %8zu %10.3f %10.3f  %s\n", it.name.c_str(), it.history.ops.size(), it.parse * 1e3,
                median(it.check) * 1e3, std::string(to_string(it.verdict)).c_str());
  }
  std::printf("\n%zu histories, %u thread(s), %d runs\n", items.size(), a.threads, a.repeat);
  std::printf("parse total:                 %8.3f ms\n", parse_total * 1e3);
  std::printf("check total (median of runs): %8.3f ms   (sum of per-file medians: %.3f ms)\n", median(totals) * 1e3,
              median_sum * 1e3);
  std::printf("check total min/max of runs: %8.3f / %.3f ms\n", *std::min_element(totals.begin(), totals.end()) * 1e3,
              *std::max_element(totals.begin(), totals.end()) * 1e3);
}

void run_stress_case(const char* name, const testing::GenOptions& g, unsigned threads) {
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid == 0) {
    const auto t0 = Clock::now();
    const History h = testing::generate_register_history(g);
    const double gen = since(t0);
    CheckOptions o;
    o.threads = threads;
    o.timeout = std::chrono::seconds(120);
    const auto t = Clock::now();
    Result<CheckResult> r = check_maelstrom_lin_kv(h, o);
    const double s = since(t);
    std::printf("%-34s %6zu ops %3zu keys  check %9.3f ms  %-16s memo peak %8.1f KiB  (generate %.1f ms)\n", name,
                h.ops.size(), r ? r->keys.size() : 0, s * 1e3, r ? std::string(to_string(r->verdict)).c_str() : "error",
                r ? static_cast<double>(r->peak_memo_bytes) / 1024 : 0.0, gen * 1e3);
    std::fflush(stdout);
    _exit(0);
  }
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  std::printf("%-34s process peak RSS %.1f MiB\n", "", static_cast<double>(ru.ru_maxrss) / 1024);
}

void bench_stress(const Args& a) {
  std::printf("\nstress (linearizable by construction, %u thread(s)):\n", a.threads);
  testing::GenOptions single;
  single.ops = 10000;
  single.clients = 10;
  single.keys = 1;
  single.info_fraction = 0.10 / (1 - single.read_fraction);  // 10% of all ops are info
  single.seed = 42;
  run_stress_case("10,000 ops, 1 key, 10 clients, 10% info", single, a.threads);
  testing::GenOptions multi;
  multi.ops = 2000;
  multi.clients = 10;
  multi.keys = 50;
  multi.seed = 43;
  run_stress_case("2,000 ops, 50 keys, 10 clients", multi, a.threads);
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    if (s == "--histories" && i + 1 < argc) a.dir = argv[++i];
    else if (s == "--threads" && i + 1 < argc) a.threads = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (s == "--repeat" && i + 1 < argc) a.repeat = std::max(1, std::atoi(argv[++i]));
    else if (s == "--no-stress") a.stress = false;
    else {
      std::fprintf(stderr, "usage: lincheck_bench [--histories DIR] [--threads N] [--repeat R] [--no-stress]\n");
      return 2;
    }
  }
  bench_files(a);
  if (a.stress) bench_stress(a);
  return 0;
}
