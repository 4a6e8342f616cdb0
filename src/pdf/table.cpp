#include "pdf/table.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <mutex>

namespace kehou::pdf {
namespace {

// Page geometry and type sizes, in points (1/72 inch).
constexpr double kMargin = 40;           // ~14 mm on every side
constexpr double kRunningBand = 22;      // running header: text, then a rule, then the body
constexpr double kFooterBand = 22;       // footer: a rule, then the text
constexpr double kSmallSize = 8;         // running header and footer
constexpr double kTitleSize = 16;
constexpr double kSubtitleSize = 10;
constexpr double kBodySize = 10;         // header row and cells
constexpr double kTitleGap = 6;          // between the title and the subtitles
constexpr double kTableGap = 10;         // between the title block and the table
constexpr double kCellPadX = 4;
constexpr double kCellPadY = 4;
constexpr double kRuleWidth = 0.5;
constexpr double kHeaderFill = 0.90;     // grey of the header row
constexpr double kStripeFill = 0.965;    // grey of every second row
constexpr double kRuleGrey = 0.45;
constexpr double kFaintGrey = 0.35;      // running header and footer text
constexpr int kTitleMaxLines = 2;

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

std::mutex& RenderMutex() {
  static std::mutex m;
  return m;
}

InFlightGate& RenderGate() {
  static InFlightGate gate(kMaxRendersInFlight);
  return gate;
}

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

// One font map for the process (used under RenderMutex only); it keeps the fontconfig
// pattern and glyph caches warm between documents.
PangoFontMap* SharedFontMap() {
  static PangoFontMap* map = pango_cairo_font_map_new();
  return map;
}

// One weight only: cairo's subsetter reads a font's whole CFF table (15 MB for Noto Sans CJK)
// for every document, so a second weight doubles the cost. Emphasis is size and grey fill.
FontPtr Font(double size) {
  FontPtr f(pango_font_description_new());
  pango_font_description_set_family(f.get(), kFontFamily);
  pango_font_description_set_absolute_size(f.get(), size * PANGO_SCALE);
  pango_font_description_set_weight(f.get(), PANGO_WEIGHT_NORMAL);
  return f;
}

// Valid UTF-8 with line breaks turned into spaces when one paragraph is wanted (pango's line
// limit counts per paragraph).
std::string Clean(std::string_view s, bool one_paragraph) {
  gchar* valid = g_utf8_make_valid(s.data(), static_cast<gssize>(s.size()));
  std::string out(valid);
  g_free(valid);
  if (one_paragraph) std::replace_if(out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return out;
}

PangoAlignment ToPango(Align a) {
  switch (a) {
    case Align::kCenter: return PANGO_ALIGN_CENTER;
    case Align::kEnd: return PANGO_ALIGN_RIGHT;
    case Align::kStart: break;
  }
  return PANGO_ALIGN_LEFT;
}

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
            Align align = Align::kStart) {
    LayoutPtr l(pango_layout_new(ctx_));
    std::string text = Clean(s, max_lines > 0);
    pango_layout_set_text(l.get(), text.c_str(), static_cast<int>(text.size()));
    pango_layout_set_font_description(l.get(), font);
    pango_layout_set_width(l.get(), pango_units_from_double(max_width));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l.get(), ToPango(align));
    if (max_lines > 0) {
      pango_layout_set_ellipsize(l.get(), PANGO_ELLIPSIZE_END);
      pango_layout_set_height(l.get(), -max_lines);
    }
    int w = 0, h = 0;
    pango_layout_get_size(l.get(), &w, &h);
    missing_ += pango_layout_get_unknown_glyphs_count(l.get());
    bool clipped = pango_layout_is_ellipsized(l.get()) != 0;
    return Text{std::move(l), pango_units_to_double(w), pango_units_to_double(h), clipped};
  }
  int missing() const { return missing_; }

 private:
  PangoContext* ctx_;
  int missing_ = 0;
};

void Show(cairo_t* cr, const Text& t, double x, double y, double grey = 0) {
  cairo_set_source_rgb(cr, grey, grey, grey);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, t.layout.get());
}

void Rule(cairo_t* cr, double x0, double x1, double y) {
  cairo_set_source_rgb(cr, kRuleGrey, kRuleGrey, kRuleGrey);
  cairo_set_line_width(cr, kRuleWidth);
  cairo_move_to(cr, x0, y);
  cairo_line_to(cr, x1, y);
  cairo_stroke(cr);
}

// One table row: its cells (one spanning cell for the empty row) and its height.
struct Row {
  std::vector<Text> cells;
  double height = 0;
};

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

Error Internal(const char* what) {
  return MakeError(kInternal, "生成 PDF 文件失败", std::string("could not build the PDF file: ") + what);
}

}  // namespace

bool InFlightGate::TryEnter() {
  int n = in_flight_.load();
  while (n < limit_)
    if (in_flight_.compare_exchange_weak(n, n + 1)) return true;
  return false;
}

void InFlightGate::Leave() { in_flight_.fetch_sub(1); }

std::string PageLabel(int page, int pages) {
  return "第 " + std::to_string(page) + " 页 / 共 " + std::to_string(pages) + " 页";
}

Result<RenderedPdf> RenderTable(const TableDocument& doc) {
  if (doc.columns.empty()) return MakeError(kInvalid, "表格没有列", "the table has no columns", "columns");
  for (size_t i = 0; i < doc.rows.size(); ++i)
    if (doc.rows[i].size() != doc.columns.size())
      return MakeError(kInvalid, "第 " + std::to_string(i + 1) + " 行的单元格数与列数不符",
                       "row " + std::to_string(i + 1) + " does not have one cell per column", "rows");
  double total_weight = 0;
  for (const auto& c : doc.columns) total_weight += std::max(c.weight, 0.0);
  if (total_weight <= 0) return MakeError(kInvalid, "列宽无效", "column weights must be positive", "columns");

  RenderSlot slot(RenderGate());
  if (!slot.entered()) {
    Error busy = MakeError(kUnavailable, "正在生成其他文件，请稍后重试", "busy rendering other PDF files; retry shortly");
    busy.retry_after = 1;
    return busy;
  }
  std::lock_guard lock(RenderMutex());
  RenderedPdf out;
  std::unique_ptr<cairo_surface_t, SurfaceFree> surface(
      cairo_pdf_surface_create_for_stream(Append, &out.bytes, kA4WidthPt, kA4HeightPt));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) return Internal("surface");
  cairo_pdf_surface_restrict_to_version(surface.get(), CAIRO_PDF_VERSION_1_4);  // no object streams
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, Clean(doc.title, true).c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Kehou");
  if (!doc.created.empty())
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, doc.created.c_str());
  std::unique_ptr<cairo_t, CairoFree> cr_owner(cairo_create(surface.get()));
  cairo_t* cr = cr_owner.get();

  ContextPtr ctx(pango_font_map_create_context(SharedFontMap()));
  pango_cairo_update_context(cr, ctx.get());
  pango_context_set_language(ctx.get(), pango_language_from_string("zh-cn"));
  cairo_font_options_t* fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);  // positions as designed, not snapped
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(ctx.get(), fo);
  cairo_font_options_destroy(fo);
  Typesetter ts(ctx.get());

  const double left = kMargin, right = kA4WidthPt - kMargin, width = right - left;
  FontPtr small = Font(kSmallSize), title_font = Font(kTitleSize), sub_font = Font(kSubtitleSize),
          body = Font(kBodySize);

  // ---- measure: title block, header row, rows.
  Text title = ts.Make(doc.title, title_font.get(), width, kTitleMaxLines);
  std::vector<Text> subtitles;
  double title_block = title.height;
  for (const auto& s : doc.subtitles) {
    subtitles.push_back(ts.Make(s, sub_font.get(), width, kMaxCellLines));
    title_block += (subtitles.size() == 1 ? kTitleGap : 0) + subtitles.back().height;
  }
  title_block += kTableGap;

  std::vector<double> col_x, col_w;
  double x = left;
  for (const auto& c : doc.columns) {
    double w = width * std::max(c.weight, 0.0) / total_weight;
    col_x.push_back(x);
    col_w.push_back(w);
    x += w;
  }
  auto make_row = [&](const std::vector<std::string>& cells, const PangoFontDescription* font) {
    Row r;
    for (size_t i = 0; i < cells.size(); ++i) {
      r.cells.push_back(ts.Make(cells[i], font, col_w[i] - 2 * kCellPadX, kMaxCellLines, doc.columns[i].align));
      r.height = std::max(r.height, r.cells.back().height);
      if (r.cells.back().clipped) ++out.clipped_cells;
    }
    r.height += 2 * kCellPadY;
    return r;
  };
  std::vector<std::string> headers;
  for (const auto& c : doc.columns) headers.push_back(c.header);
  Row header = make_row(headers, body.get());
  std::vector<Row> rows;
  for (const auto& r : doc.rows) rows.push_back(make_row(r, body.get()));
  const bool empty = rows.empty();
  if (empty) {
    Row r;
    r.cells.push_back(ts.Make(doc.empty_text, body.get(), width - 2 * kCellPadX, kMaxCellLines, Align::kCenter));
    r.height = r.cells.back().height + 2 * kCellPadY;
    rows.push_back(std::move(r));
  }

  // ---- paginate: as many whole rows as fit under the repeated header row (at least one).
  const double body_top = kMargin + kRunningBand;
  const double body_bottom = kA4HeightPt - kMargin - kFooterBand;
  std::vector<std::pair<size_t, size_t>> pages;
  for (size_t i = 0; i < rows.size() || pages.empty();) {
    double y = (pages.empty() ? body_top + title_block : body_top) + header.height;
    size_t start = i;
    while (i < rows.size() && (i == start || y + rows[i].height <= body_bottom)) y += rows[i++].height;
    pages.emplace_back(start, i);
  }
  out.pages = static_cast<int>(pages.size());

  // ---- draw.
  Text running_title = ts.Make(doc.title, small.get(), width / 2, 1, Align::kEnd);
  Text running_left = ts.Make(doc.header_left, small.get(), width / 2, 1);
  Text footer_left = ts.Make(doc.footer_left, small.get(), width / 2 - 40, 1);
  auto draw_row = [&](const Row& r, double y, double fill) {
    if (fill < 1) {
      cairo_set_source_rgb(cr, fill, fill, fill);
      cairo_rectangle(cr, left, y, width, r.height);
      cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, kRuleGrey, kRuleGrey, kRuleGrey);
    cairo_set_line_width(cr, kRuleWidth);
    if (r.cells.size() == 1 && doc.columns.size() != 1) {  // the empty row spans the table
      cairo_rectangle(cr, left, y, width, r.height);
      cairo_stroke(cr);
      Show(cr, r.cells[0], left + kCellPadX, y + (r.height - r.cells[0].height) / 2);
      return;
    }
    for (size_t i = 0; i < r.cells.size(); ++i) {
      cairo_set_source_rgb(cr, kRuleGrey, kRuleGrey, kRuleGrey);
      cairo_rectangle(cr, col_x[i], y, col_w[i], r.height);
      cairo_stroke(cr);
      Show(cr, r.cells[i], col_x[i] + kCellPadX, y + (r.height - r.cells[i].height) / 2);
    }
  };
  for (size_t p = 0; p < pages.size(); ++p) {
    Show(cr, running_left, left, kMargin, kFaintGrey);
    Show(cr, running_title, left + width / 2, kMargin, kFaintGrey);
    Rule(cr, left, right, kMargin + kRunningBand - 6);
    double y = body_top;
    if (p == 0) {
      Show(cr, title, left, y);
      y += title.height;
      for (size_t i = 0; i < subtitles.size(); ++i) {
        if (i == 0) y += kTitleGap;
        Show(cr, subtitles[i], left, y);
        y += subtitles[i].height;
      }
      y += kTableGap;
    }
    draw_row(header, y, kHeaderFill);
    y += header.height;
    for (size_t i = pages[p].first; i < pages[p].second; ++i) {
      draw_row(rows[i], y, !empty && (i - pages[p].first) % 2 == 1 ? kStripeFill : 1);
      y += rows[i].height;
    }
    out.rows_per_page.push_back(static_cast<int>(pages[p].second - pages[p].first));
    const double footer_y = kA4HeightPt - kMargin - kFooterBand + 6;
    Rule(cr, left, right, footer_y);
    Show(cr, footer_left, left, footer_y + 4, kFaintGrey);
    Text label = ts.Make(PageLabel(static_cast<int>(p + 1), out.pages), small.get(), width / 2, 1, Align::kEnd);
    Show(cr, label, left + width / 2, footer_y + 4, kFaintGrey);
    cairo_show_page(cr);
  }
  out.missing_glyphs = ts.missing();
  cr_owner.reset();
  cairo_surface_finish(surface.get());
  if (auto st = cairo_surface_status(surface.get()); st != CAIRO_STATUS_SUCCESS) return Internal(cairo_status_to_string(st));
  return out;
}

}  // namespace kehou::pdf
