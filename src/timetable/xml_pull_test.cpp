#include "timetable/xml_pull.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kehou::timetable {
namespace {

// The names of the records of the root's one list, each read whole, with one field's text.
std::vector<std::string> Records(std::string_view xml, const char* field, std::string* error = nullptr) {
  XmlPull x(xml);
  XmlTree t;
  std::vector<std::string> out;
  if (x.NextElement() && x.NextElement()) {  // root, then its list
    while (x.NextElement()) {
      if (!x.ReadTree(t)) break;
      out.push_back(std::string(t.root().name()) + "=" + std::string(t.root().child(field).text()));
    }
  }
  while (x.ok() && x.NextElement()) x.Skip();
  if (error) *error = x.error();
  return out;
}

TEST(XmlPull, ReadsRecordsWithEntitiesCdataCommentsAndEmptyElements) {
  const char* xml =
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE fet>\n"
      "<fet version=\"6.8.5\" note='a > b'><!-- a comment with <tags> -->\n<List>\n"
      "  <Rec><Name>Art &amp; Craft &#x4E2D;&#25991;</Name></Rec>\n"
      "  <Rec kind=\"x\"><Name><![CDATA[<raw> & text]]></Name><Other/></Rec>\n"
      "  <Rec><Name/></Rec>\r\n  <Rec><Name>line\r\nbreak</Name></Rec>\n"
      "</List></fet>\n";
  std::string error;
  EXPECT_EQ(Records(xml, "Name", &error),
            (std::vector<std::string>{"Rec=Art & Craft 中文", "Rec=<raw> & text", "Rec=", "Rec=line\nbreak"}));
  EXPECT_EQ(error, "");
}

TEST(XmlPull, ATreeGivesChildrenInOrderAndSkipKeepsThePlace) {
  const std::string xml =
      "<r><Year><Name>G1</Name><Group><Name>A</Name></Group><Skip><Group>no</Group></Skip>"
      "<Group><Name>B</Name></Group></Year><After>yes</After></r>";
  XmlPull x(xml);
  XmlTree t;
  ASSERT_TRUE(x.NextElement());
  ASSERT_TRUE(x.NextElement());
  EXPECT_EQ(x.element_begin(), 3u);
  ASSERT_TRUE(x.ReadTree(t));
  std::vector<std::string> groups;
  for (auto g : Children(t.root(), "Group")) groups.emplace_back(g.child("Name").text());
  EXPECT_EQ(groups, (std::vector<std::string>{"A", "B"}));  // direct children only
  EXPECT_FALSE(t.root().child("Missing"));
  EXPECT_EQ(t.root().child("Missing").text(), "");
  ASSERT_TRUE(x.NextElement());
  EXPECT_EQ(x.name(), "After");
  EXPECT_EQ(x.Skip(), xml.size() - 4);  // just past </After>
  EXPECT_FALSE(x.NextElement());        // </r>
  EXPECT_FALSE(x.NextElement());        // the end
  EXPECT_TRUE(x.ok());
}

TEST(XmlPull, RefusesBrokenTextNamingTheLine) {
  std::string error;
  Records("<fet><List>\n<Rec><Name>x</Rec>\n</List></fet>", "Name", &error);
  EXPECT_EQ(error, "line 2: end tag </Rec> does not match <Name>");
  Records("<fet><List>\n<Rec><Name>x</Name></Rec>", "Name", &error);
  EXPECT_EQ(error, "line 2: the document ends inside <List>");
  Records("<fet><List><Rec><Name>a &bogus; b</Name></Rec></List></fet>", "Name", &error);
  EXPECT_NE(error.find("bad entity"), std::string::npos);
  Records("<fet><List><Rec><!-- open</Rec></List></fet>", "Name", &error);
  EXPECT_NE(error.find("unterminated"), std::string::npos);
  Records("<fet><List><Rec x=\"1></Rec></List></fet>", "Name", &error);
  EXPECT_NE(error.find("unterminated start tag"), std::string::npos);
  Records(std::string("\xFF\xFE<\0f\0e\0t\0>\0", 12), "Name", &error);
  EXPECT_NE(error.find("UTF-8"), std::string::npos);
}

TEST(XmlPull, NumbersAllowBlanksAndFallBack) {
  EXPECT_EQ(AsInt(" 42\n"), 42);
  EXPECT_EQ(AsInt("-7"), -7);
  EXPECT_EQ(AsInt("", 30000), 30000);
  EXPECT_EQ(AsInt("x", 5), 5);
  EXPECT_EQ(AsLong("1234567890123"), 1234567890123LL);
  EXPECT_DOUBLE_EQ(AsDouble("95.5"), 95.5);
  EXPECT_DOUBLE_EQ(AsDouble("", 100), 100);
}

}  // namespace
}  // namespace kehou::timetable
