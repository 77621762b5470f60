// Whole-line output on a file descriptor.
//
// Maelstrom reads a node's stdout line by line; a line that arrives torn, interleaved or
// without its newline breaks the reader for that node for the rest of the test. So output
// bypasses iostreams and stdio buffering entirely: each line is handed to write(2) whole,
// and the remainder of a partial write is written before anything else.
#pragma once

#include <string_view>

namespace maelstrom {

// Writes all of `data` to `fd`, retrying on EINTR and partial writes, and on EAGAIN
// (non-blocking fd) waiting with poll() until the fd drains. Returns false on a permanent
// error such as EPIPE (reader gone); SIGPIPE must be ignored for that to be reported
// instead of killing the process (Node::run() ignores it).
[[nodiscard]] bool write_all(int fd, std::string_view data);

}  // namespace maelstrom
