#include "transport/logging.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <spdlog/sinks/stdout_sinks.h>

namespace maelstrom {
namespace {

std::atomic<bool> g_logging_initialized{false};
constexpr std::string_view kFlag = "--log-level";

spdlog::level::level_enum level_or_throw(std::string_view value) {
  if (auto level = parse_log_level(value)) return *level;
  throw std::invalid_argument("unknown --log-level '" + std::string(value) +
                              "' (expected trace, debug, info, warn, error, critical or off)");
}

}  // namespace

std::optional<spdlog::level::level_enum> parse_log_level(std::string_view name) {
  using spdlog::level::level_enum;
  if (name == "trace") return level_enum::trace;
  if (name == "debug") return level_enum::debug;
  if (name == "info") return level_enum::info;
  if (name == "warn" || name == "warning") return level_enum::warn;
  if (name == "error" || name == "err") return level_enum::err;
  if (name == "critical") return level_enum::critical;
  if (name == "off") return level_enum::off;
  return std::nullopt;
}

spdlog::level::level_enum take_log_level_flag(std::vector<std::string>& args,
                                              spdlog::level::level_enum fallback) {
  auto level = fallback;
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == kFlag) {
      if (i + 1 == args.size()) throw std::invalid_argument("--log-level needs a value");
      level = level_or_throw(args[++i]);
    } else if (arg.starts_with(kFlag) && arg.size() > kFlag.size() && arg[kFlag.size()] == '=') {
      level = level_or_throw(arg.substr(kFlag.size() + 1));
    } else {
      rest.push_back(args[i]);
    }
  }
  args = std::move(rest);
  return level;
}

void init_logging(spdlog::level::level_enum level) {
  auto logger = std::make_shared<spdlog::logger>(
      "maelstrom", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_pattern("%H:%M:%S.%e %^%l%$ %v");
  logger->set_level(level);
  logger->flush_on(spdlog::level::trace);  // stderr is unbuffered anyway; keep order exact
  spdlog::set_default_logger(std::move(logger));
  g_logging_initialized = true;
}

void ensure_stderr_logging() {
  if (!g_logging_initialized.load()) init_logging(kDefaultLogLevel);
}

std::vector<std::string> command_line_args(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return args;
}

std::vector<std::string> init_logging_from_args(int argc, char** argv) {
  auto args = command_line_args(argc, argv);
  try {
    init_logging(take_log_level_flag(args));
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "%s\n", e.what());
    std::exit(2);
  }
  return args;
}

}  // namespace maelstrom
