// A Node wired to a manual clock and an in-memory output, for driving the protocol logic
// without processes or file descriptors.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "transport/node.h"

namespace maelstrom::testing {

class NodeHarness {
  std::vector<std::string> raw_;  // first: the node's output sink refers to it

 public:
  explicit NodeHarness(NodeOptions options = {}) : node(with_capture(std::move(options))) {}

  // Every raw output line so far, each still ending in '\n'.
  const std::vector<std::string>& raw() const { return raw_; }

  // Parses and removes the output produced so far; fails the test on a malformed line.
  std::vector<nlohmann::json> take() {
    std::vector<nlohmann::json> out;
    for (const auto& line : raw_) {
      EXPECT_FALSE(line.empty());
      EXPECT_EQ(line.back(), '\n') << line;
      EXPECT_EQ(line.find('\n'), line.size() - 1) << "embedded newline: " << line;
      out.push_back(nlohmann::json::parse(line));
    }
    raw_.clear();
    return out;
  }

  // Takes the output, which must be exactly one message, and returns it.
  nlohmann::json take_one() {
    auto out = take();
    EXPECT_EQ(out.size(), 1u) << nlohmann::json(out).dump();
    return out.empty() ? nlohmann::json() : out.front();
  }

  // Delivers {"src":src,"dest":dest,"body":body} as an input line.
  void deliver(const std::string& src, const nlohmann::json& body,
               const std::string& dest = "n1") {
    node.receive_line(nlohmann::json{{"src", src}, {"dest", dest}, {"body", body}}.dump());
  }

  // Initializes the node as `self` among `ids` and consumes the init_ok.
  void init(const std::string& self = "n1",
            const std::vector<std::string>& ids = {"n1", "n2", "n3"}) {
    deliver("c0", {{"type", "init"}, {"msg_id", 1}, {"node_id", self}, {"node_ids", ids}},
            self);
    const auto out = take();
    ASSERT_FALSE(out.empty());
    ASSERT_EQ(out.front()["body"]["type"], "init_ok");
    raw_.clear();
    for (std::size_t i = 1; i < out.size(); ++i) raw_.push_back(out[i].dump() + "\n");
  }

  void advance(Duration d) {
    clock.advance(d);
    node.run_due_timers();
  }

  ManualClock clock;
  Node node;

 private:
  NodeOptions with_capture(NodeOptions options) {
    options.clock = &clock;
    options.output = [this](std::string_view line) { raw_.emplace_back(line); };
    return options;
  }
};

}  // namespace maelstrom::testing
