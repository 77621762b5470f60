#include "kv/command.h"

#include "raft/varint.h"

#include <limits>

namespace kv {

// The format (every replica decodes every command, so this is on the apply path of each
// node; JSON text cost ~1 µs a command, this a few dozen ns):
//
//   operation:  'K' 0x02 ('w' key value | 'c' key from to | 'r' key | 'd' key)
//   result:     empty                   ok without a value (writes, cas)
//               'o' value               ok with a value (reads)
//               'n'                     20, key does not exist
//               'p' value               22, precondition failed; the value found
//               'e' varint code, varint len, text    any other error
// Results are short on purpose: the service keeps each applied command's result in its
// deduplication state, which is part of every snapshot.
//
// where each JSON value is one tag byte and its payload:
//   0x00                  null
//   0x01 varint           an integer >= 0 (Maelstrom's keys and values)
//   0x02 varint n         the integer -(n + 1)
//   0x03 varint len text  anything else, as compact JSON text
// Varints are LEB128: 7 bits a byte, low first, high bit set on all but the last byte.
namespace {

constexpr char kMagic = 'K';
constexpr char kVersion = 0x02;
constexpr char kWrite = 'w';
constexpr char kCas = 'c';
constexpr char kRead = 'r';
constexpr char kDelete = 'd';
constexpr char kOk = 'o';
constexpr char kNoKey = 'n';
constexpr char kPrecondition = 'p';
constexpr char kError = 'e';
enum Tag : unsigned char { kNull = 0, kNonNegative = 1, kNegative = 2, kJsonText = 3 };

namespace varint = raft::varint;  // LEB128, shared with the service's formats

void put_value(std::string& out, const json& v) {
  if (v.is_null()) {
    out.push_back(static_cast<char>(kNull));
  } else if (v.is_number_unsigned()) {
    out.push_back(static_cast<char>(kNonNegative));
    varint::put(out, v.get<std::uint64_t>());
  } else if (v.is_number_integer()) {
    const std::int64_t i = v.get<std::int64_t>();
    if (i >= 0) {
      out.push_back(static_cast<char>(kNonNegative));
      varint::put(out, static_cast<std::uint64_t>(i));
    } else {
      out.push_back(static_cast<char>(kNegative));
      varint::put(out, static_cast<std::uint64_t>(-(i + 1)));
    }
  } else {
    const std::string text = v.dump();
    out.push_back(static_cast<char>(kJsonText));
    varint::put(out, text.size());
    out += text;
  }
}

/// A parser callback that refuses values nested deeper than kMaxValueDepth and notes it.
/// Entries come from peers: a value 100,000 levels deep would overflow the stack when it
/// is later copied or written out (nlohmann::json recurses there; its parser does not).
json::parser_callback_t shallow_only(bool& too_deep) {
  return [&too_deep](int depth, json::parse_event_t event, json&) {
    const bool opens =
        event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
    if (!opens || static_cast<std::size_t>(depth) < kMaxValueDepth) return true;
    too_deep = true;
    return false;
  };
}

/// Reads from a byte string; any read past the end or malformed field makes it fail
/// (and every later read fail too), so decoding checks once at the end.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] bool at_end() const { return pos_ == in_.size(); }

  char byte() {
    if (!ok_ || pos_ >= in_.size()) {
      fail();
      return '\0';
    }
    return in_[pos_++];
  }

  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const auto b = static_cast<unsigned char>(byte());
      if (!ok_) return 0;
      if (shift == 63 && b > 1) break;  // more than 64 bits
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    fail();
    return 0;
  }

  std::string text() {
    const std::uint64_t len = varint();
    if (!ok_ || len > in_.size() - pos_) {
      fail();
      return {};
    }
    std::string s(in_.substr(pos_, len));
    pos_ += len;
    return s;
  }

  json value() {
    switch (static_cast<unsigned char>(byte())) {
      case kNull:
        return nullptr;
      case kNonNegative:
        return varint();
      case kNegative: {
        const std::uint64_t n = varint();
        if (n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) break;
        return -static_cast<std::int64_t>(n) - 1;
      }
      case kJsonText: {
        const std::uint64_t len = varint();
        if (!ok_ || len > in_.size() - pos_) break;
        bool too_deep = false;
        json j = json::parse(in_.substr(pos_, len), shallow_only(too_deep),
                             /*allow_exceptions=*/false);
        pos_ += len;
        if (j.is_discarded() || too_deep) break;
        return j;
      }
      default:
        break;
    }
    fail();
    return nullptr;
  }

 private:
  void fail() { ok_ = false; }

  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

std::string encode_operation(const Operation& op) {
  std::string out;
  out.reserve(16);
  out.push_back(kMagic);
  out.push_back(kVersion);
  switch (op.kind) {
    case Operation::Kind::kWrite:
      out.push_back(kWrite);
      put_value(out, op.key);
      put_value(out, op.value);
      break;
    case Operation::Kind::kCas:
      out.push_back(kCas);
      put_value(out, op.key);
      put_value(out, op.from);
      put_value(out, op.to);
      break;
    case Operation::Kind::kRead:
      out.push_back(kRead);
      put_value(out, op.key);
      break;
    case Operation::Kind::kDelete:
      out.push_back(kDelete);
      put_value(out, op.key);
      break;
  }
  return out;
}

std::optional<Operation> decode_operation(std::string_view bytes) {
  Reader in(bytes);
  if (in.byte() != kMagic || in.byte() != kVersion) return std::nullopt;
  Operation op;
  const char kind = in.byte();
  op.key = in.value();
  if (kind == kWrite) {
    op.kind = Operation::Kind::kWrite;
    op.value = in.value();
  } else if (kind == kCas) {
    op.kind = Operation::Kind::kCas;
    op.from = in.value();
    op.to = in.value();
  } else if (kind == kRead) {
    op.kind = Operation::Kind::kRead;
  } else if (kind == kDelete) {
    op.kind = Operation::Kind::kDelete;
  } else {
    return std::nullopt;
  }
  if (!in.ok() || !in.at_end()) return std::nullopt;
  return op;
}

std::string encode_result(const Result& r) {
  std::string out;
  if (r.ok && r.value.is_null()) return out;
  if (r.ok) {
    out.push_back(kOk);
    put_value(out, r.value);
  } else if (r.code == ErrorCode::kKeyDoesNotExist) {
    out.push_back(kNoKey);
  } else if (r.code == ErrorCode::kPreconditionFailed) {
    out.push_back(kPrecondition);
    put_value(out, r.value);
  } else {
    out.push_back(kError);
    varint::put(out, static_cast<std::uint64_t>(r.code));
    varint::put(out, r.text.size());
    out += r.text;
  }
  return out;
}

std::optional<Result> decode_result(std::string_view bytes) {
  if (bytes.empty()) return Result::success();
  Reader in(bytes);
  Result r;
  switch (in.byte()) {
    case kOk:
      r = Result::success(in.value());
      break;
    case kNoKey:
      r = Result::error(ErrorCode::kKeyDoesNotExist, "key does not exist");
      break;
    case kPrecondition:
      r = Result::precondition_failed(in.value());
      break;
    case kError: {
      const std::uint64_t code = in.varint();
      if (code > 1000) return std::nullopt;
      r = Result::error(static_cast<ErrorCode>(code), in.text());
      break;
    }
    default:
      return std::nullopt;
  }
  if (!in.ok() || !in.at_end()) return std::nullopt;
  return r;
}

Result result_of(const raft::Outcome& outcome) {
  using Status = raft::Outcome::Status;
  switch (outcome.status) {
    case Status::kOk:
      if (std::optional<Result> r = decode_result(outcome.result)) return *r;
      // Every replica runs this code: an unreadable result is a bug, and whether the
      // command took effect is not known from here.
      return Result::error(ErrorCode::kCrash, "the state machine's result is unreadable");
    case Status::kUnavailable:
      return Result::error(ErrorCode::kTemporarilyUnavailable, outcome.error);
    case Status::kTooLarge:
      return Result::error(ErrorCode::kMalformedRequest, outcome.error);
    case Status::kUnknown:
      break;
  }
  return Result::error(ErrorCode::kTimeout, outcome.error);
}

}  // namespace kv
