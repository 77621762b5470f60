#include "lincheck/string_pool.h"

#include <algorithm>

#include "lincheck/linearized_set.h"  // splitmix64

namespace lincheck {

namespace {
constexpr std::uint64_t kPrime = (std::uint64_t{1} << 61) - 1;
constexpr std::uint64_t kBase = 0x1f3a5c7e9b2d4f61ULL % kPrime;
__extension__ using u128 = unsigned __int128;

std::uint64_t slot_of(std::uint64_t hash, std::uint64_t len) { return splitmix64(hash ^ (len * 0x9e3779b97f4a7c15ULL)); }
}  // namespace

std::uint64_t StringPool::mulmod(std::uint64_t a, std::uint64_t b) {
  const u128 p = static_cast<u128>(a) * b;
  const std::uint64_t lo = static_cast<std::uint64_t>(p & kPrime);
  const std::uint64_t hi = static_cast<std::uint64_t>(p >> 61);
  return addmod(lo, hi);
}

std::uint64_t StringPool::addmod(std::uint64_t a, std::uint64_t b) {
  std::uint64_t s = a + b;  // both < 2^61: no overflow
  return s >= kPrime ? s - kPrime : s;
}

StringPool::StringPool() {
  texts_.push_back({std::string(), 0, 1});
  text_ids_.emplace(std::string(), 0);
  index_.assign(1024, 0);
  insert({0, 0, kRoot, 0});  // node 0: ""
}

std::uint32_t StringPool::add_text(std::string_view text) {
  auto [it, inserted] = text_ids_.try_emplace(std::string(text), static_cast<std::uint32_t>(texts_.size()));
  if (!inserted) return it->second;
  std::uint64_t h = 0, pow = 1;
  for (unsigned char c : text) {
    h = addmod(mulmod(h, kBase), c + 1u);
    pow = mulmod(pow, kBase);
  }
  texts_.push_back({std::string(text), h, pow});
  return it->second;
}

std::uint32_t StringPool::root_text(std::string_view s) { return add_text(s); }

std::uint32_t StringPool::node_of(std::string_view s) {
  const std::uint32_t t = root_text(s);
  const Text& text = texts_[t];
  const std::uint32_t found = find(text.hash, text.s.size(), kRoot, t, text.s);
  return found != kRoot ? found : insert({text.hash, text.s.size(), kRoot, t});
}

std::uint32_t StringPool::append(std::uint32_t node, std::uint32_t text_id) {
  if (text_id == 0) return node;
  const Text& t = texts_[text_id];
  const Node& p = nodes_[node];
  const std::uint64_t h = addmod(mulmod(p.hash, t.pow), t.hash);
  const std::uint64_t len = p.len + t.s.size();
  const std::uint32_t found = find(h, len, node, text_id, {});
  return found != kRoot ? found : insert({h, len, node, text_id});
}

std::uint32_t StringPool::find(std::uint64_t hash, std::uint64_t len, std::uint32_t parent, std::uint32_t text,
                               std::string_view whole) const {
  const std::size_t mask = index_.size() - 1;
  for (std::size_t i = slot_of(hash, len) & mask; index_[i] != 0; i = (i + 1) & mask) {
    const std::uint32_t id = index_[i] - 1;
    const Node& n = nodes_[id];
    if (n.hash != hash || n.len != len) continue;
    if ((n.parent == parent && n.text == text) || same_string(id, parent, text, whole)) return id;
  }
  return kRoot;
}

bool StringPool::same_string(std::uint32_t node, std::uint32_t parent, std::uint32_t text, std::string_view whole) const {
  const std::string a = str(node);
  if (parent == kRoot) return a == whole;
  const std::string& tail = texts_[text].s;
  const std::string head = str(parent);
  return a.size() == head.size() + tail.size() && a.compare(0, head.size(), head) == 0 &&
         a.compare(head.size(), tail.size(), tail) == 0;
}

std::uint32_t StringPool::insert(Node n) {
  if ((nodes_.size() + 1) * 2 > index_.size()) {
    std::vector<std::uint32_t> bigger(index_.size() * 2, 0);
    for (std::uint32_t id = 0; id < nodes_.size(); ++id) {
      std::size_t i = slot_of(nodes_[id].hash, nodes_[id].len) & (bigger.size() - 1);
      while (bigger[i] != 0) i = (i + 1) & (bigger.size() - 1);
      bigger[i] = id + 1;
    }
    index_.swap(bigger);
  }
  const std::uint32_t id = static_cast<std::uint32_t>(nodes_.size());
  nodes_.push_back(n);
  std::size_t i = slot_of(n.hash, n.len) & (index_.size() - 1);
  while (index_[i] != 0) i = (i + 1) & (index_.size() - 1);
  index_[i] = id + 1;
  return id;
}

std::uint32_t StringPool::prefix_table(std::uint32_t node) {
  if (auto it = table_of_node_.find(node); it != table_of_node_.end()) return it->second;
  const std::string s = str(node);
  if (prefix_bytes_ + (s.size() + 1) * sizeof(std::uint64_t) > kMaxPrefixBytes) return kNoPrefixes;
  prefix_bytes_ += (s.size() + 1) * sizeof(std::uint64_t);
  std::vector<std::uint64_t> t(s.size() + 1);
  t[0] = 0;
  for (std::size_t i = 0; i < s.size(); ++i) t[i + 1] = addmod(mulmod(t[i], kBase), static_cast<unsigned char>(s[i]) + 1u);
  const auto id = static_cast<std::uint32_t>(prefix_tables_.size());
  prefix_tables_.push_back(std::move(t));
  table_of_node_.emplace(node, id);
  return id;
}

std::string StringPool::str(std::uint32_t node) const {
  std::vector<std::uint32_t> parts;
  for (std::uint32_t n = node;; n = nodes_[n].parent) {
    parts.push_back(nodes_[n].text);
    if (nodes_[n].parent == kRoot) break;
  }
  std::string out;
  out.reserve(nodes_[node].len);
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) out += texts_[*it].s;
  return out;
}

}  // namespace lincheck
