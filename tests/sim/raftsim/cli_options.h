// Command-line options of the replay CLI (cli.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "raftsim/config.h"

namespace raftsim::cli {

enum class TimelineMode { kNone, kSummary, kFull, kVerbose };

struct Options {
  SimConfig sim;           // seed, cluster, latency, workload, duration
  FaultMix mix = FaultMix::all();
  Micros quiet = seconds(2);       // fault-free time at the end of the run
  Micros fault_gap = millis(400);  // mean time between fault episodes
  std::optional<std::string> schedule_text;  // --schedule / --schedule-file
  std::uint64_t seeds = 1;         // > 1: soak over seeds seed .. seed+seeds-1
  TimelineMode timeline = TimelineMode::kFull;
  std::string history_path;        // write the client history (JSON lines) here
  bool lincheck = true;
  bool help = false;
};

/// Parses argv (`planted_core`: --bug is allowed). On error returns nullopt and sets `error`.
std::optional<Options> parse_options(int argc, char** argv, bool planted_core, std::string& error);
std::string usage(const std::string& program);

}  // namespace raftsim::cli
