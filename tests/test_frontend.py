"""The browser code's house rules, checked on the files: ES modules from our own origin,
one shared module, no globals, and a vendored library that matches its pin."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "hackathon" / "static"
SCRIPTS = sorted((STATIC / "js").glob("*.js"))
PAGE_SCRIPTS = ["judging.js", "leaderboard.js", "projector.js", "upload.js", "votes.js"]
IMPORT = re.compile(r'^import\s[^;]*?from\s+"([^"]+)";', re.M)


def test_templates_load_only_our_own_modules():
    tags = []
    for template in (ROOT / "hackathon" / "templates").rglob("*.html"):
        tags += re.findall(r"<script\b[^>]*>", template.read_text(encoding="utf-8"))
    assert tags
    for tag in tags:
        assert 'type="module"' in tag, tag  # no classic scripts, no JSON blocks
        assert "src=\"{{ url_for('static', filename='js/" in tag, tag  # never inline, never a CDN


def test_every_page_script_uses_the_shared_module():
    for name in PAGE_SCRIPTS:
        imports = IMPORT.findall((STATIC / "js" / name).read_text(encoding="utf-8"))
        assert "./app.js" in imports, name


def test_one_dialect_and_no_globals():
    for script in SCRIPTS:
        text = script.read_text(encoding="utf-8")
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)
        assert not re.search(r"\bvar\s", code), script.name
        assert not re.search(r"\bwindow\.\w+\s*=[^=]", code), script.name
        assert "(function" not in code, script.name
        assert "document.currentScript" not in code, script.name


def test_imports_resolve_to_files_that_exist():
    for script in SCRIPTS:
        for target in IMPORT.findall(script.read_text(encoding="utf-8")):
            assert target.startswith("."), f"{script.name}: {target} is not a relative import"
            assert (script.parent / target).resolve().is_file(), f"{script.name}: {target}"


def test_the_scripts_need_no_more_than_our_own_origin(app):
    from hackathon.security import content_security_policy

    with app.test_request_context("/"):
        directives = [d.strip() for d in content_security_policy().split(";")]
    assert "script-src 'self'" in directives
    assert "object-src 'none'" in directives


def test_the_vendored_hash_is_the_pinned_version_with_its_licence():
    package = json.loads((ROOT / "frontend" / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "frontend" / "package-lock.json").read_text(encoding="utf-8"))
    pinned = package["dependencies"]["@noble/hashes"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned)  # an exact version, not a range
    assert lock["packages"]["node_modules/@noble/hashes"]["version"] == pinned
    folder = STATIC / "vendor" / f"noble-hashes-{pinned}"
    assert "MIT License" in (folder / "LICENSE").read_text(encoding="utf-8")
    vendored = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    assert vendored["version"] == pinned
    assert [p.name for p in (STATIC / "vendor").iterdir()] == [folder.name]  # no old copy
    assert f"/vendor/noble-hashes-{pinned}/" in (STATIC / "js" / "checksum.js").read_text()
    assert not (ROOT / "frontend" / "node_modules").exists() or _ignored("frontend/node_modules")


def _ignored(path: str) -> bool:
    return f"{path}/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
