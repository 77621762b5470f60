// Logging for Maelstrom nodes: spdlog, to stderr only, level from a shared --log-level flag.
//
// stdout belongs to the protocol: one stray log line there and Maelstrom stops reading the
// node. spdlog's stock default logger writes to stdout, so every node must replace it before
// logging anything; init_logging() does, and Node's constructor does too (at level warn) if
// the program has not, so library and application logs can never reach stdout.
//
// The default level is warn: Maelstrom keeps each node's stderr for the whole run, and
// per-message logging at info would dwarf the useful lines.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/spdlog.h>

namespace maelstrom {

inline constexpr spdlog::level::level_enum kDefaultLogLevel = spdlog::level::warn;

// One line for a program's --help text.
inline constexpr std::string_view kLogLevelUsage =
    "  --log-level LEVEL   trace, debug, info, warn, error, critical or off (default warn);\n"
    "                      logs go to stderr\n";

// "trace" ... "off" (also "warning", "err"); nullopt for anything else.
[[nodiscard]] std::optional<spdlog::level::level_enum> parse_log_level(std::string_view name);

// Removes "--log-level LEVEL" and "--log-level=LEVEL" from `args` and returns the level
// (`fallback` if absent; the last one wins if repeated). Throws std::invalid_argument with
// a readable message for a missing or unknown level. Other arguments are left in place for
// the program's own flags.
spdlog::level::level_enum take_log_level_flag(std::vector<std::string>& args,
                                              spdlog::level::level_enum fallback =
                                                  kDefaultLogLevel);

// Makes spdlog's default logger a stderr-only logger at `level`. Call once, early.
void init_logging(spdlog::level::level_enum level);

// init_logging(kDefaultLogLevel) unless init_logging was already called.
void ensure_stderr_logging();

// argv[1..argc) as strings.
[[nodiscard]] std::vector<std::string> command_line_args(int argc, char** argv);

// The usual first line of a node's main(): takes --log-level from the command line, sets up
// logging and returns the remaining arguments. On a bad --log-level it prints the problem
// to stderr and exits with status 2.
std::vector<std::string> init_logging_from_args(int argc, char** argv);

}  // namespace maelstrom
