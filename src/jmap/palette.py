"""Every colour jmap draws with. Change one here and every output that shows it follows.

Where emotion 2 gets its colour, in every output: `EMOTIONS[2]`. The SVG map's feelings and
legend take it through the stylesheet render/grid/draw.py writes; the flow graph's nodes
through `jmap.view.MOODS` (render/dot/flow.py); the HTML map, the portfolio page and the HTML
diff take it through the same `MOODS` for their curve points (render/curve.py, diff/html.py)
and through `templates/html/moods.css` for their mood chips.
Markdown, Mermaid, JSON and the text diff show no colour: they put an emotion into symbols and
words (`jmap.wording`).

What is here, and who reads it:
- `GRID`: the grid map (render/grid), the SVG map that `jmap build` writes.
- `EMOTIONS`: the fill of each emotion score and the text ink on it. Every coloured output.
- `FLOW`: the rest of the flow graph (render/dot, `--format flow`): ink, node lines, routes
  and stage fills.
- `LIGHT` and `DARK`: the two colour schemes of the HTML pages (the map, the portfolio page,
  the diff), which `templates/html/map.css` and `templates/diff.html.j2` write as CSS custom
  properties, so a browser switches between them without other changes. `SEVERITY_EDGES` and
  `PAPER` are the same in both.

The SVG map, the PDF deck and the templates read the `Palette` of their render context
(`DEFAULT`, made of this module's colours, or a team's theme's: jmap.theme), which templates
reach as the Jinja global `palette` (jmap.templating); a team's own templates can use it too.
What no theme changes (the emotion colours through view.MOODS, the flow graph) reads this
module. The SVG and the HTML pages have colours of their own where the
output needs its own (the HTML pages have a dark scheme, the SVG map is drawn on white), so
an entry of `GRID` and one of `LIGHT` may differ for the same part: both are written here, and
only here. Colours are written into the output as spelled here: respelling one changes bytes.
Only translucent shadows stay in the CSS: they darken whatever is under them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final


@dataclass(frozen=True)
class Swatch:
    fill: str
    ink: str  # text colour on that fill, at least 4.5:1 contrast


@dataclass(frozen=True)
class Box:
    fill: str
    line: str


# From ColorBrewer's colour-blind-safe diverging RdBu scale. Never the only sign of an emotion:
# every output also shows its symbol, score and words.
EMOTIONS: Final[dict[int, Swatch]] = {
    1: Swatch("#b2182b", "#ffffff"),
    2: Swatch("#ef8a62", "#000000"),
    3: Swatch("#f7f7f7", "#000000"),
    4: Swatch("#67a9cf", "#000000"),
    5: Swatch("#2166ac", "#ffffff"),
}


@dataclass(frozen=True)
class Band:
    """A stage's colour in the HTML pages: the band on top of its column, the tint under it."""

    band: str
    tint: str


@dataclass(frozen=True)
class Theme:
    """One colour scheme of the HTML pages: each field is a CSS custom property."""

    bg: str
    surface: str
    surface_2: str
    ink: str
    muted: str
    rule: str
    rule_strong: str
    accent: str
    focus: str
    curves: tuple[str, ...]  # --p1 to --p5: one per persona's emotion curve, in turn
    stages: tuple[Band, ...]  # --band-1/--tint-1 to 6, in turn along the journey
    severities: dict[str, Swatch]  # --sev-<severity>-bg/-ink: the severity chips
    current_state: Swatch  # the "Current state" chip of the heading
    future_state: Swatch
    lowest: str  # the ring around the lowest points of the emotion curves
    # The HTML diff: badges and score steps, and the line of the old curve.
    added: Swatch
    removed: Swatch
    changed: Swatch
    old_line: str
    # An opportunity's status chip (`idea` to `dropped`); the word is always written on it.
    statuses: dict[str, Swatch]
    # A KPI's "on track" / "off track": the ink of its words, beside a sign.
    on_track: str
    off_track: str


LIGHT: Final = Theme(
    bg="#f4f5f7",
    surface="#ffffff",
    surface_2="#eef0f4",
    ink="#1b2130",
    muted="#4a5366",
    rule="#d9dde5",
    rule_strong="#a9b1bf",
    accent="#1d4ed8",
    focus="#1d4ed8",
    curves=("#1b2130", "#7c3aad", "#0b7359", "#9a4d06", "#5b6478"),
    stages=(
        Band("#0f766e", "#e2f2ef"),
        Band("#4f46e5", "#ebeafc"),
        Band("#b45309", "#fbf0de"),
        Band("#be185d", "#fbe7f0"),
        Band("#15803d", "#e4f3e8"),
        Band("#475569", "#e8ecf1"),
    ),
    severities={
        "critical": Swatch("#9b1c1c", "#ffffff"),
        "high": Swatch("#fde2d2", "#8a2a0a"),
        "medium": Swatch("#fcefc4", "#5c4300"),
        "low": Swatch("#e3ebf5", "#23456a"),
    },
    current_state=Swatch("#e3ebf5", "#1d3d66"),
    future_state=Swatch("#ece3fb", "#4c1d95"),
    lowest="#1b2130",
    added=Swatch("#dcfce7", "#14532d"),
    removed=Swatch("#fee2e2", "#7f1d1d"),
    changed=Swatch("#fef3c7", "#713f12"),
    old_line="#5b6478",
    statuses={
        "idea": Swatch("#eef0f4", "#3b4252"),
        "planned": Swatch("#e3ebf5", "#1d3d66"),
        "in progress": Swatch("#fef3c7", "#713f12"),
        "done": Swatch("#dcfce7", "#14532d"),
        "dropped": Swatch("#e5e7eb", "#4a5366"),
    },
    on_track="#14632f",
    off_track="#9b1c1c",
)

DARK: Final = Theme(
    bg="#111318",
    surface="#1a1d24",
    surface_2="#22262f",
    ink="#e8ebf1",
    muted="#b0b8c6",
    rule="#343a46",
    rule_strong="#566072",
    accent="#93b4ff",
    focus="#93b4ff",
    curves=("#eef1f6", "#d2a8ff", "#5fd4ad", "#f5b45e", "#a8b2c4"),
    stages=(
        Band("#2dd4bf", "#13302d"),
        Band("#a5b4fc", "#23224a"),
        Band("#fbbf24", "#35280f"),
        Band("#f9a8d4", "#381a29"),
        Band("#86efac", "#14301d"),
        Band("#cbd5e1", "#252c37"),
    ),
    severities={
        "critical": Swatch("#f3b4b4", "#4a0a0a"),
        "high": Swatch("#5a2410", "#ffd7c4"),
        "medium": Swatch("#463506", "#fbe7a6"),
        "low": Swatch("#1d3553", "#cfe0f5"),
    },
    current_state=Swatch("#1d3553", "#cfe0f5"),
    future_state=Swatch("#33215c", "#e3d4ff"),
    lowest="#eef1f6",
    added=Swatch("#14532d", "#dcfce7"),
    removed=Swatch("#7f1d1d", "#fee2e2"),
    changed=Swatch("#713f12", "#fef3c7"),
    old_line="#a8b2c4",
    statuses={
        "idea": Swatch("#2a2f3a", "#d5dbe5"),
        "planned": Swatch("#1d3553", "#cfe0f5"),
        "in progress": Swatch("#463506", "#fbe7a6"),
        "done": Swatch("#14532d", "#dcfce7"),
        "dropped": Swatch("#343a46", "#b0b8c6"),
    },
    on_track="#86efac",
    off_track="#f3b4b4",
)

# The edge of a pain point's card in the HTML and SVG maps and of its row in the portfolio
# page: strong enough for either scheme, so the same in both.
SEVERITY_EDGES: Final[dict[str, str]] = {
    "critical": "#9b1c1c",
    "high": "#d9622b",
    "medium": "#c99a06",
    "low": "#6b8db5",
}

# Behind the SVG map where a page shows it, and behind a printed page.
PAPER: Final = "#fff"


@dataclass(frozen=True)
class Grid:
    """The grid map (render/grid): the SVG map since issue 13, drawn on white."""

    ink: str
    muted: str  # secondary text: channels, notes, captions; 4.5:1 on every fill below
    paper: str
    rule: str  # card frames and guides
    lane_header: str  # behind the lane names
    card: str
    # Stage columns: the band of each stage's header (the HTML map's) and the tint under it,
    # in turn along the journey.
    stages: tuple[Band, ...]
    stage_ink: str  # text on a stage's band
    # One per persona's curve, in turn: Okabe and Ito's colour-blind-safe set. A persona is
    # also told apart by its marker shape and dash, never by colour alone.
    curves: tuple[str, ...]
    lowest: str  # the ring and label of a curve's lowest point
    route: str  # a route written in `next`, and its label
    answer: str  # an opportunity's link to the pain point it answers in another column
    opportunity: Box
    backstage: Box
    visibility: str  # the line of visibility
    moment: str  # the "moment that matters" flag on a touchpoint
    severities: dict[str, Swatch]  # the severity badges; the word is always written
    # A service blueprint's lanes and lines: physical evidence and frontstage on the customer's
    # side of the line of visibility, support processes under the line of internal interaction.
    frontstage: Box
    support: Box
    interaction: str  # the line of interaction
    internal: str  # the line of internal interaction
    statuses: dict[str, Swatch]  # an opportunity's status chip
    on_track: str
    off_track: str


GRID: Final = Grid(
    ink="#1b2130",
    muted="#4a5366",
    paper="#ffffff",
    rule="#a9b1bf",
    lane_header="#eef0f4",
    card="#ffffff",
    stages=LIGHT.stages,
    stage_ink="#ffffff",
    curves=("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"),
    lowest="#b2182b",
    route="#6a3d9a",
    answer="#2f7d32",
    opportunity=Box("#e3f2e1", "#2f7d32"),
    backstage=Box("#f3f0e8", "#8a8274"),
    visibility="#4a5366",
    moment="#b2182b",
    severities=LIGHT.severities,
    frontstage=Box("#eef4fb", "#6b8db5"),
    support=Box("#eceff3", "#7a8496"),
    interaction="#1b2130",
    internal="#4a5366",
    statuses=LIGHT.statuses,
    on_track=LIGHT.on_track,
    off_track=LIGHT.off_track,
)


@dataclass(frozen=True)
class Flow:
    """The flow graph (render/dot): touchpoints as nodes, routes as arrows, stages as boxes."""

    ink: str
    muted: str
    paper: str
    node_line: str
    route: str  # a touchpoint's first route: the way its journey goes on
    branch: str  # its other routes, the alternatives, and every route's label
    stages: tuple[Band, ...]  # the band is the stage's frame, the tint its fill


FLOW: Final = Flow(
    ink=GRID.ink,
    muted=GRID.muted,
    paper=GRID.paper,
    node_line=GRID.rule,
    route=GRID.ink,
    branch=GRID.route,
    stages=GRID.stages,
)


@dataclass(frozen=True)
class Logo:
    """A team's logo (jmap.theme checks it): an SVG or PNG file, embedded in every output."""

    mime: str  # "image/svg+xml" or "image/png"
    data: bytes = field(repr=False)
    width: float  # its size as drawn at a height of `height`, in the map's units
    height: float
    digest: str  # SHA-256 of `data`: what a repr, and so a build's settings key, shows

    @property
    def data_uri(self) -> str:
        import base64

        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass(frozen=True, eq=False)
class Palette:
    """Every colour an output is drawn with: this module's, or a theme's (jmap.theme).

    Renderers read it from their render context and templates as `palette`, never from a
    global, so two builds with two themes in one process do not mix. The field names are the
    module's own, so `palette.LIGHT.ink` reads the same in a template either way. Compared and
    hashed by identity: one object per theme, made once (jmap.theme.palette_for).
    """

    LIGHT: Theme
    DARK: Theme
    GRID: Grid
    FLOW: Flow
    EMOTIONS: dict[int, Swatch]
    SEVERITY_EDGES: dict[str, str]
    PAPER: str
    FONT: str | None = None  # the HTML pages' font-family; None keeps the system's
    LOGO: Logo | None = None
    # The SVG map's title, where a theme has an accent; None: the ink, as unthemed.
    TITLE: str | None = None


DEFAULT: Final = Palette(LIGHT, DARK, GRID, FLOW, EMOTIONS, SEVERITY_EDGES, PAPER)
