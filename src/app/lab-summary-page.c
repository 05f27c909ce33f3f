/* lab-summary-page.c — the lecture's comparison tables, in our own words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <adwaita.h>

#include "lab-experiments.h"
#include "lab-summary-page.h"
#include "lab-window.h"

#define N_ASPECTS_1  4
#define N_ENTITIES_2 5

/* Each row and column links to the experiments that declare its topic in
 * their summary_links (LabSummaryLink), in the order of the registry. */
typedef struct
{
  const char  *topic;                  /* stable, see LabSummaryLink */
  const char  *entity;                 /* N_() */
  const char  *cells[N_ASPECTS_1];     /* N_() */
} EntityRow;

typedef struct
{
  const char  *aspect;                 /* N_() */
  const char  *cells[N_ENTITIES_2];    /* N_(), or code when code is set */
  gboolean     code;
} AspectRow;


static const char * const aspects_1[N_ASPECTS_1] = {
  N_("Memory"),
  N_("Scheduled by"),
  N_("Good for"),
  N_("Isolation"),
};

static const EntityRow entities_1[] = {
  { "process",
    N_("Process"),
    { N_("Its own memory: data is copied in; only Value, Array or shared_memory are shared"),
      N_("The operating system"),
      N_("CPU-heavy work; tasks that must not disturb each other"),
      N_("High: each process has a separate address space") } },
  { "thread",
    N_("Thread"),
    { N_("Shares the memory of its process"),
      N_("The operating system"),
      N_("Concurrent tasks that work on the same data, mostly waiting on I/O"),
      N_("Low: every thread sees the same memory") } },
  { "coroutine",
    N_("Coroutine (next lecture)"),
    { N_("Shares the memory of its thread"),
      N_("The program itself, through an event loop"),
      N_("Many light tasks that wait, such as network requests"),
      N_("Low: every coroutine sees the same memory") } },
};

/* The columns: Python names, not translated, and the links' topics. */
static const char * const apis_2[N_ENTITIES_2] = {
  "threading.Thread",
  "multiprocessing.Process",
  "multiprocessing.Pool",
  "subprocess.run",
  "subprocess.Popen",
};

static const AspectRow aspects_2[] = {
  { N_("Runs in"),
    { N_("The same process, sharing its memory"),
      N_("A new process with its own memory"),
      N_("Worker processes, each with its own memory"),
      N_("Another program, in its own process"),
      N_("Another program, in its own process") } },
  { N_("Parallelism"),
    { N_("Concurrent: the GIL lets one thread run Python at a time; their waits on I/O overlap"),
      N_("Parallel: each process has its own GIL; as many run at once as there are cores"),
      N_("Parallel: as many workers run at once as there are cores"),
      N_("The child runs on its own while the parent waits for it"),
      N_("The child runs alongside the parent, on another core if one is free") } },
  { N_("Best for"),
    { N_("Waiting on I/O"),
      N_("CPU-heavy work"),
      N_("Spreading many similar tasks over workers"),
      N_("Running a command and waiting for it"),
      N_("Running a command while doing other work") } },
  /* Method names: code, not translated. */
  { N_("Main calls"),
    { ".start(), .join()",
      ".start(), .join()",
      ".map(), .apply_async()",
      "run()",
      "Popen(), .communicate()" },
    TRUE },
  /* A Manager is not shared memory: it keeps the objects in a server
   * process and every access is a message to it. */
  { N_("Shared memory"),
    { N_("Yes: every thread sees the same objects"),
      N_("Not by default: Value, Array or shared_memory make a shared block"),
      N_("Not by default: Value or Array through initializer=, shared_memory by name"),
      N_("No"),
      N_("No") } },
  { N_("Talks through"),
    { N_("Shared variables (guarded by a Lock) and queue.Queue"),
      N_("Queue, Pipe, Value or Array, or a Manager"),
      N_("Arguments and return values, pickled; a Manager's Queue"),
      N_("Standard input and output"),
      N_("Standard input and output") } },
  { N_("Blocks the caller"),
    { N_("No: only .join() waits"),
      N_("No: only .join() waits"),
      N_("map() waits; apply_async() does not"),
      N_("Yes, until the program ends or the timeout"),
      N_("No: only .wait() and .communicate() wait") } },
  { N_("Errors"),
    { N_("An exception ends the thread and is printed; join() does not raise it"),
      N_("An exception is printed by the child; the parent sees exitcode 1"),
      N_("Python exceptions, raised again in the parent"),
      N_("Exit code (check=True raises)"),
      N_("Exit code and stderr") } },
  { N_("Results"),
    { N_("Collected by hand: the target's return value is dropped"),
      N_("Collected by hand, through a Queue or Pipe"),
      N_("map() collects them for you, in order"),
      N_("stdout, when it is captured (capture_output=True)"),
      N_("stdout=PIPE, read only when you call communicate() or read it") } },
  { N_("Stopping"),
    { N_("Cannot be stopped from outside; it must be asked, e.g. with an Event"),
      N_(".terminate() or .kill()"),
      N_(".close() lets the workers finish; .terminate() stops them, as leaving with does"),
      N_("Only by timeout=: the child is killed"),
      N_(".terminate() or .kill()") } },
};

struct _LabSummaryPage
{
  GtkWidget   parent_instance;

  GtkWidget  *scrolled;
  GtkWidget  *tables[2];
  GHashTable *links; /* name → GtkButton (borrowed) */
};

G_DEFINE_FINAL_TYPE (LabSummaryPage, lab_summary_page, GTK_TYPE_WIDGET)

/* Shows the experiment in the window and applies the link's preset or
 * value, as --set would. */
static void
on_link_clicked (GtkButton      *button,
                 LabSummaryPage *self)
{
  const LabSummaryLink *link = g_object_get_data (G_OBJECT (button), "summary-link");
  const LabExperiment *experiment = g_object_get_data (G_OBJECT (button), "summary-experiment");
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), LAB_TYPE_WINDOW);
  LabExperimentPage *page;
  g_autoptr(LabParams) params = NULL;
  g_autoptr(GVariant) values = NULL;
  g_autoptr(GError) error = NULL;

  if (window == NULL)
    return;

  page = lab_window_show_experiment (LAB_WINDOW (window), experiment->id);
  if (page == NULL || link->assignment == NULL)
    return;

  params = lab_params_copy (lab_experiment_page_get_params (page));
  if (!lab_experiment_parse_assignment (lab_experiment_page_get_experiment (page), params,
                                        link->assignment, &error))
    {
      g_warning ("Summary link %s %s: %s", experiment->id, link->assignment, error->message);
      return;
    }
  values = g_variant_ref_sink (lab_params_to_variant (params));
  lab_experiment_page_set_param_values (page, values);
}

static GtkWidget *
create_link (LabSummaryPage       *self,
             const LabExperiment  *experiment,
             const LabSummaryLink *link,
             int                   max_width_chars)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *label = gtk_label_new (_(link->label));
  g_autofree char *tooltip = g_strdup_printf (_("Open the experiment “%s”"), _(link->label));

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), max_width_chars);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_button_set_child (GTK_BUTTON (button), label);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "summary-link");
  g_object_set_data (G_OBJECT (button), "summary-link", (gpointer) link);
  g_object_set_data (G_OBJECT (button), "summary-experiment", (gpointer) experiment);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_link_clicked), self, 0);
  g_hash_table_insert (self->links, (gpointer) link->name, button);

  return button;
}

static GtkWidget *
create_cell (const char *text,
             const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_yalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_width_chars (GTK_LABEL (label), 10);
  /* Small natural widths: the grid then shares the rest out evenly. */
  gtk_label_set_max_width_chars (GTK_LABEL (label), 16);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "summary-cell");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

/* An entity's name with the links of @topic below it; @code names are
 * Python, allowed to break after their dots. */
static GtkWidget *
create_entity_cell (LabSummaryPage *self,
                    const char     *name,
                    gboolean        code,
                    const char     *topic,
                    int             max_width_chars)
{
  const LabExperiment * const *experiments;
  guint n_experiments;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_auto(GStrv) parts = g_strsplit (name, ".", -1);
  g_autofree char *breakable = g_strjoinv (".\xe2\x80\x8b", parts); /* zero-width space */
  GtkWidget *title = create_cell (code ? breakable : name, "heading");

  gtk_widget_remove_css_class (title, "summary-cell");
  gtk_widget_set_hexpand (title, FALSE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD);
  gtk_label_set_max_width_chars (GTK_LABEL (title), max_width_chars);
  if (code)
    gtk_widget_add_css_class (title, "monospace");
  gtk_box_append (GTK_BOX (box), title);
  experiments = lab_experiments_get_all (&n_experiments);
  for (guint e = 0; e < n_experiments; e++)
    for (guint l = 0; l < experiments[e]->n_summary_links; l++)
      {
        const LabSummaryLink *link = &experiments[e]->summary_links[l];

        if (g_strcmp0 (link->topic, topic) == 0)
          gtk_box_append (GTK_BOX (box),
                          create_link (self, experiments[e], link, max_width_chars));
      }
  gtk_widget_add_css_class (box, "summary-cell");
  gtk_widget_add_css_class (box, "summary-entity");

  return box;
}

static GtkWidget *
create_grid (const char *accessible_label)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_widget_add_css_class (grid, "card");
  gtk_widget_add_css_class (grid, "summary-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);

  return grid;
}

static void
attach_row_cell (GtkWidget *grid,
                 GtkWidget *cell,
                 int        column,
                 int        row)
{
  if (row % 2 == 0 && row > 0)
    gtk_widget_add_css_class (cell, "summary-stripe");
  gtk_grid_attach (GTK_GRID (grid), cell, column, row, 1, 1);
}

/* Processes, threads, coroutines: one row per entity. */
static GtkWidget *
create_table_1 (LabSummaryPage *self)
{
  GtkWidget *grid = create_grid (_("Processes, threads and coroutines compared"));

  gtk_grid_attach (GTK_GRID (grid), create_cell ("", "summary-header"), 0, 0, 1, 1);
  for (guint c = 0; c < N_ASPECTS_1; c++)
    gtk_grid_attach (GTK_GRID (grid), create_cell (_(aspects_1[c]), "summary-header"),
                     c + 1, 0, 1, 1);

  for (guint r = 0; r < G_N_ELEMENTS (entities_1); r++)
    {
      const EntityRow *row = &entities_1[r];

      attach_row_cell (grid, create_entity_cell (self, _(row->entity), FALSE, row->topic, 28),
                       0, r + 1);
      for (guint c = 0; c < N_ASPECTS_1; c++)
        attach_row_cell (grid, create_cell (_(row->cells[c]), NULL), c + 1, r + 1);
    }

  return grid;
}

/* The five APIs as columns, one row per aspect. */
static GtkWidget *
create_table_2 (LabSummaryPage *self)
{
  GtkWidget *grid = create_grid (_("The Python APIs compared"));

  gtk_grid_attach (GTK_GRID (grid), create_cell ("", "summary-header"), 0, 0, 1, 1);
  for (guint c = 0; c < N_ENTITIES_2; c++)
    {
      GtkWidget *cell = create_entity_cell (self, apis_2[c], TRUE, apis_2[c], 16);

      gtk_widget_add_css_class (cell, "summary-header");
      gtk_grid_attach (GTK_GRID (grid), cell, c + 1, 0, 1, 1);
    }

  for (guint r = 0; r < G_N_ELEMENTS (aspects_2); r++)
    {
      const AspectRow *row = &aspects_2[r];

      GtkWidget *aspect = create_cell (_(row->aspect), "heading");

      /* The aspect column takes only what its words need. */
      gtk_widget_set_hexpand (aspect, FALSE);
      gtk_label_set_wrap_mode (GTK_LABEL (aspect), PANGO_WRAP_WORD);
      gtk_label_set_max_width_chars (GTK_LABEL (aspect), 14);
      attach_row_cell (grid, aspect, 0, r + 1);
      for (guint c = 0; c < N_ENTITIES_2; c++)
        {
          GtkWidget *cell = create_cell (row->code ? row->cells[c] : _(row->cells[c]), NULL);

          /* Equal columns: every cell asks for the same width. */
          gtk_label_set_width_chars (GTK_LABEL (cell), 12);
          if (row->code)
            {
              gtk_widget_add_css_class (cell, "monospace");
              gtk_label_set_wrap_mode (GTK_LABEL (cell), PANGO_WRAP_WORD);
            }
          attach_row_cell (grid, cell, c + 1, r + 1);
        }
    }

  return grid;
}

static GtkWidget *
create_section (const char *title,
                const char *description,
                GtkWidget  *table)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *text = gtk_label_new (description);

  gtk_label_set_xalign (GTK_LABEL (heading), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_widget_add_css_class (heading, "title-3");
  gtk_label_set_xalign (GTK_LABEL (text), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_widget_add_css_class (text, "dim-label");
  gtk_widget_set_margin_bottom (text, 6);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), table);

  return box;
}

static void
lab_summary_page_dispose (GObject *object)
{
  LabSummaryPage *self = LAB_SUMMARY_PAGE (object);

  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  g_clear_pointer (&self->links, g_hash_table_unref);

  G_OBJECT_CLASS (lab_summary_page_parent_class)->dispose (object);
}

static void
lab_summary_page_class_init (LabSummaryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_summary_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "summarypage");
}

static void
lab_summary_page_init (LabSummaryPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 30);
  GtkWidget *clamp = adw_clamp_new ();

  self->links = g_hash_table_new (g_str_hash, g_str_equal);
  self->tables[0] = create_table_1 (self);
  self->tables[1] = create_table_2 (self);

  gtk_box_append (GTK_BOX (box),
                  create_section (_("Processes, threads and coroutines"),
                                  _("Three ways to do several things at once, from the most "
                                    "isolated to the lightest. Click a link to try it."),
                                  self->tables[0]));
  gtk_box_append (GTK_BOX (box),
                  create_section (_("Python's tools side by side"),
                                  _("Each column is one API from the lecture; its link opens "
                                    "the experiment that shows it."),
                                  self->tables[1]));
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);

  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1200);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), 1000);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);

  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), clamp);
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));
}

GtkWidget *
lab_summary_page_new (void)
{
  return g_object_new (LAB_TYPE_SUMMARY_PAGE, NULL);
}

void
lab_summary_page_get_table_size (LabSummaryPage *self,
                                 guint           index,
                                 guint          *n_rows,
                                 guint          *n_columns)
{
  int rows = 0, columns = 0;

  g_return_if_fail (LAB_IS_SUMMARY_PAGE (self));
  g_return_if_fail (index < G_N_ELEMENTS (self->tables));

  for (GtkWidget *child = gtk_widget_get_first_child (self->tables[index]);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int column, row, width, height;

      gtk_grid_query_child (GTK_GRID (self->tables[index]), child, &column, &row, &width, &height);
      columns = MAX (columns, column + width);
      rows = MAX (rows, row + height);
    }

  if (n_rows != NULL)
    *n_rows = rows;
  if (n_columns != NULL)
    *n_columns = columns;
}

GtkWidget *
lab_summary_page_get_link (LabSummaryPage *self,
                           const char     *name)
{
  g_return_val_if_fail (LAB_IS_SUMMARY_PAGE (self), NULL);

  return g_hash_table_lookup (self->links, name);
}
