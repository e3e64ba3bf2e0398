from django.forms.renderers import TemplatesSetting


class PlatformFormRenderer(TemplatesSetting):
    """Every form renders with the design system: error summary on top, then per field
    label, hint, error message and input (the GOV.UK pattern), linked by aria-describedby."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
