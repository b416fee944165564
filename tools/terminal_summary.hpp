// The short human summary of a session, for the terminal.
#pragma once

#include <cstdio>
#include <string>

#include <vector>

#include "analysis/pipeline.hpp"
#include "stride/flag.hpp"
#include "stride/recording_io.hpp"

namespace stride::cli {

// `flags`, if given, are printed first, one line each.
void print_summary(std::FILE* out, const std::string& path, const io::Imported& imported, const SessionResult& r,
                   const std::vector<Flag>* flags = nullptr);

}  // namespace stride::cli
