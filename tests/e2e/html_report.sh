#!/usr/bin/env bash
# The HTML report: self-contained (no scripts, nothing fetched), with every
# section a manager expects, rendered by headless Chromium into a screenshot.
. "$(dirname "$0")/lib/scratch.sh"
. "$(dirname "$0")/lib/browser.sh"
trap 'browser_stop || true; rm -rf "$tmp"' EXIT

"$WARAS" --db w.db demo --dir d --seed 3 --weeks 12 --end 2026-11-22 > /dev/null
"$WARAS" --db w.db report --format html --weeks 8 --to 2026-11-23 --out report.html 2> /dev/null
[ -s report.html ] || fail "no report written"
grep -qi '<script' report.html && fail "the report has a script"
grep -Eqi '(src|href)="?(https?:)?//' report.html && fail "the report fetches from the network"
grep -qi '@import\|url(' report.html && fail "the report loads a resource"
for s in "Who is overloaded, and why" "Worked hours per week" "Interruptions by window" \
         "On-call hours against the fair share" "Survey (team aggregates)"; do
  grep -qF "$s" report.html || fail "section missing: $s"
done
[ "$(grep -c '<svg' report.html)" -ge 2 ] || fail "fewer than two inline charts"

browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || fail "chromium is not installed (scripts/install-deps installs it)"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$tmp/profile" --window-size=1200,2000)
browser_exec 120 "$browser" "${flags[@]}" --screenshot="$tmp/report.png" "file://$tmp/report.html" \
  > chromium.log 2>&1 || { cat chromium.log; fail "chromium could not render the report"; }
[ "$(head -c 8 report.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "no PNG screenshot"
[ "$(stat -c %s report.png)" -gt 20000 ] || fail "the screenshot is nearly empty"
browser_exec 120 "$browser" "${flags[@]}" --dump-dom "file://$tmp/report.html" > dom.html 2> /dev/null \
  || fail "chromium could not load the report"
grep -q '<svg' dom.html || fail "the rendered page has no charts"
grep -q 'budi' dom.html || fail "the rendered page lacks the people"
echo "html report: ok ($(stat -c %s report.html) bytes, screenshot $(stat -c %s report.png) bytes)"
