// Fuzz target: the bytes of a log entry as every replica reads them -- raft::Service's
// envelope (origin, seq) around kv's operation encoding -- and kv's result encoding. Entries
// arrive from peers, so any bytes are possible.
//
// Properties: decoding never crashes; a decoded envelope or operation encodes to bytes that
// decode to the same thing (JSON fields compared as JSON); kv::StateMachine::apply answers any
// bytes with a readable result and never throws.
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "kv/command.h"
#include "raft/replicated_state.h"

namespace {

bool same(const kv::Operation& a, const kv::Operation& b) {
  return a.kind == b.kind && a.key == b.key && a.value == b.value && a.from == b.from &&
         a.to == b.to;
}

void check_operation(std::string_view bytes) {
  const auto op = kv::decode_operation(bytes);
  if (!op) return;
  const auto back = kv::decode_operation(kv::encode_operation(*op));
  fuzz::check(back.has_value(), "an encoded operation does not decode");
  // A float that JSON cannot write (an overflow parsed as infinity) is written as null: compare
  // from the second round, where every value is one JSON can write.
  const auto again = kv::decode_operation(kv::encode_operation(*back));
  fuzz::check(again.has_value() && same(*back, *again), "operation encoding is not stable");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (const auto c = raft::decode_client_command(bytes)) {
    const std::string encoded = raft::encode_client_command(c->origin, c->seq, c->payload);
    const auto back = raft::decode_client_command(encoded);
    fuzz::check(back && back->origin == c->origin && back->seq == c->seq &&
                    back->payload == c->payload,
                "envelope encoding is not stable");
    check_operation(c->payload);
    kv::StateMachine machine;
    fuzz::check(kv::decode_result(machine.apply(c->payload)).has_value(),
                "the state machine answered with an unreadable result");
  }
  check_operation(bytes);
  if (const auto r = kv::decode_result(bytes)) {
    fuzz::check(kv::decode_result(kv::encode_result(*r)).has_value(),
                "an encoded result does not decode");
  }
  return 0;
}
