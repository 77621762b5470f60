// Fuzz target: a peer message body as it reaches kv::decode_peer (and a client request body
// as it reaches kv::decode_client_op), after the transport's checks: JSON nested deeper
// than the transport's limit never gets this far.
//
// Properties: decoding never crashes or throws; whatever decodes, encodes to a body that
// decodes again to the same encoding (decode_peer accepts exactly what encode_peer writes).
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "kv/wire.h"
#include "transport/message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (maelstrom::json_nesting_exceeds(text, maelstrom::kDefaultMaxJsonDepth)) return 0;
  const nlohmann::json body = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return 0;
  const raft::NodeId from{2}, to{1};
  const auto decoded = kv::decode_peer(body, from, to);
  if (const auto* m = std::get_if<kv::PeerMessage>(&decoded)) {
    const nlohmann::json once = kv::encode_peer(*m);
    const auto again = kv::decode_peer(once, from, to);
    const auto* m2 = std::get_if<kv::PeerMessage>(&again);
    fuzz::check(m2 != nullptr, "an encoded peer message does not decode: " + once.dump());
    fuzz::check(kv::encode_peer(*m2) == once, "peer message encoding is not stable: " + once.dump());
  }
  (void)kv::decode_client_op(body);
  return 0;
}
