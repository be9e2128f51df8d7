#!/bin/sh
# Build a document rendered as PDF, HTML and .docx (bench/render_formats.py) and the text
# itself, score each against the gold with the evidence named as the text file (the scorer
# counts precision only in the gold's documents, by file name).
#   bench/score_formats.sh DOC.txt GOLD_DIR CL OUT
set -e
doc=$1; gold=$2; cl=$3; out=$4
py=${PYTHON:-python3}
here=$(dirname "$0")
stem=$(basename "$doc" .txt)
"$py" "$here/render_formats.py" "$doc" "$out"
mkdir -p "$out/txt" && cp "$doc" "$out/txt/"
for f in txt pdf html docx; do
  "$cl" build "$out/$f" --db "$out/$f.db" >/dev/null 2>&1
  "$cl" export --db "$out/$f.db" --format json -o "$out/$f.json"
  "$py" - "$out/$f.json" "$stem" <<'PY'
import json, sys
p, stem = sys.argv[1], sys.argv[2]
kb = json.load(open(p))
def fix(x):
    if isinstance(x, dict):
        if "doc" in x and isinstance(x["doc"], str) and x["doc"].startswith(stem + "."):
            x["doc"] = stem + ".txt"
        for v in x.values(): fix(v)
    elif isinstance(x, list):
        for v in x: fix(v)
fix(kb)
json.dump(kb, open(p, "w"))
PY
  printf '%s ' "$f"
  "$py" "${SCORE:-/work/shared/eval/score.py}" --kb "$out/$f.json" --gold "$gold" --json > "$out/$f.score.json"
  "$py" -c "
import json,sys; s=json.load(open(sys.argv[1]))
print(' '.join(k + ' P=%s R=%s F1=%s' % (s[k]['precision'], s[k]['recall'], s[k]['f1']) for k in ('relations','events')))" "$out/$f.score.json"
done
