#include "pdf/cards.h"

#include <qrencode.h>

#include "pdf/internal.h"

namespace kehou::pdf {
namespace {
using namespace internal;  // NOLINT: the shared drawing kit of src/pdf

constexpr double kPageMargin = 28;
constexpr double kCardPad = 16;
constexpr double kHeadingSize = 13;
constexpr double kLineSize = 10.5;
constexpr double kBigSize = 20;
constexpr double kNoteSize = 8.5;
constexpr double kQrSide = 132;     // points (~47 mm): scans from a printed sheet at arm's length
constexpr int kQrQuietModules = 2;  // white border around the code, in modules
constexpr double kGap = 6;

struct QrFree {
  void operator()(QRcode* q) const { QRcode_free(q); }
};

void DrawQr(cairo_t* cr, const QRcode& q, double x, double y, double side) {
  const int n = q.width + 2 * kQrQuietModules;
  const double m = side / n;
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x, y, side, side);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int r = 0; r < q.width; ++r)
    for (int c = 0; c < q.width; ++c)
      if (q.data[r * q.width + c] & 1)
        cairo_rectangle(cr, x + (c + kQrQuietModules) * m, y + (r + kQrQuietModules) * m, m, m);
  cairo_fill(cr);
}

void CutLines(cairo_t* cr, double mid_x, double mid_y) {
  const double dash[] = {4, 3};
  cairo_save(cr);
  cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
  cairo_set_line_width(cr, 0.5);
  cairo_set_dash(cr, dash, 2, 0);
  cairo_move_to(cr, mid_x, kPageMargin / 2);
  cairo_line_to(cr, mid_x, kA4HeightPt - kPageMargin / 2);
  cairo_move_to(cr, kPageMargin / 2, mid_y);
  cairo_line_to(cr, kA4WidthPt - kPageMargin / 2, mid_y);
  cairo_stroke(cr);
  cairo_restore(cr);
}
}  // namespace

Result<RenderedCards> RenderCards(const std::string& title, const std::vector<Card>& cards) {
  if (cards.empty()) return MakeError(kInvalid, "没有需要打印的卡片", "no cards to print", "cards");
  if (!LazyError().empty()) return MakeError(kUnavailable, LazyError(), LazyError());
  std::vector<std::unique_ptr<QRcode, QrFree>> codes;
  for (const auto& c : cards) {
    if (c.qr_payload.empty()) {
      codes.emplace_back(nullptr);
      continue;
    }
    codes.emplace_back(QRcode_encodeString8bit(c.qr_payload.c_str(), 0, QR_ECLEVEL_M));
    if (!codes.back()) return MakeError(kInvalid, "二维码内容过长", "the QR payload is too long", "qr_payload");
  }
  RenderSlot slot(RenderGate());
  if (!slot.entered()) return Busy();
  std::lock_guard lock(RenderMutex());
  RenderedCards out;
  Canvas canvas(out.bytes, title, "");
  if (!canvas.ok()) return Internal("surface");
  cairo_t* cr = canvas.cr();
  Typesetter ts(canvas.context());
  FontPtr heading = Font(kHeadingSize), line = Font(kLineSize), big = Font(kBigSize), note = Font(kNoteSize);
  const double cell_w = (kA4WidthPt - 2 * kPageMargin) / 2, cell_h = (kA4HeightPt - 2 * kPageMargin) / 2;
  const double inner = cell_w - 2 * kCardPad;
  for (size_t i = 0; i < cards.size(); ++i) {
    const size_t slot_on_page = i % kCardsPerPage;
    if (slot_on_page == 0) {
      if (i > 0) cairo_show_page(cr);
      ++out.pages;
      CutLines(cr, kA4WidthPt / 2, kA4HeightPt / 2);
    }
    const double x = kPageMargin + static_cast<double>(slot_on_page % 2) * cell_w + kCardPad;
    double y = kPageMargin + static_cast<double>(slot_on_page / 2) * cell_h + kCardPad;
    const Card& c = cards[i];
    Text h = ts.Make(c.heading, heading.get(), inner, 2);
    Show(cr, h, x, y);
    y += h.height + kGap;
    for (const auto& l : c.lines) {
      Text t = ts.Make(l, line.get(), inner, 2);
      Show(cr, t, x, y);
      y += t.height + 2;
    }
    y += kGap;
    if (codes[i]) {
      DrawQr(cr, *codes[i], x + (inner - kQrSide) / 2, y, kQrSide);
      y += kQrSide + kGap;
    }
    if (!c.big.empty()) {
      Text b = ts.Make(c.big, big.get(), inner, 1, Align::kCenter);
      Show(cr, b, x, y);
      y += b.height + kGap;
    }
    if (!c.footnote.empty()) Show(cr, ts.Make(c.footnote, note.get(), inner, 4), x, y, 0.3);
  }
  if (auto failed = canvas.Finish()) return Internal(failed);
  return out;
}

}  // namespace kehou::pdf
