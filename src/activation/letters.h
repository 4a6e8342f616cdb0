// letters.h (activation): the printed activation letter for one guardian, and the PDF of a class's
// letters (four to a page, through pdf::RenderCards). Thread-safety: as pdf::RenderCards.
#pragma once
#include <string>
#include <vector>

#include "core/result.h"

namespace kehou::activation {

struct Letter {
  std::string school, class_name, guardian, student, mobile;  // mobile as printed (masked)
  std::string code, expires;                                  // expires: the last valid day
  std::string url;                                            // the QR code's target
};

Result<std::string> RenderLetters(const std::string& title, const std::vector<Letter>& letters);

}  // namespace kehou::activation
