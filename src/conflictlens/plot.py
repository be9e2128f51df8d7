"""Small plots of the analyses (matplotlib, Agg backend, imported only when a plot is drawn).

:func:`plot_blocs` draws the camps per year: one row per actor, a square per year coloured
by camp, the actors that switched camp in bold; above it, the frustration index and the
share of balanced triangles per year. PNG or SVG, chosen by the file's suffix.
"""

from __future__ import annotations

from pathlib import Path

from .network import Blocs
from .records import KB

CAMP_COLOURS = ("#1f77b4", "#d62728")  # camp A blue, camp B red
FORMATS = (".png", ".svg")


def plot_blocs(kb: KB, bl: Blocs, path: str | Path, top: int = 25, title: str = "") -> Path:
    """Write the camps-per-year chart of ``bl`` to ``path`` (.png or .svg).

    Args:
        kb: the knowledge base (actor names and mention counts).
        bl: camps per year, from :func:`conflictlens.network.blocs`.
        path: the output file; its suffix chooses the format.
        top: at most this many actors: those in a camp in most years, then most mentioned
            (switchers always shown).
        title: the chart's title.

    Returns:
        The path written.
    """
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"cannot plot to {path.name!r}: give a file ending in .png or .svg")
    import matplotlib

    matplotlib.use("Agg")  # no display needed; must come before pyplot
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    names = {a.id: a.name for a in kb.actors}
    mentions = {a.id: a.mention_count for a in kb.actors}
    years = [b.label for b in bl.periods]
    presence: dict[str, int] = {}
    for b in bl.periods:
        for camp in b.camps:
            for n in camp:
                presence[n] = presence.get(n, 0) + 1
    switched = {s.actor for s in bl.switches}
    ranked = sorted(presence, key=lambda n: (n not in switched, -presence[n], -mentions.get(n, 0), n))
    actors = ranked[:top]
    actors.sort(key=lambda n: (_majority_camp(bl, n), -presence[n], -mentions.get(n, 0)))

    height = 1.6 + 0.28 * max(len(actors), 3)
    fig, (ax_top, ax) = plt.subplots(2, 1, figsize=(max(6.0, 1.0 + 0.55 * len(years)), height + 1.6),
                                     gridspec_kw={"height_ratios": [1.6, height]}, sharex=True)
    xs = list(range(len(years)))
    ax_top.plot(xs, [b.frustration for b in bl.periods], marker="o", color="black", label="frustration index")
    ax_top.set_ylabel("frustrated ties")
    ax_top.yaxis.set_major_locator(MaxNLocator(integer=True))
    share = ax_top.twinx()
    share.plot(xs, [b.triad_balance if b.triad_balance is not None else float("nan") for b in bl.periods],
               marker="s", color="grey", linestyle="--", label="balanced triangles")
    share.set_ylim(0, 1.05)
    share.set_ylabel("balanced share")
    ax_top.legend(loc="upper left", fontsize=7, frameon=False)
    share.legend(loc="upper right", fontsize=7, frameon=False)

    for row, n in enumerate(actors):
        for x, b in enumerate(bl.periods):
            camp = 0 if n in b.camps[0] else 1 if n in b.camps[1] else None
            if camp is not None:
                ax.scatter(x, row, marker="s", s=90, color=CAMP_COLOURS[camp])
    ax.set_yticks(range(len(actors)))
    ax.set_yticklabels([names.get(n, n) for n in actors], fontsize=8)
    for label, n in zip(ax.get_yticklabels(), actors, strict=True):
        if n in switched:
            label.set_fontweight("bold")
    ax.invert_yaxis()
    ax.set_xticks(xs)
    ax.set_xticklabels(years, rotation=45 if len(years) > 12 else 0, fontsize=8)
    ax.set_xlim(-0.6, len(years) - 0.4)
    handles = [plt.Line2D([], [], marker="s", linestyle="", color=c, label=f"camp {'AB'[i]}")
               for i, c in enumerate(CAMP_COLOURS)]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.04 if len(years) <= 12 else -0.1),
              ncol=2, fontsize=8, frameon=False)
    ax_top.set_title(title or "Camps per year (structural balance); switchers in bold", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _majority_camp(bl: Blocs, actor: str) -> int:
    counts = [sum(1 for b in bl.periods if actor in b.camps[c]) for c in (0, 1)]
    return 0 if counts[0] >= counts[1] else 1
