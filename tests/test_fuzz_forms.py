"""Every form and every page's query string, fed hostile values (hypothesis): never a 5xx,
and a refused form changes nothing.

The routes come from the app's URL map, so a new form is fuzzed without a line here. The
demo is loaded once; each of its people (and a visitor) walks the pages they can reach,
which gives each form's real address and field names; a route no walk reached is fuzzed at
an address built from the demo's ids. The JSON API (/api/) is fuzzed from its OpenAPI
document elsewhere. The same for CSV and Excel imports: junk cells are refused with the
problems listed and nothing written.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from hackathon.extensions import db
from tests.helpers import Client, clear_tables

DEMO_PASSWORD = "demo-password"
PEOPLE = {
    "visitor": None,
    "organizer": "organizer@demo.test",  # also the site administrator
    "participant": "trainee1@demo.test",
    "judge": "judge1@demo.test",
    "company": "mentor1@demo.test",  # a mentor and a company's representative
}
# Addresses the walks leave alone: signing out ends the walk, files are not pages, and the
# storage emulation's upload is a signed ticket's target, fuzzed with the uploads.
SKIP_LINK = ("/logout", "/lang/", "/static/", "/api/", "/storage/", "/download", ".csv", ".zip")
PAGES_PER_PERSON = 70
# Hostile text: other scripts' digits, a superscript, huge and negative numbers, NUL
# bytes, impossible dates, odd unicode, very long strings.
JUNK = [
    "",
    " ",
    "0",
    "1",
    "-1",
    "²",
    "٣",
    "３",
    "1²",
    "१२",
    "9" * 10,
    "9" * 19,
    "9" * 10_000,
    "-" + "9" * 30,
    "1e309",
    "nan",
    "inf",
    "-inf",
    "1.5",
    "0x10",
    "\x00",
    "a\x00b",
    "2026-13-45T25:61",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2026-02-30T10:00",
    "2026-03-01",
    "yesterday",
    "x" * 5_000,
    "한" * 3_000,
    "\u202e\u200b\ufeff",
    "🙂" * 50,
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "../../etc/passwd",
    "on",
    "true",
    "accept",
    "submit",
]
JUNK_NAMES = ["rank_²", "rank_٣", "rank_" + "9" * 40, "company_٣", "score-²", "score-9", "x"]
# The value aimed at each kind of field, one field at a time, the others as the page filled
# them: what gets past a lax parser only to fail in the database.
AIMED = {
    "number": "9" * 19,
    "hidden": "9" * 19,
    "select": "9" * 19,
    "radio": "9" * 19,
    "datetime-local": "0001-01-01T00:00",
    "date": "0001-01-01",
    "text": "a\x00b",
    "textarea": "a\x00b",
    "email": "a\x00b@example.test",
    "url": "https://a\x00b.test",
    "search": "a\x00b",
}
# Every query parameter at once, with each of these.
AIMED_QUERIES = ["9" * 19, "²", "٣", "-1", "a\x00b"]
QUERY_NAMES = [
    "page",
    "k",
    "program",
    "seed",
    "user",
    "team",
    "track",
    "snapshot",
    "cut_off",
    "q",
    "next",
    "source",
    "mode",
    "all_teams",
    "avoid_repeats",
    "state",
    "sort",
]
SETTINGS = settings(
    max_examples=6,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@dataclass
class FormSeen:
    person: str
    path: str
    fields: dict[str, str]
    kinds: dict[str, str] = field(default_factory=dict)


@dataclass
class Walk:
    """What the people's walks found: forms by endpoint, pages by endpoint, query names."""

    forms: dict[str, FormSeen] = field(default_factory=dict)
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    query_names: set[str] = field(default_factory=set)


class _Forms(HTMLParser):
    """The POST forms of a page: their action and their fields' names and values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self.kinds: dict[str, str] = {}  # a field's input type, or its tag
        self.links: list[str] = []
        self._open: dict[str, str] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and a.get("method", "get").lower() == "post":
            self._open = {}
            self.forms.append((a.get("action", ""), self._open))
        elif self._open is not None and tag in {"input", "textarea", "select", "button"}:
            name = a.get("name")
            if name and name not in self._open:
                self._open[name] = a.get("value", "")
                self.kinds[name] = a.get("type", "text") if tag == "input" else tag
            self._select = name if tag == "select" else None
        elif self._open is not None and tag == "option" and self._select:
            self._open[self._select] = self._open.get(self._select) or a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


@dataclass
class World:
    app: object
    walk: Walk
    clients: dict[str, Client]
    slugs: dict[str, str]
    seconds: float = 0.0


def _client(app, person: str) -> Client:
    app.test_client_class = Client
    client = app.test_client()
    email = PEOPLE[person]
    if email:
        client.get("/login")
        response = client.form_post("/login", {"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, (person, response.status_code)
    return client


def _endpoint(adapter, path: str, method: str) -> str | None:
    try:
        endpoint, _args = adapter.match(path, method=method)
    except HTTPException:  # not an address of the app, or not for this method
        return None
    return endpoint


def _walk(app, clients: dict[str, Client]) -> Walk:
    adapter = app.url_map.bind("localhost")
    walk = Walk()
    for person, client in clients.items():
        starts = ["/", "/me", "/account", "/notifications"]
        if person == "organizer":
            starts += ["/admin", "/admin/users", "/admin/events/new", "/admin/programs/new"]
        if person == "visitor":
            starts += ["/login", "/signup", "/password/forgot"]
        queue, seen = list(starts), set()
        while queue and len(seen) < PAGES_PER_PERSON:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            parser = _Forms()
            parser.feed(response.get_data(as_text=True))
            for action, fields in parser.forms:
                target = urlsplit(urljoin(path, action or path))
                endpoint = _endpoint(adapter, target.path, "POST")
                if endpoint:
                    kinds = {n: parser.kinds.get(n, "text") for n in fields}
                    walk.forms.setdefault(endpoint, FormSeen(person, target.path, fields, kinds))
            endpoint = _endpoint(adapter, urlsplit(path).path, "GET")
            if endpoint:
                walk.pages.setdefault(endpoint, (person, urlsplit(path).path))
            for href in parser.links:
                target = urlsplit(urljoin(path, href.replace("&amp;", "&")))
                if target.netloc or any(s in target.path for s in SKIP_LINK):
                    continue
                walk.query_names |= {name for name, _v in parse_qsl(target.query)}
                link = target.path + (f"?{target.query}" if target.query else "")
                if link not in seen and link not in queue:
                    queue.append(link)
    return walk


@pytest.fixture(scope="module")
def world(_migrated_app) -> Iterator[World]:
    from hackathon.events.demo import load_demo
    from hackathon.events.models import Event, Program
    from hackathon.extensions import db, limiter
    from hackathon.jobs import wait_idle

    app = _migrated_app
    started = time.perf_counter()
    with app.app_context():
        load_demo()
        limiter.enabled = False  # hundreds of posts from one address are the point here
        clients = {person: _client(app, person) for person in PEOPLE}
        slugs = {
            "event": db.session.scalars(select(Event.slug).order_by(Event.id)).first(),
            "program": db.session.scalars(select(Program.slug).order_by(Program.id)).first(),
        }
        walk = _walk(app, clients)
        yield World(app, walk, clients, slugs, time.perf_counter() - started)
        limiter.enabled = True
        wait_idle(app)
        db.session.rollback()
        clear_tables(db)
        db.session.remove()
        limiter.reset()


def _form_rules(app, method: str) -> list:
    """The app's routes for `method`, pages only (the JSON API is fuzzed elsewhere; the
    storage emulation takes signed uploads)."""
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if method in rule.methods
            and not rule.rule.startswith(("/api/", "/static", "/storage/"))
            and "static" not in rule.endpoint
        ),
        key=lambda rule: rule.rule,
    )


def _built_path(world: World, rule) -> str:
    """An address for a route no walk reached: the demo's first event or program and id 1."""
    values: dict[str, object] = {}
    for name, converter in rule._converters.items():
        if name == "slug":
            values[name] = world.slugs["program" if rule.rule.startswith("/programs") else "event"]
        elif isinstance(converter, IntegerConverter):  # (ours, hackathon.numbers.IdConverter)
            values[name] = 1
        elif type(converter).__name__ == "AnyConverter":
            values[name] = sorted(converter.items)[0] if hasattr(converter, "items") else "x"
        else:
            values[name] = "x"
    adapter = world.app.url_map.bind("localhost")
    return adapter.build(
        rule.endpoint, values, method=next(iter(rule.methods - {"HEAD", "OPTIONS"}))
    )


def _person_for(world: World, rule) -> str:
    module = world.app.view_functions[rule.endpoint].__module__
    for audience, person in (
        ("participant", "participant"),
        ("judge", "judge"),
        ("company", "company"),
        ("jobfair", "participant"),
        ("public", "participant"),
        ("accounts", "visitor"),
    ):
        if audience in module:
            return person
    return "organizer"


def _row_counts() -> dict[str, int]:
    """Every table's row count, in one statement."""
    tables = db.metadata.sorted_tables
    counts = [select(func.count()).select_from(t).scalar_subquery() for t in tables]
    row = db.session.execute(select(*counts)).one()
    return {table.name: count for table, count in zip(tables, row, strict=True)}


def _refused(client: Client, response) -> bool:
    """Did the app say no? A 4xx, the form shown again with its problems, or a redirect
    with an error flashed."""
    if 400 <= response.status_code < 500:
        return True
    if response.status_code == 200:
        html = response.get_data(as_text=True)
        return 'class="field-error"' in html or "flash-error" in html
    with client.session_transaction() as session:
        flashes = session.pop("_flashes", [])
    return any(category == "error" for category, _message in flashes)


def _values(fields: list[str]):
    junk = st.sampled_from(JUNK) | st.text(max_size=40) | st.integers().map(str)
    return st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(fields, junk)
        | {name: junk for name in JUNK_NAMES if name not in fields},
    )


@dataclass
class Tally:
    routes: int = 0
    walked: int = 0
    examples: int = 0
    failures: dict[str, str] = field(default_factory=dict)


def _fuzz(label: str, tally: Tally, test) -> None:
    try:
        test()
    except Exception as error:  # hypothesis's falsifying example, named by its route
        tally.failures[label] = f"{type(error).__name__}: {str(error)[:600]}"


def _posting(client: Client, person: str, seen: FormSeen, tally: Tally):
    """The fuzz of one form: its own fields (some kept as the page filled them, the rest
    hostile) and junk fields; never a 5xx, and a refusal leaves every table as it was.
    First each field alone gets the value aimed at its kind, then hypothesis's mixes."""
    path, fields = seen.path, seen.fields
    names = [n for n in fields if n != "csrf_token"]

    @SETTINGS
    @given(junk=_values(names), keep=st.sets(st.sampled_from(names or ["-"])))
    def post(junk, keep):
        tally.examples += 1
        data = {n: v for n, v in fields.items() if n in keep and n != "csrf_token"}
        data.update(junk)
        before = _row_counts()
        response = client.form_post(path, data)
        assert response.status_code < 500, (person, path, data, response.status_code)
        if _refused(client, response):
            db.session.expire_all()
            after = _row_counts()
            changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
            assert not changed, (person, path, response.status_code, changed)

    for name in names:
        aimed = AIMED.get(seen.kinds.get(name, "text"))
        if aimed is not None:
            post = example(junk={name: aimed}, keep=set(names))(post)
    return post


def test_no_form_answers_5xx_and_a_refused_form_writes_nothing(world: World):
    tally, started = Tally(), time.perf_counter()
    for rule in _form_rules(world.app, "POST"):
        seen = world.walk.forms.get(rule.endpoint)
        if seen is None:
            seen = FormSeen(_person_for(world, rule), _built_path(world, rule), {})
        else:
            tally.walked += 1
        tally.routes += 1
        person = seen.person
        post = _posting(world.clients[person], person, seen, tally)
        _fuzz(f"POST {rule.rule} as {person}", tally, post)
        if "/logout" in rule.rule:  # the fuzz may have signed them out
            world.clients[person] = _client(world.app, person)
    seconds = time.perf_counter() - started
    print(
        f"\nforms: {tally.routes} POST routes ({tally.walked} reached by the walks), "
        f"{tally.examples} examples in {seconds:.1f} s (walk and demo {world.seconds:.1f} s)"
    )
    assert tally.walked >= tally.routes // 2, "the walks reach too few forms"
    assert not tally.failures, "\n\n".join(f"{k}\n{v}" for k, v in tally.failures.items())


def _getting(client: Client, person: str, path: str, names: list[str], tally: Tally):
    """The fuzz of one page's query string: a few known names with hostile values."""

    @SETTINGS
    @given(
        query=st.dictionaries(
            st.sampled_from(names),
            st.sampled_from(JUNK) | st.text(max_size=20),
            min_size=1,
            max_size=4,
        )
    )
    def get(query):
        tally.examples += 1
        response = client.get(path, query_string=query)
        assert response.status_code < 500, (person, path, query, response.status_code)

    for value in AIMED_QUERIES:
        get = example(query=dict.fromkeys(names, value))(get)
    return get


def test_no_page_answers_5xx_to_any_query_string(world: World):
    tally, started = Tally(), time.perf_counter()
    names = sorted(set(QUERY_NAMES) | world.walk.query_names)
    for rule in _form_rules(world.app, "GET"):
        if "/logout" in rule.rule or "download" in rule.endpoint:
            continue
        seen = world.walk.pages.get(rule.endpoint)
        if seen is None:
            person, path = _person_for(world, rule), _built_path(world, rule)
        else:
            (person, path), tally.walked = seen, tally.walked + 1
        tally.routes += 1
        get = _getting(world.clients[person], person, path, names, tally)
        _fuzz(f"GET {rule.rule} as {person}", tally, get)
    seconds = time.perf_counter() - started
    print(
        f"\npages: {tally.routes} GET routes ({tally.walked} reached by the walks), "
        f"{len(names)} query names, {tally.examples} examples in {seconds:.1f} s"
    )
    assert not tally.failures, "\n\n".join(f"{k}\n{v}" for k, v in tally.failures.items())


# CSV and Excel imports: every kind that imports, junk cells under its own columns.


def _csv_bytes(columns: tuple[str, ...], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _importing(world: World, kind, path, tally: Tally):
    """The fuzz of one CSV kind: its own header, rows of junk cells; the command ends with
    the problems listed (exit 1) and nothing written, or imports what was good."""
    runner = world.app.test_cli_runner()
    cell = st.sampled_from([j for j in JUNK if "\x00" not in j and len(j) < 100]) | st.text(
        alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
        max_size=12,
    )
    width = len(kind.columns)

    @SETTINGS
    @given(rows=st.lists(st.lists(cell, min_size=width, max_size=width), min_size=1, max_size=4))
    def run(rows):
        tally.examples += 1
        path.write_bytes(_csv_bytes(kind.columns, rows))
        before = _row_counts()
        result = runner.invoke(args=["import", world.slugs["event"], kind.name, str(path)])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            kind.name,
            rows,
            result.exception,
        )
        assert result.exit_code in {0, 1}, (kind.name, rows, result.output)
        if result.exit_code == 1:
            assert "nothing was imported" in result.output.lower(), result.output
            db.session.expire_all()
            assert _row_counts() == before, (kind.name, rows)

    return run


def test_imports_refuse_junk_cells_and_write_nothing(world: World, tmp_path):
    from hackathon.registry import get_registry

    kinds = [k for k in get_registry(world.app).csv_kinds.values() if k.importer]
    tally, started = Tally(), time.perf_counter()
    for kind in kinds:
        tally.routes += 1
        run = _importing(world, kind, tmp_path / f"{kind.name}.csv", tally)
        _fuzz(f"import {kind.name}", tally, run)
    seconds = time.perf_counter() - started
    print(f"\nimports: {tally.routes} kinds, {tally.examples} files in {seconds:.1f} s")
    assert not tally.failures, "\n\n".join(f"{k}\n{v}" for k, v in tally.failures.items())


def _workbook(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["email", "name", "role"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_broken_excel_file_is_refused_clearly_and_writes_nothing(world: World, tmp_path):
    good = _workbook([["new.person@example.test", "새 사람", "participant"]])
    runner = world.app.test_cli_runner()
    client = world.clients["organizer"]
    slug = world.slugs["event"]
    outcomes: dict[str, int] = {}

    @SETTINGS
    @given(
        cut=st.integers(min_value=0, max_value=len(good)),
        flip=st.lists(st.tuples(st.integers(0, len(good) - 1), st.integers(0, 255)), max_size=6),
    )
    def run(cut, flip):
        data = bytearray(good[:cut] if cut < len(good) else good)
        for at, byte in flip:
            if at < len(data):
                data[at] = byte
        path = tmp_path / "roster.xlsx"
        path.write_bytes(bytes(data))
        before = _row_counts()
        result = runner.invoke(args=["import", slug, "roster", str(path)])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception
        )
        outcomes[str(result.exit_code)] = outcomes.get(str(result.exit_code), 0) + 1
        response = client.form_post(
            f"/events/{slug}/people/upload",
            {"file": (io.BytesIO(bytes(data)), "roster.xlsx")},
            content_type="multipart/form-data",
        )
        assert response.status_code < 500
        if result.exit_code == 1:
            db.session.expire_all()
            assert _row_counts() == before

    run()
    assert outcomes.get("1"), outcomes  # broken files were refused, not imported


def test_a_nul_character_in_a_form_is_refused_before_the_database(world: World):
    from hackathon.accounts.models import User

    client = world.clients["organizer"]
    client.get("/account")
    before = db.session.scalar(select(User.name).where(User.email == PEOPLE["organizer"]))
    for lang, words in (("ko", "NUL 문자"), ("en", "NUL character")):
        client.form_post(f"/lang/{lang}")
        response = client.form_post("/account", {"name": "이름\x00끝", "locale": ""})
        assert response.status_code == 400
        assert words in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(User.name).where(User.email == PEOPLE["organizer"])) == before
    # A query string too: the search of the people's list never reaches the database.
    assert client.get("/admin/users", query_string={"q": "a\x00b"}).status_code == 400
