// The report's window choice for the message diagram, and the two "why" views' markup.
#include <gtest/gtest.h>

#include "tests/workbench/src/report.h"
#include "tests/workbench/src/report_diagram.h"

namespace workbench {
namespace {

// A run with one client op per 100 ms and a node-to-node message with each, over 10 s; ops
// from `answered` on time out after a second.
RunResult busy_run(int answered = 100) {
  RunResult run;
  run.options.nodes = {"n0", "n1"};
  run.options.concurrency = 2;
  run.init_ok = true;
  run.workload_duration = 10 * kSeconds;
  std::int64_t id = 0;
  for (int i = 0; i < 100; ++i) {
    const Nanos t = i * 100 * kMillis;
    Op inv;
    inv.process = i % 2;
    inv.f = "read";
    inv.time = t;
    run.history.add(inv);
    Op ok = inv;
    ok.type = i < answered ? OpType::Ok : OpType::Fail;
    ok.time = t + (i < answered ? kMillis : kSeconds);
    run.history.add(ok);
    run.trace.sent(id, "c2", "n0", "read", t);
    run.trace.finished(id++, Fate::Delivered, t);
    run.trace.sent(id, "n0", "n1", "gossip", t);
    run.trace.finished(id++, Fate::Dropped, t + kMillis);
  }
  return run;
}

TEST(DiagramWindow, FirstSecondsWhenNothingWentWrong) {
  RunResult run = busy_run();
  DiagramWindow w = choose_window(run, judge(run));
  EXPECT_EQ(w.from_s, 0);
  EXPECT_NE(w.why.find("first seconds"), std::string::npos);
}

TEST(DiagramWindow, AroundTheFirstViolationBeforeAnything) {
  RunResult run = busy_run();
  run.workload_offset = kSeconds;
  run.violations.push_back({5 * kSeconds, "n1", "x", "not valid JSON"});  // 4 s into the workload
  DiagramWindow w = choose_window(run, judge(run));
  EXPECT_LT(w.from_s, 4.0);
  EXPECT_GT(w.to_s, 4.0);
  EXPECT_NE(w.why.find("protocol violation (n1: not valid JSON)"), std::string::npos) << w.why;
}

TEST(DiagramWindow, AroundTheLongestStallAndKeptReadable) {
  RunResult run = busy_run(60);  // nothing is answered from 6 s on: the run ends stalled
  Verdict v = judge(run);
  ASSERT_GE(static_cast<double>(v.overall().longest_stall.length) / kSeconds, kStallWorthShowing);
  DiagramWindow w = choose_window(run, v);
  EXPECT_LE(w.from_s, 6.0);
  EXPECT_GT(w.to_s, 6.0);
  EXPECT_NE(w.why.find("longest stall"), std::string::npos);
  run.options.diagram_at_s = 2;
  run.options.diagram_span_s = 0.5;
  w = choose_window(run, v);
  EXPECT_DOUBLE_EQ(w.from_s, 2);
  EXPECT_DOUBLE_EQ(w.to_s, 2.5);
}

TEST(DiagramWindow, AutomaticSpanKeepsTheDiagramReadable) {
  RunResult run = busy_run();
  for (std::int64_t id = 200; id < 2200; ++id) {  // a burst of 2,000 messages in the first 100 ms
    run.trace.sent(id, "n0", "n1", "append", (id - 200) * 50'000);
    run.trace.finished(id, Fate::Delivered, (id - 200) * 50'000);
  }
  // The trace must be in send order for the window search: rebuild it sorted.
  MessageTrace sorted;
  std::vector<TracedMessage> all = run.trace.messages();
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.sent < b.sent; });
  for (std::size_t i = 0; i < all.size(); ++i) {
    sorted.sent(static_cast<std::int64_t>(i), run.trace.name(all[i].src), run.trace.name(all[i].dest),
                run.trace.type(all[i].type), all[i].sent);
    sorted.finished(static_cast<std::int64_t>(i), all[i].fate, all[i].done);
  }
  run.trace = std::move(sorted);
  DiagramWindow w = choose_window(run, judge(run));
  std::size_t in_window = 0;
  for (const auto& m : run.trace.messages()) {
    const double t = static_cast<double>(m.sent) / kSeconds;
    in_window += t >= w.from_s && t <= w.to_s;
  }
  EXPECT_LE(in_window, kDiagramMessages);
  EXPECT_GT(in_window, 0u);
}

TEST(Report, HasTheDiagramTimelineAndStall) {
  RunResult run = busy_run();
  run.faults.push_back({"kill", "n1", 2 * kSeconds, 3 * kSeconds, true});
  run.options.diagram_at_s = 1.95;
  run.options.diagram_span_s = 0.2;
  const std::string html = report_html(run, judge(run));
  EXPECT_NE(html.find("<svg id='message-diagram'"), std::string::npos);
  EXPECT_NE(html.find("<svg id='operation-timeline'"), std::string::npos);
  EXPECT_NE(html.find(">gossip<"), std::string::npos);          // arrows labelled by type
  EXPECT_NE(html.find("dropped by a partition"), std::string::npos);
  EXPECT_NE(html.find("&#x2715; killed"), std::string::npos);   // the kill marked on n1's lane
  EXPECT_NE(html.find("<h2>Availability</h2>"), std::string::npos);
}

}  // namespace
}  // namespace workbench
