#include "raft/dedup.h"

#include <algorithm>

#include "raft/varint.h"

namespace raft {

Dedup::Above::const_iterator Dedup::find(const Above& above, std::uint64_t seq) {
  return std::lower_bound(above.begin(), above.end(), seq,
                          [](const auto& item, std::uint64_t s) { return item.first < s; });
}

bool Dedup::first_time(std::uint64_t origin, std::uint64_t seq) {
  Window& w = origins_[origin];
  if (seq <= w.floor) return false;
  if (w.above.empty() || seq > w.above.back().first) {
    w.above.emplace_back(seq, std::string());
  } else {
    auto it = find(w.above, seq);
    if (it != w.above.end() && it->first == seq) return false;
    w.above.emplace(it, seq, std::string());
  }
  if (w.above.size() > window_) {
    w.floor = w.above.front().first;
    w.above.pop_front();
  }
  return true;
}

void Dedup::set_result(std::uint64_t origin, std::uint64_t seq, std::string result) {
  auto& above = origins_[origin].above;
  auto it = find(above, seq);
  if (it != above.end() && it->first == seq) {
    above[static_cast<std::size_t>(it - above.begin())].second = std::move(result);
  }
}

Dedup::Seen Dedup::lookup(std::uint64_t origin, std::uint64_t seq, std::string* result) const {
  auto o = origins_.find(origin);
  if (o == origins_.end()) return Seen::kNo;
  if (seq <= o->second.floor) return Seen::kSettled;
  const auto& above = o->second.above;
  auto it = find(above, seq);
  if (it == above.end() || it->first != seq) return Seen::kNo;
  if (result != nullptr) *result = it->second;
  return Seen::kApplied;
}

std::size_t Dedup::size() const {
  std::size_t n = 0;
  for (const auto& [origin, w] : origins_) n += w.above.size();
  return n;
}

void Dedup::encode(std::string& out) const {
  varint::put_u64le(out, origins_.size());
  for (const auto& [origin, w] : origins_) {
    varint::put_u64le(out, origin);
    varint::put_u64le(out, w.floor);
    varint::put_u32le(out, static_cast<std::uint32_t>(w.above.size()));
    // Request numbers are mostly consecutive: gaps take a byte or two.
    std::uint64_t prev = w.floor;
    for (const auto& [seq, result] : w.above) {
      varint::put(out, seq - prev);
      varint::put(out, result.size());
      out += result;
      prev = seq;
    }
  }
}

bool Dedup::decode(std::string_view& in) {
  std::string_view rest = in;
  std::map<std::uint64_t, Window> origins;
  std::uint64_t count = 0;
  if (!varint::get_u64le(rest, count) || count > rest.size() / 20) return false;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t origin = 0;
    Window w;
    std::uint32_t n = 0;
    if (!varint::get_u64le(rest, origin) || !varint::get_u64le(rest, w.floor) ||
        !varint::get_u32le(rest, n) || n > window_) {
      return false;
    }
    std::uint64_t prev = w.floor;
    for (std::uint32_t k = 0; k < n; ++k) {
      std::uint64_t gap = 0;
      std::uint64_t len = 0;
      if (!varint::get(rest, gap) || !varint::get(rest, len) || gap == 0 || prev + gap < prev ||
          len > rest.size()) {
        return false;
      }
      prev += gap;
      w.above.emplace_back(prev, std::string(rest.substr(0, len)));  // ascending: gaps > 0
      rest.remove_prefix(len);
    }
    if (!origins.emplace(origin, std::move(w)).second) return false;  // an origin twice
  }
  origins_ = std::move(origins);
  in = rest;
  return true;
}

}  // namespace raft
