// Monotonic time in nanoseconds, the unit of every deadline and of history :time values.
#pragma once

#include <chrono>
#include <cstdint>

namespace workbench {

using Nanos = std::int64_t;

inline constexpr Nanos kMillis = 1'000'000;
inline constexpr Nanos kSeconds = 1'000'000'000;

inline Nanos monotonic_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace workbench
