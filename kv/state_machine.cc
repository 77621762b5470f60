#include "kv/state_machine.h"

#include "kv/command.h"
#include "raft/varint.h"

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
constexpr std::uint8_t kSnapshotVersion = 2;

using raft::varint::get_le;  // little-endian integers, shared with the service's formats
using raft::varint::put_u32le;
using raft::varint::put_u64le;
void put_text(std::string& out, std::string_view s) {
  put_u32le(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}
bool get_text(std::string_view& in, std::string_view& s) {
  std::uint32_t n = 0;
  if (!get_le(in, n) || in.size() < n) return false;
  s = in.substr(0, n);
  in.remove_prefix(n);
  return true;
}
}  // namespace

// Every replica builds this for every failed cas: text_of, not dump().
Result Result::precondition_failed(json found) {
  std::string text = "found " + text_of(found);
  return Result{false, std::move(found), ErrorCode::kPreconditionFailed, std::move(text)};
}

std::string StateMachine::apply(std::string_view command) {
  const std::optional<Operation> op = decode_operation(command);
  if (!op || op->kind == Operation::Kind::kRead) {
    // Deterministic on every replica: the same bytes get the same answer everywhere.
    return encode_result(Result::error(ErrorCode::kMalformedRequest, "not a kv write or cas"));
  }
  return encode_result(apply(*op));
}

std::string StateMachine::query(std::string_view query) const {
  const std::optional<Operation> op = decode_operation(query);
  if (!op || op->kind != Operation::Kind::kRead) {
    return encode_result(Result::error(ErrorCode::kMalformedRequest, "not a kv read"));
  }
  return encode_result(read(op->key));
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
  put_u64le(out, items.size());
  for (const auto* kv : items) {
    put_text(out, kv->first);
    put_text(out, kv->second.dump());
  }
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
  if (!get_le(in, count) || count > in.size() / 8) return "kv snapshot: bad key count";
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string_view key, value;
    if (!get_text(in, key) || !get_text(in, value)) return "kv snapshot: truncated key or value";
    json v = json::parse(value, nullptr, /*allow_exceptions=*/false);
    if (v.is_discarded()) return "kv snapshot: a value is not JSON";
    map.emplace(std::string(key), std::move(v));
  }
  if (!in.empty()) return "kv snapshot: bytes after the last key";
  map_ = std::move(map);
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
        return Result::precondition_failed(it->second);
      }
      it->second = op.to;
      return Result::success();
    }
    case Operation::Kind::kDelete:
      if (map_.erase(k) == 0) return Result::error(ErrorCode::kKeyDoesNotExist, "key does not exist");
      return Result::success();
    case Operation::Kind::kRead:
      return read(op.key);
  }
  return Result::error(ErrorCode::kNotSupported, "unknown operation");
}

}  // namespace kv
