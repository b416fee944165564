// Text that leaves the program is valid UTF-8, and text shown on a terminal cannot drive it. Files arrive in any
// encoding (a Latin-1 athlete name in a metadata line, a glitched byte in a skipped row, an Excel export): valid
// UTF-8 is kept as it is; every byte that is not part of a valid sequence is read as Windows-1252 (a superset of
// Latin-1's printable range, what such files nearly always are) and re-encoded, so nothing is dropped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace stride::utf8 {

bool is_valid(std::string_view s);

// `s` with every byte outside a valid UTF-8 sequence decoded as Windows-1252 (undefined code points as U+FFFD).
std::string to_valid(std::string_view s);

// The longest prefix of `s` of at most `max_bytes` that does not cut a UTF-8 sequence.
std::string_view cut(std::string_view s, std::size_t max_bytes);

// For a terminal: valid UTF-8 (as to_valid) with control characters (C0, DEL, C1; ESC among them) written as
// \xNN, so a name cannot move the cursor, recolour the screen or set the window title.
std::string printable(std::string_view s);

// How much of the input a message quotes at most (characters).
inline constexpr std::size_t kExcerptChars = 80;

// A piece of input to quote in a message (a cell, a header, a line): as printable, but at most max_chars
// characters, cut between characters (never inside a `µ` or `°`), then "..." when something was cut. An escape
// counts as the 4 characters it prints. Reads only as much of the input as it shows: bounded output (at most
// 4 * max_chars + 3 bytes) and time, however long the input.
std::string excerpt(std::string_view s, std::size_t max_chars = kExcerptChars);

}  // namespace stride::utf8
