// dynlib_test.cpp: the one lazy loader — a library that is there resolves its names, one that is
// not is named in Chinese and English with its install hint, a missing name is named.
#include "core/dynlib.h"

#include <gtest/gtest.h>

#include <cstring>

namespace kehou::core {
namespace {

TEST(DynLib, APresentLibraryResolvesItsNames) {
  DynLib libc({{"libc.so.6"}, "C 库", "apt-get install libc6"});
  ASSERT_NE(libc.handle(), nullptr);
  EXPECT_EQ(libc.error(), "");
  EXPECT_EQ(libc.soname(), "libc.so.6");
  auto len = libc.Get<decltype(&std::strlen)>("strlen");
  ASSERT_NE(len, nullptr);
  EXPECT_EQ(len("课后kehou"), std::strlen("课后kehou"));
  EXPECT_EQ(libc.error(), "");
}

TEST(DynLib, AMissingLibraryIsNamedWithItsInstallHint) {
  DynLib missing({{"libkehou-no-such.so.1", "libkehou-no-such.so"}, "测试组件", "apt-get install libkehou-no-such1"});
  EXPECT_EQ(missing.handle(), nullptr);
  EXPECT_EQ(missing.soname(), "libkehou-no-such.so.1");
  const std::string& e = missing.error();
  EXPECT_EQ(e.rfind("测试组件未安装或无法加载（libkehou-no-such.so.1，apt-get install libkehou-no-such1）", 0), 0u)
      << e;
  EXPECT_NE(e.find("/ cannot load libkehou-no-such.so.1: "), std::string::npos) << e;
  EXPECT_EQ(missing.Find("strlen"), nullptr);
  EXPECT_EQ(missing.error(), e);  // the first reason stays
}

TEST(DynLib, TheSonamesAreTriedInOrder) {
  DynLib lib({{"libkehou-no-such.so.1", "libc.so.6"}, "C 库", "apt-get install libc6"});
  ASSERT_NE(lib.handle(), nullptr);
  EXPECT_EQ(lib.soname(), "libc.so.6");
  EXPECT_EQ(lib.error(), "");
}

TEST(DynLib, TheFirstMissingNameIsKept) {
  DynLib libc({{"libc.so.6"}, "C 库", "apt-get install libc6"});
  EXPECT_EQ(libc.Find("kehou_no_such_function"), nullptr);
  EXPECT_EQ(libc.Find("kehou_another_missing_one"), nullptr);
  EXPECT_NE(libc.Find("strlen"), nullptr);
  EXPECT_EQ(libc.error(), "C 库缺少函数 kehou_no_such_function / libc.so.6 lacks kehou_no_such_function");
}

}  // namespace
}  // namespace kehou::core
