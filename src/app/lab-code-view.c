/* lab-code-view.c — the code tab: the Python listing with the values the
 * person chose, in GtkSourceView (highlighting, line numbers, the Adwaita
 * schemes), with a "Copy Code" button over its top right corner so the
 * listing keeps the whole height of the pane.
 *
 * It is an editor. The listing follows the parameters until the person
 * types into it; from then on it is theirs: parameter changes keep only
 * the generated text (for "Reset"), a bar says CPython runs their version,
 * and a failed run's line is marked until they edit again. Open and Save
 * work on .py files; closing the window with unsaved edits asks first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "lab-code-view.h"
#include "lab-open-dialog.h"

struct _LabCodeView
{
  GtkWidget        parent_instance;

  GtkWidget       *box;
  GtkWidget       *bar;
  GtkWidget       *bar_label;
  GtkWidget       *reset_button;
  GtkWidget       *overlay;
  GtkWidget       *scrolled;
  GtkSourceView   *view;
  GtkSourceBuffer *buffer;
  GtkTextTag      *error_tag;
  GtkWidget       *copy_button;

  char            *generated;     /* the listing for the current values */
  guint            error_line;    /* 1-based; 0 when nothing is marked */
  guint            setting : 1;   /* a change made here, not by typing */
  guint            edited : 1;
  guint            model_engine : 1;
  gulong           close_handler;
  GtkWindow       *close_window;  /* weak: whose close-request we watch */
};

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
static void
replace_text (LabCodeView *self,
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

static void
set_edited (LabCodeView *self,
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

static void
on_buffer_changed (LabCodeView *self)
{
  /* The mark belongs to the text that failed: an edit makes it stale. */
  lab_code_view_clear_error (self);
  if (!self->setting)
    set_edited (self, TRUE);
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
stop_watching_close (LabCodeView *self)
{
  if (self->close_window != NULL)
    {
      g_clear_signal_handler (&self->close_handler, self->close_window);
      g_object_remove_weak_pointer (G_OBJECT (self->close_window), (gpointer *) &self->close_window);
      self->close_window = NULL;
    }
}

static void
lab_code_view_dispose (GObject *object)
{
  LabCodeView *self = LAB_CODE_VIEW (object);

  stop_watching_close (self);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->buffer);
  g_clear_pointer (&self->generated, g_free);

  G_OBJECT_CLASS (lab_code_view_parent_class)->dispose (object);
}

/* ---- files ---- */

static GtkFileFilter *
python_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Python programs"));
  gtk_file_filter_add_pattern (filter, "*.py");
  gtk_file_filter_add_mime_type (filter, "text/x-python");
  gtk_file_filter_add_mime_type (filter, "text/x-python3");
  return filter;
}

static void
notice (LabCodeView *self,
        const char  *text)
{
  g_signal_emit (self, signals[NOTICE], 0, text);
}

gboolean
lab_code_view_open_file (LabCodeView  *self,
                         GFile        *file,
                         GError      **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  const char *bad = NULL;
  gsize length;

  g_return_val_if_fail (LAB_IS_CODE_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
    return FALSE;
  name = g_file_get_basename (file);
  /* The editor keeps what it has: a file it cannot show as text must not
   * cost the person their edits. */
  if (!g_utf8_validate_len (contents, length, &bad) || memchr (contents, '\0', length) != NULL)
    {
      guint line = 1;

      for (const char *p = contents; bad != NULL && p < bad; p++)
        line += *p == '\n';
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: %s is a file name, %u a line number */
                   _("“%s” is not UTF-8 text (line %u): save it as UTF-8 and open it again"),
                   name, line);
      return FALSE;
    }
  replace_text (self, contents);
  set_edited (self, TRUE);
  return TRUE;
}

gboolean
lab_code_view_save_to_file (LabCodeView  *self,
                            GFile        *file,
                            GError      **error)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  g_return_val_if_fail (LAB_IS_CODE_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  text = gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->buffer), &start, &end, FALSE);
  if (!g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error))
    return FALSE;
  gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self->buffer), FALSE);
  return TRUE;
}

static void
on_open_chosen (gpointer  owner,
                GFile    *file)
{
  LabCodeView *self = owner;
  g_autoptr(GError) error = NULL;

  if (!lab_code_view_open_file (self, file, &error))
    notice (self, error->message);
}

static void
open_clicked (LabCodeView *self)
{
  g_autoptr(GtkFileFilter) filter = python_filter ();

  lab_open_dialog_show (GTK_WIDGET (self), _("Open a Python Program"), filter,
                        on_open_chosen, self);
}

/* Saved, and then whatever the save was for (closing the window). */
static gboolean
save_and_say (LabCodeView *self,
              GFile       *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *text = NULL;

  if (!lab_code_view_save_to_file (self, file, &error))
    {
      /* Translators: a toast; %s is the reason */
      text = g_strdup_printf (_("Could not save: %s"), error->message);
      notice (self, text);
      return FALSE;
    }
  /* Translators: a toast; %s is a file name */
  text = g_strdup_printf (_("Saved “%s”"), name);
  notice (self, text);
  return TRUE;
}

static void
on_save_chosen (gpointer  owner,
                GFile    *file)
{
  save_and_say (owner, file);
}

static void
show_save_dialog (LabCodeView *self,
                  LabOpenFunc  func)
{
  g_autoptr(GtkFileFilter) filter = python_filter ();

  lab_save_dialog_show (GTK_WIDGET (self), _("Save the Python Program"), filter,
                        "program.py", func, self);
}

static void
save_clicked (LabCodeView *self)
{
  show_save_dialog (self, on_save_chosen);
}

/* ---- unsaved edits when the window closes ---- */

gboolean
lab_code_view_get_unsaved (LabCodeView *self)
{
  g_return_val_if_fail (LAB_IS_CODE_VIEW (self), FALSE);

  return self->edited && gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (self->buffer));
}

static void
close_root (LabCodeView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_close (GTK_WINDOW (root));
}

static void
on_save_then_close (gpointer  owner,
                    GFile    *file)
{
  if (save_and_say (owner, file))
    close_root (owner);
}

static void
on_unsaved_response (AdwMessageDialog *dialog,
                     const char       *response,
                     LabCodeView      *self)
{
  if (g_strcmp0 (response, "save") == 0)
    show_save_dialog (self, on_save_then_close);
  else if (g_strcmp0 (response, "discard") == 0)
    {
      gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self->buffer), FALSE);
      close_root (self);
    }
}

static gboolean
on_close_request (LabCodeView *self,
                  GtkWindow   *window)
{
  GtkWidget *dialog;

  if (!lab_code_view_get_unsaved (self))
    return FALSE;

  dialog = adw_message_dialog_new (window, _("Save Your Edited Code?"),
                                   _("The code tab holds edits that are not saved in a file. "
                                     "Closing the window loses them."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_unsaved_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
lab_code_view_root (GtkWidget *widget)
{
  LabCodeView *self = LAB_CODE_VIEW (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (lab_code_view_parent_class)->root (widget);

  root = gtk_widget_get_root (widget);
  if (!GTK_IS_WINDOW (root))
    return;
  self->close_window = GTK_WINDOW (root);
  g_object_add_weak_pointer (G_OBJECT (root), (gpointer *) &self->close_window);
  self->close_handler = g_signal_connect_swapped (root, "close-request",
                                                  G_CALLBACK (on_close_request), self);
}

static void
lab_code_view_unroot (GtkWidget *widget)
{
  stop_watching_close (LAB_CODE_VIEW (widget));

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
    g_signal_connect_swapped (open_button, "clicked", G_CALLBACK (open_clicked), self);
    g_signal_connect_swapped (save_button, "clicked", G_CALLBACK (save_clicked), self);

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
    replace_text (self, self->generated);
}

void
lab_code_view_reset (LabCodeView *self)
{
  g_return_if_fail (LAB_IS_CODE_VIEW (self));

  replace_text (self, self->generated);
  set_edited (self, FALSE);
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
