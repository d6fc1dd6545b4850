"""Take the screenshots in docs/ from freshly built maps: `python scripts/screenshots.py`.

Needs Debian's Chromium and the dev dependencies (playwright); see .ci/run.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from markdown_it import MarkdownIt
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "shoe-purchase"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
MARKDOWN_PAGE = """<!doctype html><meta charset="utf-8"><style>
body {{ font: 16px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; max-width: 980px;
  margin: 24px auto; color: #1f2328; }}
table {{ border-collapse: collapse; }} th, td {{ border: 1px solid #d0d7de; padding: 6px 13px; }}
pre {{ background: #f6f8fa; padding: 16px; overflow: auto; }}
</style>{body}"""


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        maps = Path(folder)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "jmap",
                "build",
                str(ROOT / "examples" / f"{EXAMPLE}.yaml"),
                "-q",
                "-o",
                str(maps),
                "-f",
                "svg,html,md",
            ],
            check=True,
        )
        markdown = (maps / f"{EXAMPLE}.md").read_text(encoding="utf-8")
        page_html = MarkdownIt("commonmark").enable(["table"]).render(markdown)
        # Draw the Mermaid block the way GitHub does, with the Mermaid the tests use.
        page_html = page_html.replace(
            '<pre><code class="language-mermaid">', '<pre class="mermaid">'
        ).replace("</code></pre>", "</pre>")
        mermaid = ROOT / "tests" / "node" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
        page_html += (
            f'<script src="{mermaid.as_uri()}"></script>'
            "<script>mermaid.initialize({startOnLoad: true});</script>"
        )
        (maps / "md.html").write_text(MARKDOWN_PAGE.format(body=page_html), encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            # The whole map scaled to 2400 px wide, as an <img>: the way a page or a wiki shows it.
            overview = maps / "svg.html"
            overview.write_text(
                f'<body style="margin:0"><img src="{EXAMPLE}.svg" style="width:2400px">',
                encoding="utf-8",
            )
            page = browser.new_page(viewport={"width": 2400, "height": 900})
            page.goto(overview.as_uri())
            page.screenshot(path=ROOT / "docs" / "map-svg.png", full_page=True)
            page = browser.new_page(viewport={"width": 1440, "height": 1800})
            page.goto((maps / f"{EXAMPLE}.html").as_uri())
            page.screenshot(path=ROOT / "docs" / "map-html.png")
            page = browser.new_page(viewport={"width": 1100, "height": 1600})
            page.goto((maps / "md.html").as_uri())
            page.wait_for_selector("pre.mermaid svg")
            page.screenshot(path=ROOT / "docs" / "map-md.png")
            browser.close()


if __name__ == "__main__":
    main()
