// The generator's schedule on a simulated clock: late wake-ups must not lower the rate, and
// only operations that waited for a client restart the schedule (and are counted).
#include <gtest/gtest.h>

#include "tests/workbench/src/stagger.h"

namespace workbench {
namespace {

// Issues every operation `late` after it falls due, as an event loop that wakes late does,
// catching up on everything due at each wake-up; returns the count issued in `span`.
std::int64_t issued_in(double rate, Nanos late, Nanos span) {
  Stagger s(rate, Rng::derive(7, 5));
  std::int64_t n = 0;
  Nanos now = 0;
  while (true) {
    now = std::max(now, s.next() + late);
    if (now >= span) return n;
    while (s.next() <= now && now < span) {
      s.issued(now);
      ++n;
    }
  }
}

TEST(Stagger, LateWakeupsDoNotLowerTheRate) {
  for (double rate : {250.0, 1000.0, 5000.0}) {
    const double expected = rate * 10;
    const auto n = static_cast<double>(issued_in(rate, kMillis, 10 * kSeconds));
    EXPECT_NEAR(n, expected, expected * 0.03) << "rate " << rate;
  }
}

TEST(Stagger, AnOperationThatWaitedForAClientRestartsTheScheduleAndIsCounted) {
  Stagger s(10, Rng::derive(1, 5));  // gaps of 0..200 ms
  const Nanos due = s.next();
  s.blocked();
  s.issued(due + 3 * kSeconds);
  EXPECT_EQ(s.delayed_ops(), 1);
  EXPECT_EQ(s.delay(), 3 * kSeconds);
  EXPECT_GE(s.next(), due + 3 * kSeconds);  // counted from when it left, as Jepsen does
  const Nanos due2 = s.next();
  s.issued(due2 + kMillis);  // late but not blocked: counted from when it was due
  EXPECT_EQ(s.delayed_ops(), 1);
  EXPECT_LT(s.next(), due2 + 200 * kMillis);
}

}  // namespace
}  // namespace workbench
