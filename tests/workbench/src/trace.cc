#include "tests/workbench/src/trace.h"

namespace workbench {

std::uint32_t MessageTrace::intern(const std::string& s, std::vector<std::string>& list,
                                   std::unordered_map<std::string, std::uint32_t>& index) {
  auto [it, inserted] = index.try_emplace(s, static_cast<std::uint32_t>(list.size()));
  if (inserted) list.push_back(s);
  return it->second;
}

void MessageTrace::sent(std::int64_t id, const std::string& src, const std::string& dest, const std::string& type,
                        Nanos now) {
  if (id < 0 || static_cast<std::size_t>(id) != msgs_.size()) return;  // out of order: never expected
  if (msgs_.size() >= capacity_) {
    truncated_ = true;
    return;
  }
  TracedMessage m;
  m.sent = m.done = now;
  m.src = intern(src, names_, name_index_);
  m.dest = intern(dest, names_, name_index_);
  m.type = intern(type, types_, type_index_);
  msgs_.push_back(m);
}

void MessageTrace::finished(std::int64_t id, Fate fate, Nanos now) {
  if (id < 0 || static_cast<std::size_t>(id) >= msgs_.size()) return;
  msgs_[static_cast<std::size_t>(id)].fate = fate;
  msgs_[static_cast<std::size_t>(id)].done = now;
}

void MessageTrace::rebase(Nanos origin) {
  for (auto& m : msgs_) {
    m.sent -= origin;
    m.done -= origin;
  }
}

}  // namespace workbench
