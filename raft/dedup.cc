#include "raft/dedup.h"

#include <algorithm>
#include <vector>

#include "raft/varint.h"

namespace raft {

Dedup::Above::const_iterator Dedup::find(const Above& above, std::uint64_t seq) {
  return std::lower_bound(above.begin(), above.end(), seq,
                          [](const auto& item, std::uint64_t s) { return item.first < s; });
}

Dedup::Window& Dedup::window_of(std::uint64_t origin) {
  auto it = std::lower_bound(origins_.begin(), origins_.end(), origin,
                             [](const auto& o, std::uint64_t id) { return o.first < id; });
  if (it == origins_.end() || it->first != origin) it = origins_.emplace(it, origin, Window{});
  return it->second;
}

const Dedup::Window* Dedup::find_window(std::uint64_t origin) const {
  auto it = std::lower_bound(origins_.begin(), origins_.end(), origin,
                             [](const auto& o, std::uint64_t id) { return o.first < id; });
  return it == origins_.end() || it->first != origin ? nullptr : &it->second;
}

bool Dedup::first_time(std::uint64_t origin, std::uint64_t seq) {
  Window& w = window_of(origin);
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
  auto& above = window_of(origin).above;
  if (!above.empty() && above.back().first == seq) {  // the common case: just appended
    above.back().second = std::move(result);
    return;
  }
  auto it = find(above, seq);
  if (it != above.end() && it->first == seq) {
    above[static_cast<std::size_t>(it - above.begin())].second = std::move(result);
  }
}

Dedup::Seen Dedup::lookup(std::uint64_t origin, std::uint64_t seq, std::string* result) const {
  const Window* w = find_window(origin);
  if (w == nullptr) return Seen::kNo;
  if (seq <= w->floor) return Seen::kSettled;
  const auto& above = w->above;
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

// Every snapshot encodes the whole state (the simulator takes one every 16 entries on every
// node), so this writes through a pointer into space reserved up front rather than byte
// by byte through push_back.
void Dedup::encode(std::string& out) const {
  std::size_t bytes = 8;  // exactly: resize() zero-fills what it adds
  for (const auto& [origin, w] : origins_) {
    bytes += 20;
    std::uint64_t prev = w.floor;
    for (const auto& [seq, result] : w.above) {
      bytes += varint::size(seq - prev) + varint::size(result.size()) + result.size();
      prev = seq;
    }
  }
  const std::size_t start = out.size();
  out.resize(start + bytes);
  char* p = out.data() + start;
  p = varint::write_le<std::uint64_t>(p, origins_.size());
  for (const auto& [origin, w] : origins_) {
    p = varint::write_le<std::uint64_t>(p, origin);
    p = varint::write_le<std::uint64_t>(p, w.floor);
    p = varint::write_le<std::uint32_t>(p, static_cast<std::uint32_t>(w.above.size()));
    // Request numbers are mostly consecutive: gaps take a byte or two.
    std::uint64_t prev = w.floor;
    for (const auto& [seq, result] : w.above) {
      p = varint::write(p, seq - prev);
      p = varint::write(p, result.size());
      if (!result.empty()) p = std::copy(result.begin(), result.end(), p);
      prev = seq;
    }
  }
}

bool Dedup::decode(std::string_view& in) {
  std::string_view rest = in;
  std::vector<std::pair<std::uint64_t, Window>> origins;
  std::uint64_t count = 0;
  if (!varint::get_u64le(rest, count) || count > rest.size() / 20) return false;
  origins.reserve(count);
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
    if (!origins.empty() && origin <= origins.back().first) return false;  // not ascending
    origins.emplace_back(origin, std::move(w));
  }
  origins_ = std::move(origins);
  in = rest;
  return true;
}

}  // namespace raft
