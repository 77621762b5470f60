// Node::run(): the real single-threaded event loop over a file descriptor (stdin).
//
// One poll() per iteration, with the next timer deadline as its timeout, so the loop sleeps
// exactly until there is input or a timer is due. Everything protocol-related happens in
// Node's receive_* / run_due_timers, which tests drive without any file descriptor.
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <csignal>
#include <cstring>
#include <vector>

#include <spdlog/spdlog.h>

#include "transport/logging.h"
#include "transport/node_impl.h"

namespace maelstrom {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;

// poll()'s timeout in ms for the next deadline: -1 (forever) without timers, rounded up so
// the loop does not spin waking a fraction of a millisecond early.
int poll_timeout_ms(std::optional<TimePoint> deadline, TimePoint now) {
  if (!deadline) return -1;
  if (*deadline <= now) return 0;
  const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*deadline - now).count();
  return wait > INT_MAX ? INT_MAX : static_cast<int>(wait);
}

enum class ReadOutcome { more, eof, failed };

ReadOutcome read_once(int fd, std::vector<char>& buffer, Node& node) {
  const ssize_t n = ::read(fd, buffer.data(), buffer.size());
  if (n > 0) {
    node.receive_bytes(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    return ReadOutcome::more;
  }
  if (n == 0) return ReadOutcome::eof;
  if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) return ReadOutcome::more;
  spdlog::error("reading input failed: {}", std::strerror(errno));
  return ReadOutcome::failed;
}

}  // namespace

int Node::run() { return run(STDIN_FILENO); }

int Node::run(int input_fd) {
  ensure_stderr_logging();
  // A closed stdout must surface as EPIPE from write(2), not kill the process silently.
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<char> buffer(kReadChunk);
  for (;;) {
    run_due_timers();
    if (impl_->output_failed) return 1;
    pollfd p{input_fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, poll_timeout_ms(next_deadline(), now()));
    if (ready < 0) {
      if (errno == EINTR) continue;
      spdlog::error("poll failed: {}", std::strerror(errno));
      return 1;
    }
    if (ready == 0) continue;  // a timer is due
    if ((p.revents & POLLNVAL) != 0) {
      spdlog::error("input fd {} is not open", input_fd);
      return 1;
    }
    // POLLHUP/POLLERR: read() reports what happened (remaining data, EOF or the error).
    const ReadOutcome outcome = read_once(input_fd, buffer, *this);
    if (outcome == ReadOutcome::eof) {
      receive_eof();
      spdlog::info("end of input; exiting");
      return impl_->output_failed ? 1 : 0;
    }
    if (outcome == ReadOutcome::failed) {
      receive_eof();
      return 1;
    }
  }
}

}  // namespace maelstrom
