"""The shared templates: HTML escaped, Markdown not, a missing name an error, Jinja2 loaded only when used."""

import subprocess
import sys

import pytest

from tamdesk.render import environment, render


def test_html_is_escaped_and_markdown_is_not():
    from jinja2 import DictLoader

    # The environment's own settings over two templates named as the shipped ones are.
    env = environment().overlay(loader=DictLoader({"x.html.j2": "{{ v }}", "x.md.j2": "{{ v }}"}))
    assert env.get_template("x.html.j2").render(v="<b>&") == "&lt;b&gt;&amp;"
    assert env.get_template("x.md.j2").render(v="<b>&") == "<b>&"


def test_the_page_is_self_contained_and_prints_on_any_paper():
    page = render("page.html.j2")
    assert page.startswith("<!DOCTYPE html>")
    assert "@page { size: auto; margin: 15mm; }" in page
    # No scripts, no external requests: the page opens offline and leaks nothing.
    assert "<script" not in page
    assert "http://" not in page and "https://" not in page and "src=" not in page and "<link" not in page


def test_a_name_the_context_lacks_is_an_error():
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        environment().from_string("{{ missing }}").render()


def test_importing_render_does_not_import_jinja2():
    loaded = subprocess.run(
        [sys.executable, "-c", "import tamdesk.render, sys; print('jinja2' in sys.modules)"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout.strip()
    assert loaded == "False"
