#include "raftsim/time.h"

#include <charconv>
#include <cstdio>

namespace raftsim {

std::string format_time(Micros t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%3lld.%06llds", static_cast<long long>(t / kSecond),
                static_cast<long long>(t % kSecond));
  return buf;
}

std::string format_duration(Micros d) {
  char buf[48];
  if (d < kMillisecond) {
    std::snprintf(buf, sizeof buf, "%lldus", static_cast<long long>(d));
  } else if (d % kMillisecond != 0) {
    // Sub-millisecond precision matters only for short spans.
    std::snprintf(buf, sizeof buf, "%.1fms", static_cast<double>(d) / kMillisecond);
  } else if (d < kSecond || d % (kSecond / 10) != 0) {
    std::snprintf(buf, sizeof buf, "%lldms", static_cast<long long>(d / kMillisecond));
  } else {
    std::snprintf(buf, sizeof buf, "%gs", static_cast<double>(d) / kSecond);
  }
  return buf;
}

std::string format_exact(Micros d) {
  if (d != 0 && d % kSecond == 0) return std::to_string(d / kSecond) + "s";
  if (d % kMillisecond == 0) return std::to_string(d / kMillisecond) + "ms";
  return std::to_string(d) + "us";
}

std::optional<Micros> parse_duration(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || value < 0) return std::nullopt;
  const std::string_view unit(ptr, static_cast<std::size_t>(end - ptr));
  double scale = 0;
  if (unit == "s") {
    scale = kSecond;
  } else if (unit == "ms" || unit.empty()) {
    scale = kMillisecond;
  } else if (unit == "us") {
    scale = 1;
  } else {
    return std::nullopt;
  }
  return static_cast<Micros>(value * scale + 0.5);
}

}  // namespace raftsim
