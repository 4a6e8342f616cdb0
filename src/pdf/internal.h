// internal.h (pdf): what the pdf documents (table.cpp, cards.cpp) share: one font map and one
// render lock for the process, the admission gate, a PDF canvas (cairo surface + pango context),
// a typesetter for wrapped text, and small drawing helpers. Private to src/pdf.
// Thread-safety: every document is drawn under RenderMutex() (the font map is not thread-safe).
#pragma once
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/result.h"
#include "pdf/lazy.h"  // the library functions as lazily loaded pointers
#include "pdf/table.h"

namespace kehou::pdf::internal {

struct GObjectUnref {
  void operator()(void* p) const {
    if (p) g_object_unref(p);
  }
};
struct FontDescFree {
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
struct SurfaceFree {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoFree {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectUnref>;
using ContextPtr = std::unique_ptr<PangoContext, GObjectUnref>;
using FontPtr = std::unique_ptr<PangoFontDescription, FontDescFree>;

std::mutex& RenderMutex();
InFlightGate& RenderGate();

// Holds a place at the gate for one call.
class RenderSlot {
 public:
  explicit RenderSlot(InFlightGate& g) : gate_(g), entered_(g.TryEnter()) {}
  ~RenderSlot() {
    if (entered_) gate_.Leave();
  }
  RenderSlot(const RenderSlot&) = delete;
  RenderSlot& operator=(const RenderSlot&) = delete;
  bool entered() const { return entered_; }

 private:
  InFlightGate& gate_;
  bool entered_;
};
// kUnavailable (retry in 1 s) when kMaxRendersInFlight documents are being drawn or wait.
Error Busy();

// One font map for the process (used under RenderMutex only); it keeps the fontconfig pattern and
// glyph caches warm between documents.
PangoFontMap* SharedFontMap();
// One weight only: cairo's subsetter reads a font's whole CFF table (15 MB for Noto Sans CJK)
// for every document, so a second weight doubles the cost. Emphasis is size and grey fill.
FontPtr Font(double size);
// Valid UTF-8, with line breaks turned into spaces when one paragraph is wanted.
std::string Clean(std::string_view s, bool one_paragraph);
PangoAlignment ToPango(Align a);

struct Text {
  LayoutPtr layout;
  double width = 0, height = 0;
  bool clipped = false;  // ellipsized after its last allowed line
};

class Typesetter {
 public:
  explicit Typesetter(PangoContext* ctx) : ctx_(ctx) {}
  // A block of text max_width wide, wrapped to at most max_lines lines (0: no limit).
  Text Make(std::string_view s, const PangoFontDescription* font, double max_width, int max_lines,
            Align align = Align::kStart);
  int missing() const { return missing_; }

 private:
  PangoContext* ctx_;
  int missing_ = 0;
};

void Show(cairo_t* cr, const Text& t, double x, double y, double grey = 0);
void Rule(cairo_t* cr, double x0, double x1, double y);

// An A4 PDF (version 1.4) written into `bytes`, with a pango context for CJK text.
class Canvas {
 public:
  Canvas(std::string& bytes, std::string_view title, std::string_view created);
  bool ok() const { return ok_; }
  cairo_t* cr() const { return cr_.get(); }
  PangoContext* context() const { return ctx_.get(); }
  // Ends the document; the cairo error text when it failed, else nullptr.
  const char* Finish();

 private:
  std::unique_ptr<cairo_surface_t, SurfaceFree> surface_;
  std::unique_ptr<cairo_t, CairoFree> cr_;
  ContextPtr ctx_;
  bool ok_ = false;
};

Error Internal(const char* what);

}  // namespace kehou::pdf::internal
