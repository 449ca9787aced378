"""Small helpers the HTML views share."""

from django import forms

from survivor_portal.errors import DomainError


def show_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's refusal on the form, beside the field it concerns when there is one."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
