#include "kv/state_machine.h"

#include <algorithm>
#include <charconv>
#include <vector>

namespace kv {

namespace {
// Compact JSON text, as json::dump() writes it; integers (all Maelstrom sends) without
// dump()'s serializer set-up, which costs more than the rest of applying a command.
std::string text_of(const json& v) {
  char buf[24];
  std::to_chars_result r{};
  if (v.is_number_unsigned()) {
    r = std::to_chars(buf, buf + sizeof buf, v.get<std::uint64_t>());
  } else if (v.is_number_integer()) {
    r = std::to_chars(buf, buf + sizeof buf, v.get<std::int64_t>());
  } else {
    return v.dump();
  }
  return std::string(buf, r.ptr);
}

constexpr std::string_view kSnapshotMagic = "RKVSM";
constexpr std::uint8_t kSnapshotVersion = 1;

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_text(std::string& out, std::string_view s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}
template <class T>
bool get_int(std::string_view& in, T& v) {
  if (in.size() < sizeof(T)) return false;
  v = 0;
  for (std::size_t i = sizeof(T); i-- > 0;) v = (v << 8) | static_cast<unsigned char>(in[i]);
  in.remove_prefix(sizeof(T));
  return true;
}
void put_gap(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
bool get_gap(std::string_view& in, std::uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto b = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}
bool get_text(std::string_view& in, std::string_view& s) {
  std::uint32_t n = 0;
  if (!get_int(in, n) || in.size() < n) return false;
  s = in.substr(0, n);
  in.remove_prefix(n);
  return true;
}
}  // namespace

bool Dedup::first_time(std::uint64_t origin, std::uint64_t seq) {
  Window& w = origins_[origin];
  if (seq <= w.floor) return false;
  if (w.above.empty() || seq > w.above.back().first) {
    w.above.emplace_back(seq, 0);
  } else {
    auto it = std::lower_bound(w.above.begin(), w.above.end(), std::make_pair(seq, std::uint8_t{0}));
    if (it != w.above.end() && it->first == seq) return false;
    w.above.insert(it, {seq, 0});
  }
  if (w.above.size() > window_) {
    w.floor = w.above.front().first;
    w.above.pop_front();
  }
  return true;
}

void Dedup::set_outcome(std::uint64_t origin, std::uint64_t seq, ErrorCode code) {
  auto& above = origins_[origin].above;
  auto it = std::lower_bound(above.begin(), above.end(), std::make_pair(seq, std::uint8_t{0}));
  if (it != above.end() && it->first == seq) it->second = static_cast<std::uint8_t>(code);
}

std::optional<Result> Dedup::outcome(std::uint64_t origin, std::uint64_t seq,
                                     bool& settled) const {
  settled = false;
  auto o = origins_.find(origin);
  if (o == origins_.end()) return std::nullopt;
  if (seq <= o->second.floor) {
    settled = true;
    return std::nullopt;
  }
  const auto& above = o->second.above;
  auto it = std::lower_bound(above.begin(), above.end(), std::make_pair(seq, std::uint8_t{0}));
  if (it == above.end() || it->first != seq) return std::nullopt;
  switch (it->second) {
    case 0: return Result::success();
    case static_cast<std::uint8_t>(ErrorCode::kKeyDoesNotExist):
      return Result::error(ErrorCode::kKeyDoesNotExist, "key does not exist");
    default:
      return Result::error(static_cast<ErrorCode>(it->second),
                           "precondition failed (applied while this node caught up)");
  }
}

std::size_t Dedup::size() const {
  std::size_t n = 0;
  for (const auto& [origin, w] : origins_) n += w.above.size();
  return n;
}

void Dedup::encode(std::string& out) const {
  put_u64(out, origins_.size());
  for (const auto& [origin, w] : origins_) {
    put_u64(out, origin);
    put_u64(out, w.floor);
    put_u32(out, static_cast<std::uint32_t>(w.above.size()));
    // Request numbers are mostly consecutive: gaps take a byte or two.
    std::uint64_t prev = w.floor;
    for (const auto& [seq, code] : w.above) {
      put_gap(out, seq - prev);
      out.push_back(static_cast<char>(code));
      prev = seq;
    }
  }
}

bool Dedup::decode(std::string_view& in) {
  std::map<std::uint64_t, Window> origins;
  std::uint64_t count = 0;
  if (!get_int(in, count) || count > in.size() / 20) return false;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t origin = 0;
    Window w;
    std::uint32_t n = 0;
    if (!get_int(in, origin) || !get_int(in, w.floor) || !get_int(in, n) || n > window_) {
      return false;
    }
    std::uint64_t prev = w.floor;
    for (std::uint32_t k = 0; k < n; ++k) {
      std::uint64_t gap = 0;
      std::uint8_t code = 0;
      if (!get_gap(in, gap) || !get_int(in, code) || gap == 0 || prev + gap < prev) {
        return false;
      }
      prev += gap;
      w.above.emplace_back(prev, code);  // ascending: the gaps are positive
    }
    origins[origin] = std::move(w);
  }
  origins_ = std::move(origins);
  return true;
}

std::optional<Result> StateMachine::apply_once(std::uint64_t origin, std::uint64_t seq,
                                               const Operation& op) {
  if (!dedup_.first_time(origin, seq)) return std::nullopt;
  Result r = apply(op);
  if (!r.ok) dedup_.set_outcome(origin, seq, r.code);
  return r;
}

std::uint64_t StateMachine::fingerprint() const {
  std::uint64_t fp = map_.size();
  for (const auto& [key, value] : map_) {
    const std::uint64_t h = std::hash<std::string>{}(key) * 0x9e3779b97f4a7c15ULL ^
                            std::hash<std::string>{}(value.dump());
    fp += h * 0xbf58476d1ce4e5b9ULL + (h >> 31);  // a sum: independent of the order
  }
  return fp;
}

std::string StateMachine::snapshot() const {
  // Sorted by key text: the bytes depend on the state only, not on the hash map's history.
  std::vector<const std::pair<const std::string, json>*> items;
  items.reserve(map_.size());
  for (const auto& kv : map_) items.push_back(&kv);
  std::sort(items.begin(), items.end(), [](auto* a, auto* b) { return a->first < b->first; });
  std::string out(kSnapshotMagic);
  out.push_back(static_cast<char>(kSnapshotVersion));
  put_u64(out, items.size());
  for (const auto* kv : items) {
    put_text(out, kv->first);
    put_text(out, kv->second.dump());
  }
  dedup_.encode(out);
  return out;
}

std::string StateMachine::restore(std::string_view in) {
  if (in.substr(0, kSnapshotMagic.size()) != kSnapshotMagic || in.size() <= kSnapshotMagic.size()) {
    return "not a kv snapshot";
  }
  in.remove_prefix(kSnapshotMagic.size());
  const auto version = static_cast<std::uint8_t>(in.front());
  in.remove_prefix(1);
  if (version != kSnapshotVersion) {
    return "kv snapshot version " + std::to_string(version) + " is not supported (this build reads " +
           std::to_string(kSnapshotVersion) + ")";
  }
  std::unordered_map<std::string, json> map;
  std::uint64_t count = 0;
  if (!get_int(in, count) || count > in.size() / 8) return "kv snapshot: bad key count";
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string_view key, value;
    if (!get_text(in, key) || !get_text(in, value)) return "kv snapshot: truncated key or value";
    json v = json::parse(value, nullptr, /*allow_exceptions=*/false);
    if (v.is_discarded()) return "kv snapshot: a value is not JSON";
    map.emplace(std::string(key), std::move(v));
  }
  Dedup dedup(dedup_.window());
  if (!dedup.decode(in) || !in.empty()) return "kv snapshot: bad deduplication state";
  map_ = std::move(map);
  dedup_ = std::move(dedup);
  return {};
}

Result StateMachine::read(const json& key) const {
  auto it = map_.find(text_of(key));
  if (it == map_.end()) return Result::error(ErrorCode::kKeyDoesNotExist, "key does not exist");
  return Result::success(it->second);
}

Result StateMachine::apply(const Operation& op) {
  const std::string k = text_of(op.key);
  switch (op.kind) {
    case Operation::Kind::kWrite:
      map_[k] = op.value;  // write creates the key
      return Result::success();
    case Operation::Kind::kCas: {
      auto it = map_.find(k);
      if (it == map_.end()) {
        return Result::error(ErrorCode::kKeyDoesNotExist, "key does not exist");
      }
      if (it->second != op.from) {
        return Result::error(ErrorCode::kPreconditionFailed,
                             "expected " + text_of(op.from) + ", found " + text_of(it->second));
      }
      it->second = op.to;
      return Result::success();
    }
    case Operation::Kind::kRead:
      return read(op.key);
  }
  return Result::error(ErrorCode::kNotSupported, "unknown operation");
}

}  // namespace kv
