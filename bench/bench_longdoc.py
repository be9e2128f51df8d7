"""Where one long document's memory and time go: parse, then each extraction step.

    python bench/bench_longdoc.py [CORPUS ...] --sizes 0.5,1,2 [--segments]

For each size (MB), in a fresh process, one prose document made of the corpus texts
concatenated (as ``bench_build.py --long`` makes it) is parsed (one process, an empty
parse cache) and extracted as ``workers.process_document`` would, printing resident memory
(VmRSS) after the model load, after the parse, and after each step of
``pipeline.extract_document`` with each step's seconds and its peak (VmHWM, reset before
the step), then seconds per MB per step: a step whose s/MB grows with the size is
superlinear. ``--segments`` runs ``segments.extract_long`` (parse + extract per segment)
instead of the whole-document parse + extract, and prints its totals.
Machines are noisy: compare sizes within one run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

STEPS = ("extract_actors", "find_times", "participant_mentions", "resolve_references", "extract_relations",
         "extract_events", "extract_figures", "with_structures", "structure_relations",
         "relations_from_events", "named_war_relations", "forces_replacer", "led_forces",
         "led_forces_events")

CHILD = r"""
import json, sys, time, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from conflictlens import pipeline, nlp, search_index

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
def reset_peak():
    try:
        open("/proc/self/clear_refs", "w").write("5")
    except OSError:
        pass

text_file, segmented = sys.argv[2], sys.argv[3] == "1"
docs, _ = pipeline.read_documents([text_file])
doc = docs[0]
out = {"mb": len(doc.text) / 1e6}
nlp.load_nlp()
out["rss_model"] = status("VmRSS")
cache = Path(tempfile.mkdtemp())
if segmented:
    from conflictlens import segments
    reset_peak()
    t0 = time.perf_counter()
    facts = segments.extract_long(doc, lambda d: nlp.parse_document(d, cache), pipeline.extract_document)
    out["total"] = time.perf_counter() - t0
    out["peak_total"] = status("VmHWM")
    out["rss_end"] = status("VmRSS")
    out["n"] = [len(facts.actors), len(facts.events), len(facts.relations), len(facts.figures)]
    print(json.dumps(out))
    sys.exit(0)
reset_peak()
t0 = time.perf_counter()
sdoc = nlp.parse_document(doc, cache)
out["parse"] = time.perf_counter() - t0
out["rss_parse"] = status("VmRSS")
out["peak_parse"] = status("VmHWM")
steps = {}
def wrap(name, f):
    def timed(*a, **k):
        reset_peak()
        before = status("VmRSS")
        t = time.perf_counter()
        try:
            return f(*a, **k)
        finally:
            s = steps.setdefault(name, [0.0, 0.0, 0.0])
            s[0] += time.perf_counter() - t
            s[1] = max(s[1], status("VmHWM") - before)
            s[2] += status("VmRSS") - before
    return timed
for name in json.loads(sys.argv[4]):
    setattr(pipeline, name, wrap(name, getattr(pipeline, name)))
reset_peak()
t0 = time.perf_counter()
facts = pipeline.extract_document(doc, sdoc)
out["extract"] = time.perf_counter() - t0
out["rss_extract"] = status("VmRSS")
out["peak_extract"] = status("VmHWM")
t0 = time.perf_counter()
search_index.document_parts(doc.text)
out["search_parts"] = time.perf_counter() - t0
out["steps"] = steps
out["n"] = [len(facts.actors), len(facts.events), len(facts.relations), len(facts.figures)]
print(json.dumps(out))
"""


def long_text(corpus: list[str], mb: float) -> str:
    from bench_build import corpus_files

    prose = "\n\n".join(f.read_text(errors="replace") for f in corpus_files(corpus, None))
    size = int(mb * 1_000_000)
    text = (prose * (size // len(prose) + 1))[:size]
    return text[:text.rfind("\n") + 1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="*", default=["/work/shared/corpus/scale"])
    ap.add_argument("--sizes", default="0.5,1,2")
    ap.add_argument("--segments", action="store_true", help="parse + extract per segment (segments.py)")
    a = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in (float(x) for x in a.sizes.split(",")):
            f = Path(tmp) / f"long-{mb:g}mb.txt"
            f.write_text(long_text(a.corpus, mb))
            res = subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "src"), str(f),
                                  "1" if a.segments else "0", json.dumps(STEPS)],
                                 capture_output=True, text=True, check=True)
            rows.append(json.loads(res.stdout.strip().splitlines()[-1]))
    for r in rows:
        print(json.dumps({k: v for k, v in r.items() if k != "steps"}))
    if a.segments:
        return 0
    print(f"\n{'step':24}" + "".join(f"{r['mb']:>8.2f}MB s/MB  peak+MB  kept MB" for r in rows))
    for name in ("parse", *STEPS, "search_parts"):
        line = f"{name:24}"
        for r in rows:
            if name in ("parse", "search_parts"):
                s, peak, kept = r[name], r.get("peak_parse", 0) - r["rss_model"] if name == "parse" else 0, \
                    r["rss_parse"] - r["rss_model"] if name == "parse" else 0
            else:
                s, peak, kept = r["steps"].get(name, [0, 0, 0])
            line += f"{s / r['mb']:>18.2f}{peak:>9.0f}{kept:>9.0f}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
