/* lab-code-view.c — the code tab: the Python listing with the values the
 * person chose, in GtkSourceView (highlighting, line numbers, the Adwaita
 * schemes), read-only, with a "Copy Code" button over its top right corner
 * so the listing keeps the whole height of the pane.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "lab-code-view.h"

struct _LabCodeView
{
  GtkWidget        parent_instance;

  GtkWidget       *overlay;
  GtkWidget       *scrolled;
  GtkSourceView   *view;
  GtkSourceBuffer *buffer;
  GtkWidget       *copy_button;
};

G_DEFINE_FINAL_TYPE (LabCodeView, lab_code_view, GTK_TYPE_WIDGET)

enum {
  COPIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The scheme follows the window's light or dark style, like the rest of
 * the page; GtkSourceView does not do that on its own. */
static void
update_scheme (LabCodeView *self)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkSourceStyleScheme *scheme;

  scheme = gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "Adwaita-dark" : "Adwaita");
  if (scheme == NULL)
    scheme = gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "classic-dark" : "classic");
  gtk_source_buffer_set_style_scheme (self->buffer, scheme);
}

void
lab_code_view_copy (LabCodeView *self)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  g_return_if_fail (LAB_IS_CODE_VIEW (self));

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  text = gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->buffer), &start, &end, FALSE);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  g_signal_emit (self, signals[COPIED], 0);
}

static void
lab_code_view_dispose (GObject *object)
{
  LabCodeView *self = LAB_CODE_VIEW (object);

  g_clear_pointer (&self->overlay, gtk_widget_unparent);
  g_clear_object (&self->buffer);

  G_OBJECT_CLASS (lab_code_view_parent_class)->dispose (object);
}

static void
lab_code_view_class_init (LabCodeViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_code_view_dispose;

  /* Its languages, schemes and translations; calling it again does nothing. */
  gtk_source_init ();

  /* The listing went to the clipboard (the page says so in a toast). */
  signals[COPIED] = g_signal_new ("copied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "labcodeview");
}

static void
lab_code_view_init (LabCodeView *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceLanguage *python = gtk_source_language_manager_get_language (languages, "python3");

  if (python == NULL)
    python = gtk_source_language_manager_get_language (languages, "python");

  self->buffer = gtk_source_buffer_new_with_language (python);
  gtk_source_buffer_set_highlight_syntax (self->buffer, TRUE);
  /* Read-only: the cursor line would only flicker where nobody types. */
  gtk_source_buffer_set_highlight_matching_brackets (self->buffer, FALSE);

  self->view = GTK_SOURCE_VIEW (gtk_source_view_new_with_buffer (self->buffer));
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->view), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (self->view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->view), TRUE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (self->view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (self->view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (self->view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (self->view), 12);
  gtk_source_view_set_show_line_numbers (self->view, TRUE);
  gtk_source_view_set_tab_width (self->view, 4);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "code-view");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Python code of the experiment"),
                                  -1);

  self->scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (self->scrolled, TRUE);
  gtk_widget_set_hexpand (self->scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), GTK_WIDGET (self->view));

  self->copy_button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (self->copy_button),
                        g_object_new (ADW_TYPE_BUTTON_CONTENT,
                                      "icon-name", "edit-copy-symbolic",
                                      "label", _("_Copy Code"),
                                      "use-underline", TRUE,
                                      NULL));
  gtk_widget_set_tooltip_text (self->copy_button, _("Copy the listing with the chosen values"));
  gtk_widget_set_halign (self->copy_button, GTK_ALIGN_END);
  gtk_widget_set_valign (self->copy_button, GTK_ALIGN_START);
  gtk_widget_set_margin_top (self->copy_button, 6);
  gtk_widget_set_margin_end (self->copy_button, 18); /* clear of the scrollbar */
  gtk_widget_add_css_class (self->copy_button, "osd");
  gtk_widget_add_css_class (self->copy_button, "copy-code-button");
  g_signal_connect_swapped (self->copy_button, "clicked", G_CALLBACK (lab_code_view_copy), self);

  self->overlay = gtk_overlay_new ();
  gtk_overlay_set_child (GTK_OVERLAY (self->overlay), self->scrolled);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), self->copy_button);
  gtk_widget_set_parent (self->overlay, GTK_WIDGET (self));

  update_scheme (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_scheme), self, G_CONNECT_SWAPPED);
}

GtkWidget *
lab_code_view_new (void)
{
  return g_object_new (LAB_TYPE_CODE_VIEW, NULL);
}

void
lab_code_view_set_text (LabCodeView *self,
                        const char  *text)
{
  GtkTextBuffer *buffer;
  GtkAdjustment *vadj;
  g_autofree char *old = NULL;
  GtkTextIter start, end;
  double value;

  g_return_if_fail (LAB_IS_CODE_VIEW (self));

  buffer = GTK_TEXT_BUFFER (self->buffer);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  old = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (g_strcmp0 (old, text != NULL ? text : "") == 0)
    return;

  /* The listing keeps its lines when a value changes: the reader stays on
   * the line they were reading. */
  vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->view));
  value = gtk_adjustment_get_value (vadj);
  gtk_text_buffer_begin_irreversible_action (buffer);
  gtk_text_buffer_set_text (buffer, text != NULL ? text : "", -1);
  gtk_text_buffer_end_irreversible_action (buffer);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  gtk_adjustment_set_value (vadj, value);
}

GtkTextBuffer *
lab_code_view_get_buffer (LabCodeView *self)
{
  g_return_val_if_fail (LAB_IS_CODE_VIEW (self), NULL);

  return GTK_TEXT_BUFFER (self->buffer);
}
