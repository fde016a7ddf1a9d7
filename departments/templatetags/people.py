"""`{{ entry.author|person }}`: a person by their name, by the one rule in
`departments.people`."""

from django import template

from departments.people import display_name

register = template.Library()


@register.filter
def person(user) -> str:
    return display_name(user)
