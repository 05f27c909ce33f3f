/* lab-trace-page.c — a trace file read on a thread and shown on a timeline
 *
 * The file is read by lab_chrome_trace_read_file_full() on a thread of
 * its own that returns a GTask: the window never waits for it. Progress comes from the reading thread at
 * most a few hundred times; it is kept in one atomic value and at most one
 * idle source is pending to show it, so a fast reader cannot flood the
 * main loop. The read's state lives in a Load shared by the thread, the
 * idle and the page; the page holds it only weakly in the other
 * direction, so closing the page cancels the read and drops its result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <adwaita.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lab-chrome-trace.h"
#include "lab-trace-page.h"

typedef struct
{
  GWeakRef      page;
  GCancellable *cancellable;
  char         *path;
  gint          permille;     /* progress, written by the thread */
  gint          idle_pending; /* an idle is queued to show it */
} Load;

typedef struct
{
  LabTrace             *trace;
  LabChromeReadSummary *summary;
} Result;

struct _LabTracePage
{
  GtkWidget          parent_instance;

  /* template children */
  GtkStack          *stack;
  AdwStatusPage     *failed_status;
  GtkProgressBar    *progress_bar;
  GtkLabel          *title_label;
  GtkLabel          *summary_label;
  GtkWidget         *view_switch;
  GtkWidget         *threads_button;
  GtkWidget         *cores_button;
  LabTimeline       *timeline;

  GFile             *file;
  char              *title;
  Load              *load;       /* while reading */
  LabTracePageState  state;
  LabTrace          *trace;
  char              *summary;
  char              *error;
  double             progress;
};

G_DEFINE_FINAL_TYPE (LabTracePage, lab_trace_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- the shared read ---- */

static void
load_clear (Load *load)
{
  g_weak_ref_clear (&load->page);
  g_clear_object (&load->cancellable);
  g_free (load->path);
}

static Load *
load_ref (Load *load)
{
  return g_atomic_rc_box_acquire (load);
}

static void
load_unref (Load *load)
{
  g_atomic_rc_box_release_full (load, (GDestroyNotify) load_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Load, load_unref)

static void
result_free (Result *result)
{
  g_clear_pointer (&result->trace, lab_trace_unref);
  g_clear_pointer (&result->summary, lab_chrome_read_summary_free);
  g_free (result);
}

/* The page of @load, if it still waits for this very read. */
static LabTracePage *
load_get_page (Load *load)
{
  LabTracePage *page = g_weak_ref_get (&load->page);

  if (page != NULL && page->load != load)
    g_clear_object (&page);
  return page;
}

static void
show_progress (LabTracePage *self,
               double        fraction)
{
  g_autofree char *text = NULL;

  self->progress = fraction;
  /* Translators: on the progress bar while a trace file is read; %d is a
   * percentage, %% the percent sign */
  text = g_strdup_printf (_("Reading trace… %d %%"), (int) (fraction * 100));
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static gboolean
progress_idle (gpointer data)
{
  Load *load = data;
  g_autoptr(LabTracePage) self = NULL;

  g_atomic_int_set (&load->idle_pending, FALSE);
  self = load_get_page (load);
  if (self != NULL)
    show_progress (self, g_atomic_int_get (&load->permille) / 1000.0);
  return G_SOURCE_REMOVE;
}

/* On the reading thread. */
static void
on_progress (double   fraction,
             gpointer data)
{
  Load *load = data;

  /* Only a new percentage is worth a frame. */
  if ((gint) (fraction * 100) == g_atomic_int_get (&load->permille) / 10)
    return;
  g_atomic_int_set (&load->permille, (gint) (fraction * 1000));
  if (g_atomic_int_compare_and_exchange (&load->idle_pending, FALSE, TRUE))
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, progress_idle, load_ref (load),
                     (GDestroyNotify) load_unref);
}

/* A thread of its own, not one of GTask's pool: its priority is lowered,
 * and a pool thread would keep that for whatever it ran next (a run's
 * workers among them). */
static gpointer
read_thread (gpointer data)
{
  g_autoptr(GTask) task = data;
  Load *load = g_task_get_task_data (task);
  LabChromeReadOptions options = { g_task_get_cancellable (task), on_progress, load, 0 };
  g_autoptr(GError) error = NULL;
  Result *result = g_new0 (Result, 1);

  /* Reading is background work: on a busy machine the main thread (the
   * progress bar, the rest of the window) goes first. */
  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10);
  result->trace = lab_chrome_trace_read_file_full (load->path, &options, &result->summary, &error);
  if (result->trace == NULL)
    {
      result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_pointer (task, result, (GDestroyNotify) result_free);
  return NULL;
}

/* ---- the page ---- */

static void
set_state (LabTracePage      *self,
           LabTracePageState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static char *
describe (LabTrace                   *trace,
          const LabChromeReadSummary *summary)
{
  guint64 n_events = lab_trace_get_n_events (trace);
  guint n_lanes = lab_trace_get_n_lanes (trace);
  g_autofree char *skipped = lab_chrome_read_summary_describe (summary);
  g_autofree char *events = NULL;
  g_autofree char *lanes = NULL;

  /* Translators: the first half of "19 events in 3 lanes" */
  events = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%llu event", "%llu events", n_events),
                            (unsigned long long) n_events);
  /* Translators: "%s" is "19 events"; %u counts the lanes of the timeline */
  lanes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s in %u lane", "%s in %u lanes", n_lanes),
                           events, n_lanes);
  if (skipped == NULL)
    return g_strdup_printf ("%s.", lanes);
  /* Translators: what was read, then what was skipped: "19 events in 3
   * lanes. 3 records of kinds the lab does not draw (O, P) were skipped." */
  return g_strdup_printf (_("%s. %s."), lanes, skipped);
}

static void
show_trace (LabTracePage *self,
            Result       *result)
{
  self->trace = lab_trace_ref (result->trace);
  self->summary = describe (result->trace, result->summary);
  gtk_label_set_text (self->summary_label, self->summary);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->summary_label), self->summary);
  /* Without CPU numbers the Cores view would be empty: no switch. */
  gtk_widget_set_visible (self->view_switch, result->summary->has_cpu);
  lab_timeline_set_trace (self->timeline, self->trace);
  lab_timeline_zoom_fit (self->timeline);
  gtk_stack_set_visible_child_name (self->stack, "shown");
  set_state (self, LAB_TRACE_PAGE_SHOWN);
}

static void
on_read_done (GObject      *source,
              GAsyncResult *res,
              gpointer      data)
{
  g_autoptr(Load) load = data;
  g_autoptr(LabTracePage) self = load_get_page (load);
  g_autoptr(GError) error = NULL;
  Result *result = g_task_propagate_pointer (G_TASK (res), &error);

  if (self == NULL)
    {
      /* The page went away or read again: this result is stale. */
      g_clear_pointer (&result, result_free);
      return;
    }
  g_clear_pointer (&self->load, load_unref);

  if (result != NULL)
    {
      show_trace (self, result);
      result_free (result);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_state (self, LAB_TRACE_PAGE_CANCELLED);
  else
    {
      self->error = g_strdup (error->message);
      adw_status_page_set_description (self->failed_status, self->error);
      gtk_stack_set_visible_child_name (self->stack, "failed");
      set_state (self, LAB_TRACE_PAGE_FAILED);
    }
}

static void
start_reading (LabTracePage *self)
{
  g_autoptr(GTask) task = NULL;
  Load *load = g_atomic_rc_box_new0 (Load);

  g_weak_ref_init (&load->page, self);
  load->cancellable = g_cancellable_new ();
  load->path = g_file_get_path (self->file);
  self->load = load;

  if (load->path == NULL)
    {
      /* A remote location (no local path): nothing to map. */
      g_autoptr(GTask) failed = g_task_new (NULL, NULL, on_read_done, load_ref (load));

      g_task_return_new_error (failed, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("“%s” is not a local file: copy it to this computer first"),
                               self->title);
      return;
    }
  show_progress (self, 0);
  task = g_task_new (NULL, load->cancellable, on_read_done, load_ref (load));
  g_task_set_source_tag (task, start_reading);
  g_task_set_task_data (task, load_ref (load), (GDestroyNotify) load_unref);
  g_thread_unref (g_thread_new ("trace-reader", read_thread, g_steal_pointer (&task)));
}

void
lab_trace_page_cancel (LabTracePage *self)
{
  g_return_if_fail (LAB_IS_TRACE_PAGE (self));

  if (self->load != NULL)
    g_cancellable_cancel (self->load->cancellable);
}

static void
lab_trace_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LabTracePage *self = LAB_TRACE_PAGE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_trace_page_dispose (GObject *object)
{
  LabTracePage *self = LAB_TRACE_PAGE (object);

  /* Closing the page stops the read; its result is dropped. */
  if (self->load != NULL)
    g_cancellable_cancel (self->load->cancellable);
  g_clear_pointer (&self->load, load_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_TRACE_PAGE);
  g_clear_pointer (&self->trace, lab_trace_unref);

  G_OBJECT_CLASS (lab_trace_page_parent_class)->dispose (object);
}

static void
lab_trace_page_finalize (GObject *object)
{
  LabTracePage *self = LAB_TRACE_PAGE (object);

  g_clear_object (&self->file);
  g_free (self->title);
  g_free (self->summary);
  g_free (self->error);

  G_OBJECT_CLASS (lab_trace_page_parent_class)->finalize (object);
}

static void
lab_trace_page_class_init (LabTracePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = lab_trace_page_get_property;
  object_class->dispose = lab_trace_page_dispose;
  object_class->finalize = lab_trace_page_finalize;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      LAB_TRACE_PAGE_READING, LAB_TRACE_PAGE_CANCELLED, LAB_TRACE_PAGE_READING,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LAB_TYPE_TIMELINE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/concurrencylab/ConcurrencyLab/lab-trace-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LabTracePage, stack);
  gtk_widget_class_bind_template_child (widget_class, LabTracePage, failed_status);
  gtk_widget_class_bind_template_child (widget_class, LabTracePage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LabTracePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, LabTracePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, LabTracePage, view_switch);
  gtk_widget_class_bind_template_child (widget_class, LabTracePage, threads_button);
  gtk_widget_class_bind_template_child (widget_class, LabTracePage, cores_button);
  gtk_widget_class_bind_template_child (widget_class, LabTracePage, timeline);
  gtk_widget_class_bind_template_callback (widget_class, lab_trace_page_cancel);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tracepage");
}

static void
lab_trace_page_init (LabTracePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_object_bind_property (self->timeline, "show-cores", self->cores_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->timeline, "show-cores", self->threads_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
}

GtkWidget *
lab_trace_page_new (GFile *file)
{
  LabTracePage *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (LAB_TYPE_TRACE_PAGE, NULL);
  self->file = g_object_ref (file);
  self->title = g_file_get_basename (file);
  if (self->title == NULL || !g_utf8_validate (self->title, -1, NULL))
    {
      g_autofree char *raw = g_steal_pointer (&self->title);

      self->title = g_filename_display_name (raw != NULL ? raw : "");
    }
  gtk_label_set_text (self->title_label, self->title);
  start_reading (self);
  return GTK_WIDGET (self);
}

GFile *
lab_trace_page_get_file (LabTracePage *self)
{
  g_return_val_if_fail (LAB_IS_TRACE_PAGE (self), NULL);

  return self->file;
}

const char *
lab_trace_page_get_title (LabTracePage *self)
{
  g_return_val_if_fail (LAB_IS_TRACE_PAGE (self), NULL);

  return self->title;
}

LabTracePageState
lab_trace_page_get_state (LabTracePage *self)
{
  g_return_val_if_fail (LAB_IS_TRACE_PAGE (self), LAB_TRACE_PAGE_FAILED);

  return self->state;
}

double
lab_trace_page_get_progress (LabTracePage *self)
{
  g_return_val_if_fail (LAB_IS_TRACE_PAGE (self), 0);

  return self->progress;
}

const char *
lab_trace_page_get_summary_text (LabTracePage *self)
{
  g_return_val_if_fail (LAB_IS_TRACE_PAGE (self), NULL);

  return self->summary != NULL ? self->summary : "";
}

const char *
lab_trace_page_get_error_text (LabTracePage *self)
{
  g_return_val_if_fail (LAB_IS_TRACE_PAGE (self), NULL);

  return self->error != NULL ? self->error : "";
}

LabTrace *
lab_trace_page_get_trace (LabTracePage *self)
{
  g_return_val_if_fail (LAB_IS_TRACE_PAGE (self), NULL);

  return self->trace;
}

LabTimeline *
lab_trace_page_get_timeline (LabTracePage *self)
{
  g_return_val_if_fail (LAB_IS_TRACE_PAGE (self), NULL);

  return self->timeline;
}

GtkWidget *
lab_trace_page_get_view_switch (LabTracePage *self)
{
  g_return_val_if_fail (LAB_IS_TRACE_PAGE (self), NULL);

  return self->view_switch;
}
