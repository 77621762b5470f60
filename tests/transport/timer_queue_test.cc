#include "transport/timer_queue.h"

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace maelstrom {
namespace {

using namespace std::chrono_literals;

const TimePoint t0{};

TEST(TimerQueue, FiresDueTimersInDeadlineOrder) {
  TimerQueue q;
  std::vector<std::string> log;
  q.schedule_at(t0 + 30ms, [&] { log.push_back("c"); });
  q.schedule_at(t0 + 10ms, [&] { log.push_back("a"); });
  q.schedule_at(t0 + 20ms, [&] { log.push_back("b1"); });
  q.schedule_at(t0 + 20ms, [&] { log.push_back("b2"); });  // ties keep scheduling order
  EXPECT_EQ(q.next_deadline(), t0 + 10ms);
  EXPECT_EQ(q.run_due(t0 + 9ms), 0u);
  EXPECT_EQ(q.run_due(t0 + 20ms), 3u);
  EXPECT_EQ(log, (std::vector<std::string>{"a", "b1", "b2"}));
  EXPECT_EQ(q.next_deadline(), t0 + 30ms);
  q.run_due(t0 + 1s);
  EXPECT_EQ(log.back(), "c");
  EXPECT_EQ(q.next_deadline(), std::nullopt);
  EXPECT_EQ(q.size(), 0u);
}

TEST(TimerQueue, CancelledTimerNeverFires) {
  TimerQueue q;
  int fired = 0;
  const TimerId id = q.schedule_at(t0 + 5ms, [&] { ++fired; });
  EXPECT_TRUE(q.cancel(id));
  EXPECT_FALSE(q.cancel(id));
  q.run_due(t0 + 1s);
  EXPECT_EQ(fired, 0);
}

TEST(TimerQueue, OneShotCannotBeCancelledAfterFiring) {
  TimerQueue q;
  const TimerId id = q.schedule_at(t0, [] {});
  q.run_due(t0);
  EXPECT_FALSE(q.cancel(id));
}

TEST(TimerQueue, PeriodicTimerRepeatsAndSkipsMissedRuns) {
  TimerQueue q;
  int fired = 0;
  q.schedule_every(t0 + 10ms, 10ms, [&] { ++fired; });
  q.run_due(t0 + 10ms);
  q.run_due(t0 + 20ms);
  EXPECT_EQ(fired, 2);
  EXPECT_EQ(q.next_deadline(), t0 + 30ms);
  q.run_due(t0 + 95ms);  // far behind: one run, not a burst of seven
  EXPECT_EQ(fired, 3);
  EXPECT_EQ(q.next_deadline(), t0 + 105ms);
}

TEST(TimerQueue, PeriodicTimerCanCancelItself) {
  TimerQueue q;
  int fired = 0;
  TimerId id = 0;
  id = q.schedule_every(t0 + 1ms, 1ms, [&] {
    ++fired;
    EXPECT_TRUE(q.cancel(id));
  });
  q.run_due(t0 + 1ms);
  q.run_due(t0 + 10ms);
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(q.size(), 0u);
}

TEST(TimerQueue, TimersArmedByCallbacksWaitForNextRun) {
  TimerQueue q;
  int fired = 0;
  std::function<void()> rearm = [&] {
    ++fired;
    q.schedule_at(t0, rearm);  // already due, but must not run in this pass
  };
  q.schedule_at(t0, rearm);
  EXPECT_EQ(q.run_due(t0), 1u);
  EXPECT_EQ(q.run_due(t0), 1u);
  EXPECT_EQ(fired, 2);
}

TEST(TimerQueue, CallbackMayCancelAnotherDueTimer) {
  TimerQueue q;
  bool second_ran = false;
  TimerId second = 0;
  q.schedule_at(t0 + 1ms, [&] { q.cancel(second); });
  second = q.schedule_at(t0 + 2ms, [&] { second_ran = true; });
  q.run_due(t0 + 5ms);
  EXPECT_FALSE(second_ran);
}

TEST(TimerQueue, RejectsNonPositiveInterval) {
  TimerQueue q;
  EXPECT_THROW(q.schedule_every(t0, 0ms, [] {}), std::invalid_argument);
}

}  // namespace
}  // namespace maelstrom
