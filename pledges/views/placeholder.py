"""Placeholders for agreed URL names; each owner replaces its view in its own module."""

from django.http import HttpResponse


def not_built_yet(request, *args, **kwargs):
    return HttpResponse(status=501)
