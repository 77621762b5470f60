// Availability: the answered fraction and the longest stall, on hand-made histories and, for
// the stall sweep, against a brute-force definition over random histories (seeded; set
// WB_SEED to replay one seed).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "tests/workbench/src/availability.h"
#include "tests/workbench/src/rng.h"

namespace workbench {
namespace {

constexpr Nanos S = kSeconds;

TEST(Stall, NoOperationsNoStall) {
  EXPECT_EQ(longest_stall({}, 10 * S).length, 0);
}

TEST(Stall, HealthyOperationsStallOnlyForTheirLatency) {
  // Two overlapping ops answered quickly, then one alone.
  Stall s = longest_stall({{0, 2, true}, {1, 5, true}, {10, 12, true}}, 20);
  EXPECT_EQ(s.length, 3);  // 2..5: after the first answer the second op still waited 3 ns
  EXPECT_EQ(s.start, 2);
  EXPECT_EQ(s.end, 5);
  EXPECT_FALSE(s.to_end);
}

TEST(Stall, TimeoutsAreNotAnswersAndAnOutageRunsToTheEnd) {
  // Answered until 1 s, then every request times out until the run ends at 10 s.
  std::vector<OpSpan> ops = {{0, S / 2, true}, {S, S + 1, true}};
  for (Nanos t = 2 * S; t < 9 * S; t += S) ops.push_back({t, t + S, false});
  Stall s = longest_stall(ops, 10 * S);
  EXPECT_EQ(s.start, 2 * S);  // the first request left unanswered
  EXPECT_EQ(s.end, 10 * S);
  EXPECT_TRUE(s.to_end);
}

TEST(Stall, IdleTimeInsideAnOutageCounts) {
  // A request times out, nothing is asked for a while, the next one is answered: one stall
  // from the first unanswered request to the answer.
  Stall s = longest_stall({{0, 1, true}, {10, 20, false}, {50, 55, true}}, 100);
  EXPECT_EQ(s.start, 10);
  EXPECT_EQ(s.end, 55);
}

TEST(Answers, DataErrorsAnswerRefusalsAndTimeoutsDoNot) {
  Op ok;
  ok.type = OpType::Ok;
  EXPECT_TRUE(is_answer(ok));
  Op missing;
  missing.type = OpType::Fail;
  missing.error_code = 20;
  EXPECT_TRUE(is_answer(missing));
  missing.error_code = 22;
  EXPECT_TRUE(is_answer(missing));
  Op unavailable = missing;
  unavailable.error_code = 11;
  EXPECT_FALSE(is_answer(unavailable));
  Op timeout;
  timeout.type = OpType::Fail;  // a read that timed out
  EXPECT_FALSE(is_answer(timeout));
  Op info;
  info.type = OpType::Info;
  EXPECT_FALSE(is_answer(info));
}

void add(History& h, std::int64_t p, const std::string& f, Nanos t0, Nanos t1, OpType t, std::int64_t code = -1) {
  Op a;
  a.process = p;
  a.f = f;
  a.time = t0;
  h.add(a);
  a.type = t;
  a.time = t1;
  a.error_code = code;
  h.add(a);
}

TEST(Availability, PerOperationTypeAndOverall) {
  History h;
  add(h, 0, "read", 0, 10, OpType::Ok);
  add(h, 1, "read", 20, 30, OpType::Fail, 20);   // key missing: answered
  add(h, 0, "write", 40, 50, OpType::Info);      // timeout
  add(h, 1, "cas", 60, 70, OpType::Fail, 11);    // no leader: not served
  auto a = availability_by_f(h, 100);
  ASSERT_TRUE(a.at("all").answered_fraction);
  EXPECT_DOUBLE_EQ(*a.at("all").answered_fraction, 0.5);
  EXPECT_DOUBLE_EQ(*a.at("read").answered_fraction, 1.0);
  EXPECT_DOUBLE_EQ(*a.at("write").answered_fraction, 0.0);
  EXPECT_EQ(a.at("all").longest_stall.start, 40);
  EXPECT_EQ(a.at("all").longest_stall.end, 100);
  EXPECT_TRUE(a.at("all").longest_stall.to_end);
}

TEST(Availability, NoOperationsHasNoFraction) {
  auto a = availability_by_f(History{}, 0);
  EXPECT_FALSE(a.at("all").answered_fraction);
  EXPECT_EQ(a.at("all").longest_stall.length, 0);
}

// The definition, computed the slow way: a stall may start at any invocation, or at any
// answer after which something is still pending, and lasts until the next answer.
Nanos brute_force(const std::vector<OpSpan>& ops, Nanos end) {
  Nanos last = end;
  for (const auto& o : ops) last = std::max({last, o.invoke, o.done});
  auto next_answer = [&](Nanos from, bool strictly) {
    Nanos best = last;
    for (const auto& o : ops)
      if (o.answered && (strictly ? o.done > from : o.done >= from)) best = std::min(best, o.done);
    return best;
  };
  Nanos best = 0;
  for (const auto& o : ops) {
    best = std::max(best, next_answer(o.invoke, false) - o.invoke);
    if (!o.answered) continue;
    bool pending = false;
    for (const auto& p : ops) pending = pending || (&p != &o && p.invoke <= o.done && p.done > o.done);
    if (pending) best = std::max(best, next_answer(o.done, true) - o.done);
  }
  return best;
}

TEST(Stall, SweepMatchesTheDefinitionOnRandomHistories) {
  std::uint64_t first = 1, count = 300;
  if (const char* s = std::getenv("WB_SEED")) first = std::stoull(s), count = 1;
  for (std::uint64_t seed = first; seed < first + count; ++seed) {
    Rng rng = Rng::derive(seed, 0);
    std::vector<OpSpan> ops;
    const auto n = rng.below(12);
    for (std::uint64_t i = 0; i < n; ++i) {
      const auto t0 = static_cast<Nanos>(rng.below(100));
      ops.push_back({t0, t0 + static_cast<Nanos>(rng.below(30)), rng.below(3) != 0});
    }
    const Nanos end = 100 + static_cast<Nanos>(rng.below(40));
    ASSERT_EQ(longest_stall(ops, end).length, brute_force(ops, end)) << "seed " << seed << " (WB_SEED=" << seed
                                                                      << " replays it)";
  }
}

}  // namespace
}  // namespace workbench
