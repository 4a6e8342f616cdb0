// service_test_fixture.h (select, tests only): the fixture of the select service tests
// (service_test.cpp: seats and families; rounds_test.cpp: rounds, allocation, terms, exits): a
// mini school on each database, a course with a section, a round. One class for both files (gtest
// runs the TEST_Ps of both under one INSTANTIATE, in service_test.cpp).
#pragma once
#include "select/test_base.h"

namespace kehou::select {

class SelectService : public SelectTest {
 protected:
  SelectService() : SelectTest(60) {}
  int64_t Taken(int64_t section) { return Count("SELECT taken FROM sections WHERE id = $1", {section}); }
};

}  // namespace kehou::select
