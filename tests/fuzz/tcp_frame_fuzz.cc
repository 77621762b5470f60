// Fuzz target: the bytes a peer's TCP connection delivers, through the frame reader
// (transport::FrameReader, as every inbound connection uses it) and the peer-message
// decoder (transport/peer_codec.h). The input is cut into reads of varying sizes, as the
// network would deliver it.
//
// Properties: nothing crashes or throws; the reader never returns a frame over its limit;
// once it reports a bad frame it is not asked again (the transport closes the connection);
// whatever payload decodes re-encodes to bytes that decode again to the same encoding.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "transport/peer_codec.h"
#include "transport/tcp_transport.h"

namespace {

constexpr std::size_t kMaxFrame = 4096;

void check_payload(std::string_view payload) {
  const auto decoded = transport::decode_peer_message(payload);
  if (!decoded) return;
  const std::string once = transport::encode_peer_message(*decoded);
  const auto again = transport::decode_peer_message(once);
  fuzz::check(again.has_value(), "an encoded peer message does not decode");
  fuzz::check(transport::encode_peer_message(*again) == once, "peer message encoding is not stable");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  // Every payload alone, as if it had arrived in a frame.
  check_payload(in);
  transport::FrameReader reader(kMaxFrame);
  std::size_t pos = 0;
  std::size_t chunk = 1;
  while (pos < in.size()) {
    const std::size_t n = std::min(chunk, in.size() - pos);
    reader.feed(in.substr(pos, n));
    pos += n;
    chunk = chunk * 3 % 97 + 1;  // reads of varying sizes, a function of the position only
    transport::FrameReader::Frame frame;
    std::string error;
    for (;;) {
      const auto status = reader.next(frame, error);
      if (status == transport::FrameReader::Status::kNeedMore) break;
      if (status == transport::FrameReader::Status::kBad) {
        fuzz::check(!error.empty(), "a bad frame without a reason");
        return 0;
      }
      fuzz::check(frame.payload.size() <= kMaxFrame, "a frame over the limit was accepted");
      check_payload(frame.payload);
    }
  }
  return 0;
}
