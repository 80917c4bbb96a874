/* The application form page's fields from the form table: each field is a
 * list item whose values templates/form_field.html turns into its label,
 * element, hint and error. Every item sets every key the partial reads, so
 * that a key never falls through to the page's values (the page's "error"
 * is the summary on top). */
#include "web/form_fields.h"

#include <string.h>

/* Same order as enum form_fieldset. */
static const char *const fieldset_lists[FORM_FIELDSET__MAX] = {
	"fields_sertifika",
	"fields_kurum",
};

/* The tag and the type attribute of each element kind ("": none). */
static const struct {
	const char *tag, *type;
} elements[FORM_EL__MAX] = {
	[FORM_EL_TEXT] = {"input", "text"},    [FORM_EL_EMAIL] = {"input", "email"},
	[FORM_EL_TEL] = {"input", "tel"},      [FORM_EL_PASSWORD] = {"input", "password"},
	[FORM_EL_TEXTAREA] = {"textarea", ""}, [FORM_EL_SELECT] = {"select", ""},
};

const char *form_fields_list(enum form_fieldset fs)
{
	return (unsigned)fs < FORM_FIELDSET__MAX ? fieldset_lists[fs] : "?";
}

static void set_flag(tpl *item, const char *key, int on)
{
	tpl_set(item, key, on ? "1" : "");
}

void form_fields_option(tpl *item, const char *value, const char *label, int selected)
{
	tpl *o = item != NULL ? tpl_add(item, "options") : NULL;

	tpl_set(o, "value", value);
	tpl_set(o, "label", label);
	set_flag(o, "selected", selected);
}

/* The ids the field's element points to with aria-describedby: its hint
 * and its error, each when shown ("" when neither). */
static void set_described_by(tpl *item, const struct form_field_def *d, int error)
{
	const char *n = d->name;

	if (d->html.hint != NULL && error)
		tpl_setf(item, "describedby", "%s-ipucu %s-hata", n, n);
	else if (d->html.hint != NULL)
		tpl_setf(item, "describedby", "%s-ipucu", n);
	else if (error)
		tpl_setf(item, "describedby", "%s-hata", n);
	else
		tpl_set(item, "describedby", "");
}

/* The element of d: tag, attributes and the text it shows. */
static void set_element(tpl *item, const struct form_field_def *d, const char *value)
{
	enum form_element el = d->html.element;
	int input = strcmp(elements[el].tag, "input") == 0;
	int secret = el == FORM_EL_PASSWORD || d->input == FORM_INPUT_SECRET;

	tpl_set(item, "tag", elements[el].tag);
	tpl_set(item, "type", elements[el].type);
	set_flag(item, "is_select", el == FORM_EL_SELECT);
	set_flag(item, "is_textarea", el == FORM_EL_TEXTAREA);
	set_flag(item, "has_value", input && !secret);
	tpl_set(item, "value", secret ? "" : value);
	tpl_set(item, "inputmode", d->html.inputmode);
	tpl_set(item, "pattern", d->html.pattern);
	tpl_set(item, "autocomplete", d->html.autocomplete);
	if (d->html.maxlength > 0)
		tpl_setf(item, "maxlength", "%u", d->html.maxlength);
	else
		tpl_set(item, "maxlength", "");
	set_flag(item, "required", d->html.flags & FORM_HTML_REQUIRED);
	set_flag(item, "districts", d->html.flags & FORM_HTML_DISTRICTS);
	set_flag(item, "blank", d->html.flags & FORM_HTML_BLANK);
}

/* The item of field d: label, element, hint, error; grid_close set by the
 * caller. */
static tpl *field_item(tpl *t, const struct form_field_def *d, const struct form_fields_in *in)
{
	tpl *item = tpl_add(t, form_fields_list(d->html.fieldset));
	const char *error = in->error[d->id];

	tpl_set(item, "name", d->name);
	tpl_set(item, "label", d->label);
	set_flag(item, "marked", d->html.flags & (FORM_HTML_REQUIRED | FORM_HTML_MARK_ONLY));
	set_element(item, d, in->value[d->id]);
	tpl_set(item, "hint", d->html.hint);
	tpl_set(item, "error", error);
	set_described_by(item, d, error != NULL);
	set_flag(item, "grid_open", d->html.flags & FORM_HTML_GRID);
	set_flag(item, "grid_close", 0);
	return item;
}

/* The options of d's option table, the one equal to value selected. */
static void table_options(tpl *item, const struct form_field_def *d, const char *value)
{
	for (const struct form_option *o = d->options; o != NULL && o->value != NULL; o++)
		form_fields_option(item, o->value, o->label,
				   value != NULL && strcmp(value, o->value) == 0);
}

void form_fields_add(tpl *t, const struct form_fields_in *in, tpl *items[FF__MAX])
{
	const struct form_field_def *ft = form_field_table();
	int grid = 0; /* the previous item opened a grid this one closes */

	for (int i = 0; i < FF__MAX; i++) {
		items[i] = NULL;
		if ((ft[i].html.flags & FORM_HTML_FIRST_ONLY) && !in->first_application)
			continue;
		items[i] = field_item(t, &ft[i], in);
		set_flag(items[i], "grid_close", grid);
		grid = (ft[i].html.flags & FORM_HTML_GRID) != 0;
		if (ft[i].html.element == FORM_EL_SELECT)
			table_options(items[i], &ft[i], in->value[i]);
	}
}
