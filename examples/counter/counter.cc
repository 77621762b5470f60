#include "counter.h"

#include <charconv>
#include <vector>

namespace counter {

namespace {

constexpr std::string_view kSnapshotHeader = "counter-v1\n";

std::optional<std::int64_t> number(std::string_view s) {
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

// Splits at single spaces: "add k 3" -> {"add", "k", "3"}.
std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const std::size_t space = s.find(' ');
    out.push_back(s.substr(0, space));
    if (space == std::string_view::npos) break;
    s.remove_prefix(space + 1);
  }
  return out;
}

}  // namespace

std::optional<Request> parse(std::string_view text) {
  const std::vector<std::string_view> w = words(text);
  if (w.size() == 2 && w[0] == "get" && !w[1].empty()) {
    return Request{Request::Kind::kGet, std::string(w[1]), 0};
  }
  if (w.size() == 3 && w[0] == "add" && !w[1].empty()) {
    if (const auto n = number(w[2])) return Request{Request::Kind::kAdd, std::string(w[1]), *n};
  }
  return std::nullopt;
}

std::string encode(const Request& r) {
  return r.kind == Request::Kind::kGet ? "get " + r.key
                                       : "add " + r.key + " " + std::to_string(r.amount);
}

std::string Counter::apply(std::string_view command) {
  const auto r = parse(command);
  if (!r || r->kind != Request::Kind::kAdd) return "error: not a command: " + std::string(command);
  std::int64_t& value = counters_[r->key];
  // Wrap-around addition, well defined: every replica computes the same bits.
  value = static_cast<std::int64_t>(static_cast<std::uint64_t>(value) +
                                    static_cast<std::uint64_t>(r->amount));
  return std::to_string(value);
}

std::string Counter::query(std::string_view text) const {
  const auto r = parse(text);
  if (!r || r->kind != Request::Kind::kGet) return "error: not a query: " + std::string(text);
  const auto it = counters_.find(r->key);
  return std::to_string(it == counters_.end() ? 0 : it->second);
}

// "counter-v1\n" then one "<key> <value>\n" per counter, in key order.
std::string Counter::snapshot() const {
  std::string out(kSnapshotHeader);
  for (const auto& [key, value] : counters_) out += key + " " + std::to_string(value) + "\n";
  return out;
}

namespace {

// Reads a snapshot into `out`; an error message if it is not one.
std::string load(std::string_view data, std::map<std::string, std::int64_t, std::less<>>& out) {
  if (data.substr(0, kSnapshotHeader.size()) != kSnapshotHeader) {
    return "not a counter-v1 snapshot";
  }
  data.remove_prefix(kSnapshotHeader.size());
  while (!data.empty()) {
    const std::size_t end = data.find('\n');
    if (end == std::string_view::npos) return "truncated counter snapshot";
    const std::vector<std::string_view> w = words(data.substr(0, end));
    const auto value = w.size() == 2 ? number(w[1]) : std::nullopt;
    if (!value || w[0].empty()) return "bad counter snapshot line";
    out[std::string(w[0])] = *value;
    data.remove_prefix(end + 1);
  }
  return {};
}

}  // namespace

std::string Counter::restore(std::string_view data) {
  std::map<std::string, std::int64_t, std::less<>> loaded;
  if (std::string error = load(data, loaded); !error.empty()) return error;
  counters_ = std::move(loaded);  // only once all of it was read: a refusal changes nothing
  return {};
}

std::string MergingCounter::restore(std::string_view data) {
  std::map<std::string, std::int64_t, std::less<>> loaded;
  if (std::string error = load(data, loaded); !error.empty()) return error;
  for (const auto& [key, value] : loaded) counters_[key] += value;  // the bug: no clear()
  return {};
}

}  // namespace counter
