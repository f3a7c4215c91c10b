// SIGINT/SIGTERM ask a running command to stop: no new replications start,
// finished ones are committed, and the file is closed before exiting.
#pragma once

#include <atomic>

namespace wfsim::cli {

void install_stop_handlers();
const std::atomic<bool>& stop_requested();
// 130 after SIGINT, 143 after SIGTERM (128 + signal number).
int interrupted_exit_code();

}  // namespace wfsim::cli
