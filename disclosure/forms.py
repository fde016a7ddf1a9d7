"""The site's form renderer: every field through one template (templates/forms/field.html).

TemplatesSetting, so that the project's templates/ can also override Django's own widget
templates (the empty choice's label, templates/django/forms/widgets/select_option.html)."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"
