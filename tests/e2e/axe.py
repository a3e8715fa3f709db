"""Run axe-core (vendored under ``vendor/axe-core``, no network) in a Playwright page."""

from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def violations(page) -> list[dict]:
    """Serious and critical WCAG 2.1 A/AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                            'best-practice']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
            "html": [n["html"][:160] for n in v["nodes"]][:3],
        }
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def assert_accessible(page, where: str = "") -> None:
    found = violations(page)
    assert not found, f"axe on {where or page.url}: {found}"


def small_targets(page) -> list[str]:
    """Targets smaller than 24 × 24 CSS px without room around them (axe's WCAG 2.2 rule
    ``target-size``, which Lighthouse runs too; off in axe by default)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: 'rule', values: ['target-size']}, resultTypes: ['violations'],
        })"""
    )
    return [n["html"][:120] for v in result["violations"] for n in v["nodes"]]
