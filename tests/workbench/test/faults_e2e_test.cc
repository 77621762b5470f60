// End to end with faults, seeds and signals.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/workbench/test/e2e_util.h"

namespace workbench::e2e {
namespace {

namespace fs = std::filesystem;

TEST(Faults, PartitionsKeepACorrectNodeValid) {
  RunOutput r = run_workbench(with({"-w", "lin-kv", "--node-count", "3", "--concurrency", "2n", "--rate", "60",
                              "--time-limit", "3", "--nemesis", "partition", "--nemesis-interval", "0.3",
                              "--seed", "21"},
                             "forward"));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_GE(r.results["nemesis"].size(), 2u);
  EXPECT_NE(r.history.find(":f :start-partition"), std::string::npos);
  EXPECT_NE(r.history.find("[:isolated {"), std::string::npos);
  EXPECT_NE(r.file("report.html").find("fill='#E9DCA0'"), std::string::npos);  // shaded periods
}

TEST(Faults, KilledNodesAreRestartedAndReinitialised) {
  RunOutput r = run_workbench(with({"-w", "echo", "--node-count", "3", "--rate", "60", "--time-limit", "3",
                              "--nemesis", "kill", "--nemesis-interval", "0.3", "--seed", "8"},
                             "forward"));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_GE(r.results["restarts"].get<int>(), 1);
  EXPECT_NE(r.history.find(":f :kill"), std::string::npos);
  EXPECT_NE(r.history.find(" :started}"), std::string::npos);
  EXPECT_NE(r.file("workbench.log").find("answered init"), std::string::npos);
}

TEST(Faults, PausedNodesTimeOutButStayLinearizable) {
  RunOutput r = run_workbench(with({"-w", "lin-kv", "--node-count", "3", "--concurrency", "2n", "--rate", "60",
                              "--time-limit", "3", "--nemesis", "pause", "--nemesis-interval", "0.5",
                              "--seed", "13"},
                             "forward"));
  ASSERT_NE(r.exit_code, 1) << r.out << r.err;  // 2 only if some op type never succeeded... see below
  EXPECT_EQ(r.results["workload_check"]["valid"], true) << r.out;
  EXPECT_NE(r.history.find(":f :pause"), std::string::npos);
}

// History lines containing `marker`, without :index and :time (which depend on timing).
std::vector<std::string> lines_with(const std::string& history, const std::string& marker) {
  std::vector<std::string> out;
  std::regex volatile_fields(":index [0-9]+, :time [0-9]+, |, :process [0-9]+");
  std::istringstream in(history);
  std::string line;
  while (std::getline(in, line))
    if (line.find(marker) != std::string::npos) out.push_back(std::regex_replace(line, volatile_fields, ""));
  return out;
}

TEST(Faults, ASeedReplaysTheSchedule) {
  // Enough clients that no op ever waits for a free one: an op that waits leaves when a
  // client frees up (Jepsen's rule), a time the machine's speed decides, not the seed.
  auto args = with({"-w", "echo", "--node-count", "3", "--concurrency", "30", "--rate", "30",
                    "--time-limit", "1.5", "--nemesis", "partition,pause", "--nemesis-interval",
                    "0.2", "--seed", "1234"},
                   "forward");
  RunOutput a = run_workbench(args);
  RunOutput b = run_workbench(args);
  ASSERT_EQ(a.results["seed"], 1234);
  // The fault schedule (kinds, shapes, grudges, nodes) replays exactly.
  const auto na = lines_with(a.history, ":nemesis"), nb = lines_with(b.history, ":nemesis");
  ASSERT_GT(na.size(), 8u);
  EXPECT_EQ(na, nb);
  // Ops are due at times the seed fixes (counted from when each was due, not from when the
  // busy loop woke up), and every op due before the time limit is issued: the same ops, in
  // the same order, however loaded the machine is. (The op count used to drift by up to 7
  // on a busy machine.)
  ASSERT_EQ(a.results["rate"]["delayed-ops"], 0) << "an op waited for a client: the test's premise broke";
  ASSERT_EQ(b.results["rate"]["delayed-ops"], 0) << "an op waited for a client: the test's premise broke";
  const auto ia = lines_with(a.history, ":invoke"), ib = lines_with(b.history, ":invoke");
  ASSERT_GT(ia.size(), 30u);
  EXPECT_EQ(ia.size(), ib.size());
  EXPECT_EQ(ia, ib);
  EXPECT_NE(a.results["replay"].get<std::string>().find("--seed 1234"), std::string::npos);
}

// Starts the workbench in the background; nodes write their pids into pid_dir.
pid_t start_background(const std::string& pid_dir, const std::string& store) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int devnull = ::open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execl(workbench_bin().c_str(), "workbench", "test", "--no-progress", "-w", "echo", "--node-count", "3",
          "--time-limit", "60", "--store", store.c_str(), "--bin", test_node_bin().c_str(), "--", "--pid-dir",
          pid_dir.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

std::vector<int> wait_for_pids(const std::string& dir, std::size_t n) {
  for (int i = 0; i < 500; ++i) {
    std::vector<int> pids;
    for (const auto& e : fs::directory_iterator(dir)) {
      std::ifstream in(e.path());
      int p = 0;
      if (in >> p) pids.push_back(p);
    }
    if (pids.size() == n) return pids;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return {};
}

bool all_gone(const std::vector<int>& pids) {
  for (int i = 0; i < 300; ++i) {
    bool any = false;
    for (int p : pids) any = any || process_alive(p);
    if (!any) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

class Orphans : public ::testing::TestWithParam<int> {};

TEST_P(Orphans, NoNodeOutlivesTheWorkbench) {
  const int sig = GetParam();
  const std::string pid_dir = temp_dir("pids"), store = temp_dir("store");
  const pid_t wb = start_background(pid_dir, store);
  const auto pids = wait_for_pids(pid_dir, 3);
  ASSERT_EQ(pids.size(), 3u);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the workload run a little
  kill(wb, sig);
  int status = 0;
  waitpid(wb, &status, 0);
  EXPECT_TRUE(all_gone(pids));
  if (sig == SIGTERM) {
    // An interrupted run still leaves its results, judged unknown.
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2);
    std::ifstream in(fs::path(store) / "latest" / "results.json");
    auto j = nlohmann::json::parse(in, nullptr, false);
    ASSERT_FALSE(j.is_discarded());
    EXPECT_EQ(j["interrupted"], true);
    EXPECT_EQ(j["valid"], "unknown");
  }
}

INSTANTIATE_TEST_SUITE_P(Signals, Orphans, ::testing::Values(SIGTERM, SIGINT, SIGKILL),
                         [](const auto& param_info) { return std::string(sigabbrev_np(param_info.param)); });

TEST(Report, RendersInHeadlessChromium) {
  std::string chromium;
  for (const char* c : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"})
    if (fs::exists(c)) chromium = c;
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (scripts/test.sh installs it)";
  RunOutput r = run_workbench(with({"-w", "lin-kv", "--node-count", "3", "--concurrency", "2n", "--rate", "60",
                              "--time-limit", "2", "--latency", "100", "--nemesis", "partition",
                              "--nemesis-interval", "0.4", "--seed", "3"},
                             "stale"));
  ASSERT_FALSE(r.dir.empty());
  const std::string flags = " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                            " --disable-background-networking --disable-component-update --disable-sync"
                            " --user-data-dir=" + temp_dir("chromium");
  const std::string png = temp_dir("shot") + "/report.png";
  const std::string cmd = chromium + flags + " --window-size=1200,6000 --screenshot=" + png + " file://" + r.dir +
                          "/report.html > /dev/null 2>&1";
  ASSERT_EQ(std::system(("timeout 60 " + cmd).c_str()), 0);
  std::ifstream in(png, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 20000u);  // a blank page compresses to a few KB
  EXPECT_EQ(bytes.substr(1, 3), "PNG");

  // The DOM as Chromium parsed it: the message diagram and the operation timeline are there,
  // with their arrows and bars (a broken SVG would have lost its children).
  const std::string dom_file = temp_dir("dom") + "/dom.html";
  ASSERT_EQ(std::system(("timeout 60 " + chromium + flags + " --dump-dom file://" + r.dir + "/report.html > " + dom_file +
                         " 2>/dev/null").c_str()),
            0);
  std::ifstream dom_in(dom_file);
  const std::string dom((std::istreambuf_iterator<char>(dom_in)), std::istreambuf_iterator<char>());
  auto section = [&](const std::string& id) {
    const auto a = dom.find("<svg id=\"" + id + "\"");
    return a == std::string::npos ? std::string() : dom.substr(a, dom.find("</svg>", a) - a);
  };
  auto count = [](const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
    return n;
  };
  const std::string diagram = section("message-diagram"), timeline = section("operation-timeline");
  EXPECT_GT(count(diagram, "<line "), 20u) << "message diagram missing or empty";
  EXPECT_GT(count(diagram, ">read<"), 0u);  // arrows labelled with their message types
  EXPECT_GT(count(timeline, "<rect "), 50u) << "operation timeline missing or empty";
  // The stale-read run is invalid: the diagram's default window is around its offending operations.
  EXPECT_NE(dom.find("around the offending operations on key"), std::string::npos);
}

}  // namespace
}  // namespace workbench::e2e
