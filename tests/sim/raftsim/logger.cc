#include "raftsim/logger.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <string>

#include "raftsim/timeline.h"

namespace raftsim {

namespace {

class TimelineSink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 public:
  TimelineSink(int node, Timeline& timeline, const Micros* clock)
      : node_(node), timeline_(timeline), clock_(clock) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    timeline_.record(*clock_, "    n" + std::to_string(node_) + " raft: " +
                                  std::string(msg.payload.data(), msg.payload.size()));
  }
  void flush_() override {}

 private:
  int node_;
  Timeline& timeline_;
  const Micros* clock_;
};

}  // namespace

std::shared_ptr<spdlog::logger> make_node_logger(int node, Timeline* timeline, const Micros* clock) {
  const std::string name = "raftsim-n" + std::to_string(node);
  if (timeline != nullptr && timeline->verbose()) {
    auto logger = std::make_shared<spdlog::logger>(
        name, std::make_shared<TimelineSink>(node, *timeline, clock));
    logger->set_level(spdlog::level::info);
    return logger;
  }
  auto logger = std::make_shared<spdlog::logger>(name);
  logger->set_level(spdlog::level::off);
  return logger;
}

}  // namespace raftsim
