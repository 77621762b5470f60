#include "transport/fd_io.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace maelstrom {

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, -1) < 0 && errno != EINTR) return false;
      continue;
    }
    return false;  // n == 0 on a non-empty write, or a real error (EPIPE, EBADF, ...)
  }
  return true;
}

}  // namespace maelstrom
