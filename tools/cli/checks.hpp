// Range checks for numeric options with a one-line message (CLI11's own print the range's limits in full, e.g.
// a 300-digit DBL_MAX), and the unknown-option check that says what was probably meant.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace stride::cli {

// value > 0 (a rate, a range, a duration).
CLI::Validator positive();
// value >= 0.
CLI::Validator non_negative();
// lo <= value <= hi.
CLI::Validator between(double lo, double hi);

// --acc-unit, --gyr-unit, --time-unit: the spellings every command takes ("auto": declared or detected).
CLI::Validator acc_unit();   // auto | g | m/s^2 | mg
CLI::Validator gyr_unit();   // auto | deg/s | dps | rad/s | mdps
CLI::Validator time_unit();  // auto | s | ms | us | ns
// --format: auto or a registered format (`stride formats`); an unknown name lists them all.
CLI::Validator format_name();

// An input the command will read: a file (existing_file) or a file or folder (existing_path). When it cannot be
// used, the message gives the system's reason for this path ("Permission denied", "Not a directory", "No such file
// or directory"), where CLI11's own checks said "does not exist" for all of them.
CLI::Validator existing_file();
CLI::Validator existing_path();

// The first "--name" in args (the chosen subcommand's, args[0] is the verb) that the subcommand does not know,
// with the closest known option if one is near ("unknown option --jsn (did you mean --json?)"); "" if none.
std::string unknown_option(const CLI::App& sub, const std::vector<std::string>& args);

}  // namespace stride::cli
