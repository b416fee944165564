// ChunkedList (analysis/chunked_list.hpp): what the streamed analysis holds its strides and events in until the
// last pass ends. The values come out in order, into a vector of exactly their number.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/chunked_list.hpp"

namespace stride {
namespace {

TEST(ChunkedList, MovesEverythingOutInOrderIntoAnExactVector) {
  ChunkedList<std::string> list(3);  // several chunks, the last one part full
  for (int i = 0; i < 10; ++i) list.push_back("value " + std::to_string(i));
  EXPECT_EQ(list.size(), 10u);
  std::vector<std::string> out;
  list.move_into(out);
  ASSERT_EQ(out.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(out[static_cast<std::size_t>(i)], "value " + std::to_string(i));
  EXPECT_EQ(out.capacity(), 10u) << "reserved to its size: no doubling's spare capacity";
  EXPECT_EQ(list.size(), 0u);
  list.move_into(out);
  EXPECT_EQ(out.size(), 10u) << "an emptied list adds nothing";
}

TEST(ChunkedList, AppendsAfterWhatTheVectorHeld) {
  ChunkedList<int> list(4);
  for (int i = 0; i < 5; ++i) list.push_back(i);
  std::vector<int> out{-2, -1};
  list.move_into(out);
  EXPECT_EQ(out, (std::vector<int>{-2, -1, 0, 1, 2, 3, 4}));
}

}  // namespace
}  // namespace stride
