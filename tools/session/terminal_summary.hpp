// The short human summary of a session, for the terminal.
#pragma once

#include <cstdio>
#include <string>

#include <vector>

#include "analysis/pipeline.hpp"
#include "stride/flag.hpp"
#include "stride/recording_io.hpp"
#include "tools/session/two_feet.hpp"

namespace stride::session {

// `flags`, if given, are printed first, one line each.
void print_summary(std::FILE* out, const std::string& path, const io::Imported& imported, const SessionResult& r,
                   const std::vector<Flag>* flags = nullptr);

// Both feet: the flags, the measured two-feet metrics, left vs right with the symmetry index, then each foot.
void print_two_feet_summary(std::FILE* out, const std::string& label, const io::Imported& left,
                            const io::Imported& right, const TwoFeetResult& r, const ClockAlignment& clock,
                            const std::vector<Flag>& flags);

}  // namespace stride::session
