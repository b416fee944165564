// The short human summary of a session, for the terminal.
#pragma once

#include <cstdio>
#include <string>

#include "analysis/pipeline.hpp"
#include "stride/recording_io.hpp"

namespace stride::cli {

void print_summary(std::FILE* out, const std::string& path, const io::Imported& imported, const SessionResult& r);

}  // namespace stride::cli
