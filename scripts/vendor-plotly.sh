#!/usr/bin/env bash
# Refresh the partial plotly.js bundle that every report inlines (wargame/report/vendor/).
# The reports use only cartesian traces (scatter, bar, heatmap, histogram), so they carry
# plotly.js's cartesian distribution (~1.5 MB) instead of the full bundle (~4.8 MB) that the
# plotly Python package ships. Keep VERSION equal to the plotly.js version of the installed
# plotly Python package (`python -c "import plotly.offline as o; print(o.get_plotlyjs_version())"`),
# so that the figures plotly Python writes are the ones this bundle draws.
#
#   bash scripts/vendor-plotly.sh            # the version below
#   bash scripts/vendor-plotly.sh 4.1.1      # another version
set -euo pipefail
VERSION="${1:-4.1.1}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$HERE/wargame/report/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "plotly.js-cartesian-dist-min@$VERSION" >/dev/null && tar xzf ./*.tgz)
mkdir -p "$DEST"
cp "$WORK/package/plotly-cartesian.min.js" "$DEST/plotly-cartesian.min.js"
cp "$WORK/package/LICENSE" "$DEST/LICENSE-plotly.js"
echo "$VERSION" > "$DEST/PLOTLY_VERSION"
# The charts' template, as the installed plotly writes it (wargame/report/chart.py reads it)
"${PYTHON:-python}" - "$DEST/plotly-white.json" <<'PY'
import json, sys
import plotly.graph_objects as go, plotly.io as pio
written = go.Layout(template=pio.templates["plotly_white"]).template.to_plotly_json()
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write(json.dumps(written, separators=(",", ":")) + "\n")
PY
echo "vendored plotly.js cartesian $VERSION: $(wc -c < "$DEST/plotly-cartesian.min.js") bytes"
