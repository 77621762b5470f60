// Virtual time: microseconds since the start of a run. Nothing in the simulator reads a
// real clock; time moves only when the event queue pops the next event.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace raftsim {

using Micros = std::int64_t;

constexpr Micros kMillisecond = 1'000;
constexpr Micros kSecond = 1'000'000;

constexpr Micros millis(std::int64_t ms) { return ms * kMillisecond; }
constexpr Micros seconds(std::int64_t s) { return s * kSecond; }

/// "1.234567s" -- fixed width enough to line a timeline up.
std::string format_time(Micros t);
/// Short human form for durations: "250ms", "1.5s", "12.3ms", "80us" (may round).
std::string format_duration(Micros d);
/// Exact form that parse_duration reads back: "2s", "350ms", "1234567us".
std::string format_exact(Micros d);
/// Parses "60s", "1.5s", "250ms", "800us", or a bare number of milliseconds.
std::optional<Micros> parse_duration(std::string_view text);

}  // namespace raftsim
