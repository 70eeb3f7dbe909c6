"""Theme stacks: project theme → named theme → extends parent → built-in default."""

from __future__ import annotations

import pytest

from exporter.errors import ThemeError
from exporter.themes import BUILTIN_THEMES, load_theme


def test_default_theme_has_every_template():
    theme = load_theme("default")
    for name in ("theme.toml", "page.html", "page.css", "print.html", "print.css", "epub.css", "email.mjml",
                 "email.css", "index.html"):
        assert theme.find(name).is_file()
    assert theme.variables["accent"].startswith("#")


def test_project_theme_extends_and_overrides_one_file(tmp_path):
    folder = tmp_path / "themes" / "brand"
    folder.mkdir(parents=True)
    (folder / "theme.toml").write_text('extends = "default"\n[variables]\naccent = "#ff0000"\n')
    (folder / "page.css").write_text("body { color: red; }")
    theme = load_theme("brand", tmp_path)
    assert theme.dirs[0] == folder.resolve()
    assert theme.find("page.css") == folder.resolve() / "page.css"
    assert theme.find("print.css") == (BUILTIN_THEMES / "default" / "print.css").resolve()
    assert theme.variables["accent"] == "#ff0000"
    assert theme.variables["body_font"]  # inherited from the parent


def test_project_folder_overrides_a_builtin_theme_of_the_same_name(tmp_path):
    folder = tmp_path / "themes" / "default"
    folder.mkdir(parents=True)
    (folder / "email.css").write_text("/* mine */")
    theme = load_theme("default", tmp_path)
    assert theme.read("email.css") == "/* mine */"
    assert theme.find("page.html").is_file()


@pytest.mark.parametrize("name", ["../etc", "a/b", "", ".hidden"])
def test_theme_names_with_path_separators_are_refused(name):
    with pytest.raises(ThemeError, match="invalid theme name"):
        load_theme(name)


def test_missing_theme_and_extends_loop(tmp_path):
    with pytest.raises(ThemeError, match="no theme named 'nope'"):
        load_theme("nope", tmp_path)
    for name, parent in (("a", "b"), ("b", "a")):
        (tmp_path / "themes" / name).mkdir(parents=True)
        (tmp_path / "themes" / name / "theme.toml").write_text(f'extends = "{parent}"\n')
    with pytest.raises(ThemeError, match="loop"):
        load_theme("a", tmp_path)


def test_templates_escape_values():
    theme = load_theme("default")
    from exporter.config import load_settings  # noqa: F401  (settings unused: rendering is pure)

    html = theme.environment.from_string("<p>{{ value }}</p>").render(value="</mj-text><script>x</script>")
    assert "<script>" not in html and "&lt;script&gt;" in html
