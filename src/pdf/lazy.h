// lazy.h (pdf): cairo, pango and qrencode opened on the first PDF, not at process start. They pull
// in ~40 shared libraries (fontconfig, freetype, harfbuzz, glib, X11...) that a CLI command or a
// server that never prints does not need, and loading them cost every `kehou` start. Each function
// src/pdf calls is a pointer in Libs, looked up with dlsym once; the names below are macros to
// those pointers, so the drawing code reads as plain cairo/pango. Include it (via internal.h) after
// the library headers and before using any of them. Private to src/pdf.
// Thread-safety: Lazy() opens the libraries once (a function-local static); then read-only.
#pragma once
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <string>

namespace kehou::pdf::internal {

struct Libs {
  std::string error;  // empty when every function was found
#define KEHOU_PDF_FN(name) decltype(&::name) name = nullptr;
#define KEHOU_QR_FN(name) decltype(&::name) name = nullptr;
#include "pdf/lazy_functions.inc"
#undef KEHOU_PDF_FN
#undef KEHOU_QR_FN
};

// The libraries, opened on the first call; check error() before drawing.
const Libs& Lazy();
// "" when the PDF libraries are loaded, else why not (a missing package, in Chinese and English).
const std::string& LazyError();

}  // namespace kehou::pdf::internal

#ifndef KEHOU_PDF_LAZY_IMPL  // lazy.cpp looks the names up itself
#define QRcode_encodeString8bit (::kehou::pdf::internal::Lazy().QRcode_encodeString8bit)
#define QRcode_free (::kehou::pdf::internal::Lazy().QRcode_free)
#define cairo_create (::kehou::pdf::internal::Lazy().cairo_create)
#define cairo_destroy (::kehou::pdf::internal::Lazy().cairo_destroy)
#define cairo_fill (::kehou::pdf::internal::Lazy().cairo_fill)
#define cairo_font_options_create (::kehou::pdf::internal::Lazy().cairo_font_options_create)
#define cairo_font_options_destroy (::kehou::pdf::internal::Lazy().cairo_font_options_destroy)
#define cairo_font_options_set_hint_metrics (::kehou::pdf::internal::Lazy().cairo_font_options_set_hint_metrics)
#define cairo_font_options_set_hint_style (::kehou::pdf::internal::Lazy().cairo_font_options_set_hint_style)
#define cairo_line_to (::kehou::pdf::internal::Lazy().cairo_line_to)
#define cairo_move_to (::kehou::pdf::internal::Lazy().cairo_move_to)
#define cairo_pdf_surface_create_for_stream (::kehou::pdf::internal::Lazy().cairo_pdf_surface_create_for_stream)
#define cairo_pdf_surface_restrict_to_version (::kehou::pdf::internal::Lazy().cairo_pdf_surface_restrict_to_version)
#define cairo_pdf_surface_set_metadata (::kehou::pdf::internal::Lazy().cairo_pdf_surface_set_metadata)
#define cairo_rectangle (::kehou::pdf::internal::Lazy().cairo_rectangle)
#define cairo_restore (::kehou::pdf::internal::Lazy().cairo_restore)
#define cairo_save (::kehou::pdf::internal::Lazy().cairo_save)
#define cairo_set_dash (::kehou::pdf::internal::Lazy().cairo_set_dash)
#define cairo_set_line_width (::kehou::pdf::internal::Lazy().cairo_set_line_width)
#define cairo_set_source_rgb (::kehou::pdf::internal::Lazy().cairo_set_source_rgb)
#define cairo_show_page (::kehou::pdf::internal::Lazy().cairo_show_page)
#define cairo_status_to_string (::kehou::pdf::internal::Lazy().cairo_status_to_string)
#define cairo_stroke (::kehou::pdf::internal::Lazy().cairo_stroke)
#define cairo_surface_destroy (::kehou::pdf::internal::Lazy().cairo_surface_destroy)
#define cairo_surface_finish (::kehou::pdf::internal::Lazy().cairo_surface_finish)
#define cairo_surface_status (::kehou::pdf::internal::Lazy().cairo_surface_status)
#define g_free (::kehou::pdf::internal::Lazy().g_free)
#define g_object_unref (::kehou::pdf::internal::Lazy().g_object_unref)
#define g_utf8_make_valid (::kehou::pdf::internal::Lazy().g_utf8_make_valid)
#define pango_cairo_context_set_font_options (::kehou::pdf::internal::Lazy().pango_cairo_context_set_font_options)
#define pango_cairo_font_map_new (::kehou::pdf::internal::Lazy().pango_cairo_font_map_new)
#define pango_cairo_show_layout (::kehou::pdf::internal::Lazy().pango_cairo_show_layout)
#define pango_cairo_update_context (::kehou::pdf::internal::Lazy().pango_cairo_update_context)
#define pango_context_set_language (::kehou::pdf::internal::Lazy().pango_context_set_language)
#define pango_font_description_free (::kehou::pdf::internal::Lazy().pango_font_description_free)
#define pango_font_description_new (::kehou::pdf::internal::Lazy().pango_font_description_new)
#define pango_font_description_set_absolute_size \
  (::kehou::pdf::internal::Lazy().pango_font_description_set_absolute_size)
#define pango_font_description_set_family (::kehou::pdf::internal::Lazy().pango_font_description_set_family)
#define pango_font_description_set_weight (::kehou::pdf::internal::Lazy().pango_font_description_set_weight)
#define pango_font_map_create_context (::kehou::pdf::internal::Lazy().pango_font_map_create_context)
#define pango_language_from_string (::kehou::pdf::internal::Lazy().pango_language_from_string)
#define pango_layout_get_size (::kehou::pdf::internal::Lazy().pango_layout_get_size)
#define pango_layout_get_unknown_glyphs_count (::kehou::pdf::internal::Lazy().pango_layout_get_unknown_glyphs_count)
#define pango_layout_is_ellipsized (::kehou::pdf::internal::Lazy().pango_layout_is_ellipsized)
#define pango_layout_new (::kehou::pdf::internal::Lazy().pango_layout_new)
#define pango_layout_set_alignment (::kehou::pdf::internal::Lazy().pango_layout_set_alignment)
#define pango_layout_set_ellipsize (::kehou::pdf::internal::Lazy().pango_layout_set_ellipsize)
#define pango_layout_set_font_description (::kehou::pdf::internal::Lazy().pango_layout_set_font_description)
#define pango_layout_set_height (::kehou::pdf::internal::Lazy().pango_layout_set_height)
#define pango_layout_set_text (::kehou::pdf::internal::Lazy().pango_layout_set_text)
#define pango_layout_set_width (::kehou::pdf::internal::Lazy().pango_layout_set_width)
#define pango_layout_set_wrap (::kehou::pdf::internal::Lazy().pango_layout_set_wrap)
#define pango_units_from_double (::kehou::pdf::internal::Lazy().pango_units_from_double)
#define pango_units_to_double (::kehou::pdf::internal::Lazy().pango_units_to_double)
#endif
