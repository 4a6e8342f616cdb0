// cards.h (pdf): printable cards, four to an A4 page with dashed cutting lines, each with a QR
// code (libqrencode) — activation letters for guardians, and later pickup cards. A card: a heading,
// a few lines of text, the QR code of a payload, a large code under it and a footnote.
// Thread-safety: as RenderTable (serialised by the process-wide render lock, gated).
#pragma once
#include <string>
#include <vector>

#include "core/result.h"

namespace kehou::pdf {

inline constexpr int kCardsPerPage = 4;  // 2 x 2 on A4

struct Card {
  std::string heading;             // e.g. the school and class
  std::vector<std::string> lines;  // e.g. guardian, child, mobile
  std::string qr_payload;          // encoded as a QR code (level M); empty: no QR code
  std::string big;                 // e.g. the code, large under the QR code
  std::string footnote;            // e.g. how to use it, until when
};

struct RenderedCards {
  std::string bytes;  // the PDF file
  int pages = 0;
};

// kInvalid for no cards or a payload too long for a QR code; kUnavailable when busy.
Result<RenderedCards> RenderCards(const std::string& title, const std::vector<Card>& cards);

}  // namespace kehou::pdf
