// The Raft core logs through spdlog. In the simulator its lines either vanish (the
// default: formatting them would dominate the run time) or, in a verbose timeline, appear
// stamped with the virtual time.
#pragma once

#include <memory>

#include "raftsim/time.h"

namespace spdlog {
class logger;
}

namespace raftsim {

class Timeline;

/// A logger for node `node`'s core. With a verbose timeline, lines go there, stamped with
/// *clock (which must outlive the logger); otherwise the logger is off.
std::shared_ptr<spdlog::logger> make_node_logger(int node, Timeline* timeline, const Micros* clock);

}  // namespace raftsim
