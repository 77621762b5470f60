#pragma once

#include <cstdint>
#include <string_view>

namespace lincheck {

// Exit codes of the CLI follow Maelstrom: 0 valid, 1 invalid, 2 unknown.
enum class Verdict : std::uint8_t { Linearizable = 0, NotLinearizable = 1, Unknown = 2 };

std::string_view to_string(Verdict v);

// The overall verdict of several parts: any violation is decisive; else any unknown.
Verdict combine(Verdict a, Verdict b);

}  // namespace lincheck
