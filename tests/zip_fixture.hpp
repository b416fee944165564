// A folder written into a zip (libzip), as a phone app's export arrives: members named relative to the folder.
#pragma once

#include <gtest/gtest.h>
#include <zip.h>

#include <filesystem>

namespace stride::test {

inline void zip_folder(const std::filesystem::path& folder, const std::filesystem::path& zip_path) {
  int error = 0;
  zip_t* z = zip_open(zip_path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  ASSERT_NE(z, nullptr);
  for (const auto& e : std::filesystem::recursive_directory_iterator(folder)) {
    if (!e.is_regular_file()) continue;
    zip_source_t* src = zip_source_file(z, e.path().c_str(), 0, -1);
    ASSERT_NE(src, nullptr);
    const std::string name = std::filesystem::relative(e.path(), folder).generic_string();
    ASSERT_GE(zip_file_add(z, name.c_str(), src, ZIP_FL_OVERWRITE), 0);
  }
  ASSERT_EQ(zip_close(z), 0);
}

}  // namespace stride::test
