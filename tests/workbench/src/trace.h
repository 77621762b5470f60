// Every message of a run, compactly (names and types interned), for the report's message
// diagram: who sent what to whom, when, and whether it arrived, was dropped by a partition
// or was lost to a killed node. Bounded, so a long fast run cannot exhaust memory; past the
// bound the diagram says the trace ends.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "tests/workbench/src/clock.h"

namespace workbench {

enum class Fate : std::uint8_t { InFlight, Delivered, Dropped, Lost };

struct TracedMessage {
  Nanos sent = 0;
  Nanos done = 0;  // delivered, dropped or lost at; sent while in flight
  std::uint32_t src = 0, dest = 0, type = 0;
  Fate fate = Fate::InFlight;
};

class MessageTrace {
 public:
  static constexpr std::size_t kDefaultCapacity = 1'000'000;  // 32 MB
  explicit MessageTrace(std::size_t capacity = kDefaultCapacity) : capacity_(capacity) {}

  // Message ids are the network's: consecutive from 0.
  void sent(std::int64_t id, const std::string& src, const std::string& dest, const std::string& type, Nanos now);
  void finished(std::int64_t id, Fate fate, Nanos now);
  // Makes every time relative to `origin` (the start of the workload).
  void rebase(Nanos origin);

  const std::vector<TracedMessage>& messages() const { return msgs_; }
  const std::string& name(std::uint32_t i) const { return names_[i]; }
  const std::string& type(std::uint32_t i) const { return types_[i]; }
  bool truncated() const { return truncated_; }

 private:
  static std::uint32_t intern(const std::string& s, std::vector<std::string>& list,
                              std::unordered_map<std::string, std::uint32_t>& index);

  std::size_t capacity_;
  bool truncated_ = false;
  std::vector<TracedMessage> msgs_;
  std::vector<std::string> names_, types_;
  std::unordered_map<std::string, std::uint32_t> name_index_, type_index_;
};

}  // namespace workbench
