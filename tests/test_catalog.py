"""The packaged rule catalog (ictb/data/rules.json) and its generator."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from ictb import findings
from ictb.findings import Severity

REPO = Path(__file__).resolve().parents[1]
RULES_JSON = REPO / "ictb" / "data" / "rules.json"
GENERATOR = REPO / "tools" / "gen_rules_catalog.py"
CODE = re.compile(r"^(ICTB|PRIV|LIC|HUM|DHS|RED|INPUT)-\d{3}$")
PREFIX_ORDER = ("ICTB", "PRIV", "LIC", "HUM", "DHS", "RED", "INPUT")


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_rules_catalog", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


gen = _load_generator()

TABLE_HEAD = "| Code | Sev | Fires when | Fields | Source |\n|---|---|---|---|---|\n"


def _committed() -> dict:
    return json.loads(RULES_JSON.read_text(encoding="utf-8"))


# --- (a) the committed catalog is what the generator makes from RULES.md now ---------


def test_committed_catalog_is_up_to_date() -> None:
    rules_md = gen.DEFAULT_RULES_MD
    if not rules_md.is_file():
        pytest.skip(f"RULES.md not found at {rules_md}")
    expected = gen.generate(rules_md)
    assert RULES_JSON.read_text(encoding="utf-8") == expected, (
        "ictb/data/rules.json is stale: run `python tools/gen_rules_catalog.py`"
    )


def test_every_rules_md_code_is_catalogued() -> None:
    rules_md = gen.DEFAULT_RULES_MD
    if not rules_md.is_file():
        pytest.skip(f"RULES.md not found at {rules_md}")
    in_md = set(
        re.findall(
            r"^\|\s*((?:ICTB|PRIV|LIC|HUM|DHS|RED)-\d{3})\s*\|",
            rules_md.read_text(encoding="utf-8"),
            flags=re.MULTILINE,
        )
    )
    catalogued = {rule["code"] for rule in _committed()["rules"]}
    assert in_md, "no rule rows found in RULES.md"
    assert catalogued - in_md == {"INPUT-001", "INPUT-002", "INPUT-003", "INPUT-004"}
    assert in_md <= catalogued


def test_committed_catalog_shape_and_order() -> None:
    text = RULES_JSON.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    raw = json.loads(text)
    assert raw["generated_from"] == "RULES.md"
    assert text == json.dumps(raw, indent=1, ensure_ascii=False) + "\n"
    codes = [rule["code"] for rule in raw["rules"]]
    assert len(codes) == len(set(codes))
    assert all(CODE.match(code) for code in codes)
    keys = [(PREFIX_ORDER.index(c.split("-")[0]), int(c.split("-")[1])) for c in codes]
    assert keys == sorted(keys)
    for rule in raw["rules"]:
        assert set(rule) == {"code", "severity", "title", "source"}
        assert rule["severity"] in {"error", "warning", "info"}
        assert rule["title"] and rule["source"]
        # markdown is gone and whitespace collapsed
        for text_field in (rule["title"], rule["source"]):
            assert "`" not in text_field and "**" not in text_field
            assert text_field == " ".join(text_field.split())
        assert not rule["source"].startswith(("Encl.", "Gloss."))
        assert rule["source"].count("DoDM 6025.13") <= 1


# --- (b) the loader ------------------------------------------------------------------


def test_catalog_loads_every_code_with_severity_enums() -> None:
    loaded = findings.catalog()
    assert set(loaded) == {rule["code"] for rule in _committed()["rules"]}
    for code, rule in loaded.items():
        assert rule.code == code
        assert isinstance(rule.severity, Severity)
    severities = {rule.severity for rule in loaded.values()}
    assert severities == {Severity.ERROR, Severity.WARNING, Severity.INFO}


# --- (c) spot checks on real content -------------------------------------------------


def test_spot_checks() -> None:
    cat = findings.catalog()
    assert cat["ICTB-022"].severity is Severity.WARNING
    assert cat["ICTB-020"].severity is Severity.ERROR
    assert cat["ICTB-020"].source.startswith("DoDM 6025.13 Encl. 4 §5e")
    assert cat["ICTB-020"].title.startswith("The privileges the ICTB rests on have expired")
    assert "as_of > priv.expires_on" in cat["ICTB-020"].title
    assert cat["DHS-001"].source.startswith("DHS MQM directive")
    assert cat["DHS-001"].source == "DHS MQM directive §II.A, §II.B.1"
    assert cat["RED-012"].severity is Severity.ERROR
    # the bold markers of "An **authorizing** license" are gone, the word stays
    assert cat["ICTB-026"].title.startswith("An authorizing license")
    # several citations in one cell: the DoDM prefix only at the start
    assert cat["ICTB-030"].source == (
        'DoDM 6025.13 Encl. 4 §5e; Encl. 7 §2b, §2h; Gloss. "adverse privileging action"'
    )
    assert cat["PRIV-008"].source.startswith('DoDM 6025.13 Gloss. "plan of supervision"')
    for code in ("INPUT-001", "INPUT-002", "INPUT-003", "INPUT-004"):
        assert cat[code].severity is Severity.ERROR
        assert cat[code].source == 'ictb SPEC "Security of input"'
    assert "XInclude" in cat["INPUT-002"].title
    assert cat["INPUT-003"].title == "The document exceeds a size or nesting-depth limit."


# --- (d) findings take severity and citation from the catalog ------------------------


def test_finding_uses_catalog() -> None:
    rule = findings.catalog()["ICTB-008"]
    f = findings.finding("ICTB-008", "msg", "loc")
    assert f.code == "ICTB-008"
    assert f.severity is rule.severity is Severity.ERROR
    assert f.source == rule.source == "DoDM 6025.13 Encl. 4 §5f(8)"
    assert (f.message, f.location) == ("msg", "loc")
    overridden = findings.finding("ICTB-008", "msg", severity=Severity.WARNING)
    assert overridden.severity is Severity.WARNING
    assert overridden.source == rule.source


def test_finding_rejects_unknown_code() -> None:
    with pytest.raises(KeyError):
        findings.finding("ICTB-999", "msg")


# --- the generator on small inputs ---------------------------------------------------


def test_generator_parses_markdown_and_citations() -> None:
    md = (
        "Intro text | not a table row\n\n"
        + TABLE_HEAD
        + "| PRIV-002 | warning | A `code` and **bold**   text\u00a0here. | `x` |"
        " `Encl. 4 §5e`; Encl. 7 §2b |\n"
        + "| ICTB-010 | info | Second. | f | DHS MQM directive §II.A |\n"
        + "| ICTB-002 | error | First. | f | DoDM 6025.13 Encl. 4 §5f(2) |\n"
        + "| Other | table | with | LIC-001 | last |\n"
        + '| LIC-001 | error | Glossary. | f | Gloss. "license" |\n'
    )
    catalog = gen.build_catalog(md)
    rules = catalog["rules"]
    assert [r["code"] for r in rules] == [
        "ICTB-002",
        "ICTB-010",
        "PRIV-002",
        "LIC-001",
        "INPUT-001",
        "INPUT-002",
        "INPUT-003",
        "INPUT-004",
    ]
    by_code = {r["code"]: r for r in rules}
    assert by_code["PRIV-002"] == {
        "code": "PRIV-002",
        "severity": "warning",
        "title": "A code and bold text here.",
        "source": "DoDM 6025.13 Encl. 4 §5e; Encl. 7 §2b",
    }
    assert by_code["ICTB-010"]["source"] == "DHS MQM directive §II.A"
    assert by_code["ICTB-002"]["source"] == "DoDM 6025.13 Encl. 4 §5f(2)"
    assert by_code["LIC-001"]["source"] == 'DoDM 6025.13 Gloss. "license"'
    text = gen.render(catalog)
    assert text.endswith("\n") and '\n "rules": [\n' in text
    assert "§" in text  # ensure_ascii=False


def test_generator_keeps_long_titles_whole() -> None:
    long_title = " ".join(f"word{i}" for i in range(400))
    md = TABLE_HEAD + f"| HUM-001 | error | {long_title} | f | Encl. 4 §8 |\n"
    (rule, *_) = gen.build_catalog(md)["rules"]
    assert rule["title"] == long_title


@pytest.mark.parametrize(
    ("rows", "needle"),
    [
        (
            "| ICTB-001 | error | A. | f | Encl. 1 |\n| ICTB-001 | info | B. | f | Encl. 2 |\n",
            "duplicate code ICTB-001",
        ),
        ("| ICTB-001 | fatal | A. | f | Encl. 1 |\n", "unknown severity 'fatal'"),
        ("| ICTB-001 | Error | A. | f | Encl. 1 |\n", "unknown severity 'Error'"),
        ("| ICTB-001 | error | A. | Encl. 1 |\n", "expected 5 columns"),
    ],
)
def test_generator_fails_loudly(rows: str, needle: str) -> None:
    with pytest.raises(gen.CatalogError, match=re.escape(needle)):
        gen.build_catalog(TABLE_HEAD + rows)


def test_generator_main_exits_nonzero_without_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "RULES.md"
    bad.write_text(TABLE_HEAD + "| RED-001 | error | A. | f | Encl. 4 §8c |\n" * 2, "utf-8")
    out = tmp_path / "out" / "rules.json"
    monkeypatch.setattr(gen, "OUTPUT", out)
    assert gen.main([str(bad)]) != 0
    assert "duplicate code RED-001" in capsys.readouterr().err
    assert not out.exists()
    assert gen.main([str(tmp_path / "missing.md")]) != 0
    assert not out.exists()


def test_generator_main_writes_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "RULES.md"
    good.write_text(TABLE_HEAD + "| RED-001 | error | A `b`. | f | Encl. 4 §8c |\n", "utf-8")
    out = tmp_path / "out" / "rules.json"
    monkeypatch.setattr(gen, "OUTPUT", out)
    assert gen.main([str(good)]) == 0
    written = json.loads(out.read_text("utf-8"))
    assert written["rules"][0] == {
        "code": "RED-001",
        "severity": "error",
        "title": "A b.",
        "source": "DoDM 6025.13 Encl. 4 §8c",
    }
    assert [r["code"] for r in written["rules"][1:]] == [
        "INPUT-001",
        "INPUT-002",
        "INPUT-003",
        "INPUT-004",
    ]
