"""How the benchmarks start Debian's Chromium: in a container or CI runner, with no sandbox, no
GPU and nothing fetched (the same flags as tests/browser.py, which the tests keep for
themselves). Shared by compare.py (Mermaid's CLI) and serve_latency.py (Playwright)."""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
