// Text that quotes input in a message: bounded, valid UTF-8, nothing a terminal would act on.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace stride {

// How much of the input a message quotes at most (characters).
inline constexpr std::size_t kExcerptChars = 80;

// A piece of input fit to quote in a message: at most max_chars characters, cut on a UTF-8 code-point boundary
// (never inside a `µ` or `°`), then "..." when something was cut. Control characters (C0, DEL, C1) become
// escapes (`\t`, `\n`, `\r`, `\x1B`, `\u009B`) and bytes that are not UTF-8 become `\xFF`; an escape counts as the
// characters it prints. The result is always valid UTF-8 of at most 4 * max_chars + 3 bytes, whatever the input.
std::string excerpt(std::string_view input, std::size_t max_chars = kExcerptChars);

}  // namespace stride
