// Canonical ids for strings built by appending texts, without building the strings.
//
// A node is either a whole text (a root) or "node p, then text t". Each node carries the
// polynomial hash (mod the Mersenne prime 2^61 - 1) and the length of its string, so the
// hash of p + t follows from p's in O(1). An open-addressing index maps (hash, length) to
// nodes; a candidate with the same (hash, length) is the same string if it was built the same
// way (same p and t) or, failing that, after a character-by-character comparison — so ids are
// exact: equal strings share an id and different strings never do.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lincheck {

class StringPool {
 public:
  static constexpr std::uint32_t kEmpty = 0;  // node of ""
  static constexpr std::uint32_t kNoPrefixes = 0xffffffffu;

  StringPool();

  // Registers a text to append later; returns its text id.
  std::uint32_t add_text(std::string_view text);
  // The canonical node of a whole string.
  std::uint32_t node_of(std::string_view s);
  // The canonical node of string(node) + text(text_id).
  std::uint32_t append(std::uint32_t node, std::uint32_t text_id);
  // The string of a node (walks its ancestry: for reports and verification only).
  std::string str(std::uint32_t node) const;
  std::size_t nodes() const { return nodes_.size(); }

  // A table of the prefix hashes of string(node), for maybe_prefix(); kNoPrefixes when the
  // tables already hold kMaxPrefixBytes (then maybe_prefix answers "maybe").
  std::uint32_t prefix_table(std::uint32_t node);
  // False only if string(node) is certainly not a prefix of the table's string (the hashes
  // of equal strings are equal, so a differing hash proves it); true otherwise.
  bool maybe_prefix(std::uint32_t node, std::uint32_t table) const {
    if (table == kNoPrefixes) return true;
    const std::vector<std::uint64_t>& t = prefix_tables_[table];
    const Node& n = nodes_[node];
    return n.len < t.size() && t[n.len] == n.hash;
  }

 private:
  static constexpr std::uint32_t kRoot = 0xffffffffu;  // parent of a whole-text node
  struct Node {
    std::uint64_t hash;
    std::uint64_t len;
    std::uint32_t parent;  // kRoot: the node is text `text` alone
    std::uint32_t text;
  };
  struct Text {
    std::string s;
    std::uint64_t hash;
    std::uint64_t pow;  // base^len mod p
  };

  static std::uint64_t mulmod(std::uint64_t a, std::uint64_t b);
  static std::uint64_t addmod(std::uint64_t a, std::uint64_t b);
  std::uint32_t find(std::uint64_t hash, std::uint64_t len, std::uint32_t parent, std::uint32_t text,
                     std::string_view whole) const;
  std::uint32_t insert(Node n);
  bool same_string(std::uint32_t node, std::uint32_t parent, std::uint32_t text, std::string_view whole) const;
  std::uint32_t root_text(std::string_view s);

  std::vector<Node> nodes_;
  std::vector<Text> texts_;
  std::unordered_map<std::string, std::uint32_t> text_ids_;
  std::vector<std::uint32_t> index_;  // open addressing: node id + 1, 0 = empty
  static constexpr std::size_t kMaxPrefixBytes = std::size_t{64} << 20;
  std::vector<std::vector<std::uint64_t>> prefix_tables_;  // hash of each prefix, by length
  std::unordered_map<std::uint32_t, std::uint32_t> table_of_node_;
  std::size_t prefix_bytes_ = 0;
};

}  // namespace lincheck
