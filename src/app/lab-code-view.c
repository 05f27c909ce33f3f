/* lab-code-view.c — the code tab: the Python listing with the values the
 * person chose, in GtkSourceView (highlighting, line numbers, the Adwaita
 * schemes), with a "Copy Code" button over its top right corner so the
 * listing keeps the whole height of the pane.
 *
 * It is an editor. The listing follows the parameters until the person
 * types into it; from then on it is theirs: parameter changes keep only
 * the generated text (for "Reset"), a bar says CPython runs their version,
 * and a failed run's line is marked until they edit again. Open and Save
 * work on .py files; closing the window with unsaved edits asks first
 * (lab-code-view-files.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "lab-code-view-private.h"

G_DEFINE_FINAL_TYPE (LabCodeView, lab_code_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EDITED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  COPIED,
  NOTICE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Replaces the whole text without counting as an edit by the person. */
void
lab_code_view_replace_text (LabCodeView *self,
              const char  *text)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  GtkAdjustment *vadj;
  GtkTextIter start;
  double value;

  /* The listing keeps its lines when a value changes: the reader stays on
   * the line they were reading. */
  vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->view));
  value = gtk_adjustment_get_value (vadj);
  self->setting = TRUE;
  gtk_text_buffer_begin_irreversible_action (buffer);
  gtk_text_buffer_set_text (buffer, text != NULL ? text : "", -1);
  gtk_text_buffer_end_irreversible_action (buffer);
  gtk_text_buffer_set_modified (buffer, FALSE);
  self->setting = FALSE;
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  gtk_adjustment_set_value (vadj, value);
}

static void
update_bar (LabCodeView *self)
{
  gtk_widget_set_visible (self->bar, self->edited);
  gtk_label_set_text (GTK_LABEL (self->bar_label),
                      self->model_engine
                      ? _("Edited — the model runs the experiment’s own code; choose CPython to run yours")
                      : _("Edited — runs use your version"));
}

void
lab_code_view_set_edited (LabCodeView *self,
            gboolean     edited)
{
  if (self->edited == !!edited)
    return;
  self->edited = !!edited;
  update_bar (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITED]);
}

void
lab_code_view_clear_error (LabCodeView *self)
{
  GtkTextIter start, end;

  g_return_if_fail (LAB_IS_CODE_VIEW (self));

  if (self->error_line == 0)
    return;
  self->error_line = 0;
  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  gtk_text_buffer_remove_tag (GTK_TEXT_BUFFER (self->buffer), self->error_tag, &start, &end);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->view), NULL);
}

void
lab_code_view_notice (LabCodeView *self,
                      const char  *text)
{
  g_signal_emit (self, signals[NOTICE], 0, text);
}

static void
on_buffer_changed (LabCodeView *self)
{
  /* The mark belongs to the text that failed: an edit makes it stale. */
  lab_code_view_clear_error (self);
  if (!self->setting)
    lab_code_view_set_edited (self, TRUE);
}

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

  lab_code_view_stop_watching_close (self);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->buffer);
  g_clear_pointer (&self->generated, g_free);

  G_OBJECT_CLASS (lab_code_view_parent_class)->dispose (object);
}

static void
lab_code_view_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (lab_code_view_parent_class)->root (widget);

  lab_code_view_watch_close (LAB_CODE_VIEW (widget));
}

static void
lab_code_view_unroot (GtkWidget *widget)
{
  lab_code_view_stop_watching_close (LAB_CODE_VIEW (widget));

  GTK_WIDGET_CLASS (lab_code_view_parent_class)->unroot (widget);
}

static void
lab_code_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LabCodeView *self = LAB_CODE_VIEW (object);

  switch (prop_id)
    {
    case PROP_EDITED:
      g_value_set_boolean (value, self->edited);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_code_view_class_init (LabCodeViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_code_view_dispose;
  object_class->get_property = lab_code_view_get_property;
  widget_class->root = lab_code_view_root;
  widget_class->unroot = lab_code_view_unroot;

  /* The person typed into the listing (or opened a file): CPython runs
   * their text, and parameter changes no longer replace it. */
  properties[PROP_EDITED] =
    g_param_spec_boolean ("edited", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Its languages, schemes and translations; calling it again does nothing. */
  gtk_source_init ();

  /* The listing went to the clipboard (the page says so in a toast). */
  signals[COPIED] = g_signal_new ("copied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* One line to show in a toast: a file saved, or why it could not be
   * opened or saved. */
  signals[NOTICE] = g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

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
  gtk_source_buffer_set_highlight_matching_brackets (self->buffer, TRUE);
  /* A wavy underline and a tinted line: seen in the light and dark schemes,
   * and in a screenshot of a projected slide. */
  self->error_tag = gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (self->buffer), "error-line",
                                                "underline", PANGO_UNDERLINE_ERROR,
                                                "underline-rgba", &(GdkRGBA) { 0.88, 0.11, 0.14, 1.0 },
                                                "paragraph-background-rgba",
                                                &(GdkRGBA) { 0.88, 0.11, 0.14, 0.18 },
                                                NULL);
  g_signal_connect_object (self->buffer, "changed", G_CALLBACK (on_buffer_changed),
                           self, G_CONNECT_SWAPPED);

  self->view = GTK_SOURCE_VIEW (gtk_source_view_new_with_buffer (self->buffer));
  /* Python's own rule: four spaces a level, never a tab. */
  gtk_source_view_set_auto_indent (self->view, TRUE);
  gtk_source_view_set_indent_on_tab (self->view, TRUE);
  gtk_source_view_set_insert_spaces_instead_of_tabs (self->view, TRUE);
  gtk_source_view_set_indent_width (self->view, 4);
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

  /* The tab's header: what the listing is, and the file buttons. */
  {
    GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
    GtkWidget *open_button = gtk_button_new_with_mnemonic (_("_Open…"));
    GtkWidget *save_button = gtk_button_new_with_mnemonic (_("_Save…"));

    gtk_widget_add_css_class (header, "code-header");
    gtk_widget_set_margin_start (header, 6);
    gtk_widget_set_margin_end (header, 6);
    gtk_widget_set_margin_top (header, 4);
    gtk_widget_set_margin_bottom (header, 4);

    self->bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
    gtk_widget_set_hexpand (self->bar, TRUE);
    gtk_widget_add_css_class (self->bar, "code-edited-bar");
    self->bar_label = gtk_label_new (NULL);
    gtk_label_set_xalign (GTK_LABEL (self->bar_label), 0.0);
    gtk_label_set_wrap (GTK_LABEL (self->bar_label), TRUE);
    gtk_widget_set_hexpand (self->bar_label, TRUE);
    self->reset_button = gtk_button_new_with_mnemonic (_("_Reset to the Experiment’s Code"));
    gtk_widget_set_valign (self->reset_button, GTK_ALIGN_CENTER);
    g_signal_connect_swapped (self->reset_button, "clicked", G_CALLBACK (lab_code_view_reset), self);
    gtk_box_append (GTK_BOX (self->bar), self->bar_label);
    gtk_box_append (GTK_BOX (self->bar), self->reset_button);

    gtk_widget_set_tooltip_text (open_button, _("Open a .py file in place of the listing"));
    gtk_widget_set_tooltip_text (save_button, _("Save the code to a .py file"));
    gtk_widget_set_valign (open_button, GTK_ALIGN_CENTER);
    gtk_widget_set_valign (save_button, GTK_ALIGN_CENTER);
    g_signal_connect_swapped (open_button, "clicked", G_CALLBACK (lab_code_view_open_clicked), self);
    g_signal_connect_swapped (save_button, "clicked", G_CALLBACK (lab_code_view_save_clicked), self);

    /* Keeps the header's height when the bar is hidden. */
    {
      GtkWidget *spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

      gtk_widget_set_hexpand (spacer, TRUE);
      g_object_bind_property (self->bar, "visible", spacer, "visible",
                              G_BINDING_INVERT_BOOLEAN | G_BINDING_SYNC_CREATE);
      gtk_box_append (GTK_BOX (header), spacer);
    }
    gtk_box_append (GTK_BOX (header), self->bar);
    gtk_box_append (GTK_BOX (header), open_button);
    gtk_box_append (GTK_BOX (header), save_button);

    self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
    gtk_box_append (GTK_BOX (self->box), header);
    gtk_box_append (GTK_BOX (self->box), self->overlay);
    gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  }
  update_bar (self);

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
  g_autofree char *old = NULL;
  GtkTextIter start, end;

  g_return_if_fail (LAB_IS_CODE_VIEW (self));

  g_free (self->generated);
  self->generated = g_strdup (text != NULL ? text : "");
  /* Edited text is the person's: new values change only what Reset gives. */
  if (self->edited)
    return;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  old = gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->buffer), &start, &end, FALSE);
  if (g_strcmp0 (old, self->generated) != 0)
    lab_code_view_replace_text (self, self->generated);
}

void
lab_code_view_reset (LabCodeView *self)
{
  g_return_if_fail (LAB_IS_CODE_VIEW (self));

  lab_code_view_replace_text (self, self->generated);
  lab_code_view_set_edited (self, FALSE);
}

gboolean
lab_code_view_get_edited (LabCodeView *self)
{
  g_return_val_if_fail (LAB_IS_CODE_VIEW (self), FALSE);

  return self->edited;
}

char *
lab_code_view_dup_edited_text (LabCodeView *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (LAB_IS_CODE_VIEW (self), NULL);

  if (!self->edited)
    return NULL;
  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->buffer), &start, &end, FALSE);
}

void
lab_code_view_set_model_engine (LabCodeView *self,
                                gboolean     model_engine)
{
  g_return_if_fail (LAB_IS_CODE_VIEW (self));

  self->model_engine = !!model_engine;
  update_bar (self);
}

void
lab_code_view_mark_error (LabCodeView *self,
                          guint        line,
                          const char  *message)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_if_fail (LAB_IS_CODE_VIEW (self));

  lab_code_view_clear_error (self);
  buffer = GTK_TEXT_BUFFER (self->buffer);
  if (line == 0 || line > (guint) gtk_text_buffer_get_line_count (buffer))
    return;

  self->error_line = line;
  gtk_text_buffer_get_iter_at_line (buffer, &start, line - 1);
  end = start;
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  gtk_text_buffer_apply_tag (buffer, self->error_tag, &start, &end);
  gtk_text_buffer_place_cursor (buffer, &start);
  gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (self->view), &start, 0.2, FALSE, 0, 0);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->view), message);
}

guint
lab_code_view_get_error_line (LabCodeView *self)
{
  g_return_val_if_fail (LAB_IS_CODE_VIEW (self), 0);

  return self->error_line;
}

GtkTextTag *
lab_code_view_get_error_tag (LabCodeView *self)
{
  g_return_val_if_fail (LAB_IS_CODE_VIEW (self), NULL);

  return self->error_tag;
}

GtkWidget *
lab_code_view_get_bar_label (LabCodeView *self)
{
  g_return_val_if_fail (LAB_IS_CODE_VIEW (self), NULL);

  return gtk_widget_get_visible (self->bar) ? self->bar_label : NULL;
}

GtkTextBuffer *
lab_code_view_get_buffer (LabCodeView *self)
{
  g_return_val_if_fail (LAB_IS_CODE_VIEW (self), NULL);

  return GTK_TEXT_BUFFER (self->buffer);
}
