// The exit codes every front end returns (clig.dev): distinct for bad arguments, bad input and system failures.
// The session and history libraries report failures with them, so the command line can pass them on unchanged.
#pragma once

namespace stride {

enum Exit : int { kOk = 0, kBadInput = 1, kBadArguments = 2, kSystemFailure = 3 };

}  // namespace stride
