#include <algorithm>

#include "pdf/internal.h"

namespace kehou::pdf::internal {
namespace {
cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}
}  // namespace

std::mutex& RenderMutex() {
  static std::mutex m;
  return m;
}

InFlightGate& RenderGate() {
  static InFlightGate gate(kMaxRendersInFlight);
  return gate;
}

Error Busy() {
  Error busy = MakeError(kUnavailable, "正在生成其他文件，请稍后重试", "busy rendering other PDF files; retry shortly");
  busy.retry_after = 1;
  return busy;
}

PangoFontMap* SharedFontMap() {
  static PangoFontMap* map = pango_cairo_font_map_new();
  return map;
}

FontPtr Font(double size) {
  FontPtr f(pango_font_description_new());
  pango_font_description_set_family(f.get(), kFontFamily);
  pango_font_description_set_absolute_size(f.get(), size * PANGO_SCALE);
  pango_font_description_set_weight(f.get(), PANGO_WEIGHT_NORMAL);
  return f;
}

std::string Clean(std::string_view s, bool one_paragraph) {
  gchar* valid = g_utf8_make_valid(s.data(), static_cast<gssize>(s.size()));
  std::string out(valid);
  g_free(valid);
  if (one_paragraph)
    std::replace_if(
        out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
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

Text Typesetter::Make(std::string_view s, const PangoFontDescription* font, double max_width, int max_lines,
                      Align align) {
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

void Show(cairo_t* cr, const Text& t, double x, double y, double grey) {
  cairo_set_source_rgb(cr, grey, grey, grey);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, t.layout.get());
}

void Rule(cairo_t* cr, double x0, double x1, double y) {
  constexpr double kRuleGrey = 0.45, kRuleWidth = 0.5;
  cairo_set_source_rgb(cr, kRuleGrey, kRuleGrey, kRuleGrey);
  cairo_set_line_width(cr, kRuleWidth);
  cairo_move_to(cr, x0, y);
  cairo_line_to(cr, x1, y);
  cairo_stroke(cr);
}

Canvas::Canvas(std::string& bytes, std::string_view title, std::string_view created)
    : surface_(cairo_pdf_surface_create_for_stream(Append, &bytes, kA4WidthPt, kA4HeightPt)) {
  if (cairo_surface_status(surface_.get()) != CAIRO_STATUS_SUCCESS) return;
  cairo_pdf_surface_restrict_to_version(surface_.get(), CAIRO_PDF_VERSION_1_4);  // no object streams
  cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_TITLE, Clean(title, true).c_str());
  cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_CREATOR, "Kehou");
  if (!created.empty())
    cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_CREATE_DATE, std::string(created).c_str());
  cr_.reset(cairo_create(surface_.get()));
  ctx_.reset(pango_font_map_create_context(SharedFontMap()));
  pango_cairo_update_context(cr_.get(), ctx_.get());
  pango_context_set_language(ctx_.get(), pango_language_from_string("zh-cn"));
  cairo_font_options_t* fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);  // positions as designed, not snapped
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(ctx_.get(), fo);
  cairo_font_options_destroy(fo);
  ok_ = true;
}

const char* Canvas::Finish() {
  cr_.reset();
  cairo_surface_finish(surface_.get());
  if (auto st = cairo_surface_status(surface_.get()); st != CAIRO_STATUS_SUCCESS) return cairo_status_to_string(st);
  return nullptr;
}

Error Internal(const char* what) {
  return MakeError(kInternal, "生成 PDF 文件失败", std::string("could not build the PDF file: ") + what);
}

}  // namespace kehou::pdf::internal
