#!/usr/bin/env bash
# Starts the register service on 127.0.0.1 with a few made-up people, and
# has a real browser (Debian's Chromium, driven by playwright-core) ask for
# the present list as an inspector — Accept: text/html, bearer token — and
# save a screenshot.
#
#   scripts/service-screenshot.sh [OUT.png]    # default docs/service-present.png
#
# Needs chromium (apt-get install chromium) and npm (for playwright-core).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-docs/service-present.png}")
cargo build --release --quiet --bin loggningsindex
bin=$PWD/target/release/loggningsindex
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
cat > cards.csv <<'CARDS'
card,holder,company,valid_from,valid_to,name
AB-1000000001,198112189876,556677-8899,2020-01-01,2099-12-31,Anna Andersson
AB-1000000002,19900101-0017,556677-8899,2020-01-01,2099-12-31,Bo Berg
AB-1000000003,197001011233,559988-7766,2020-01-01,2099-12-31,Cilla Carlsson
AB-1000000004,198503152384,559988-7766,2020-01-01,2099-12-31,Dragan Đurić
CARDS
"$bin" cards import --db r.db cards.csv
terminal=$("$bin" token create --db r.db --role terminal --scope BPL-1)
inspector=$("$bin" token create --db r.db --role inspector --scope BPL-1)
"$bin" serve --db r.db --listen 127.0.0.1:0 > ready.txt &
server=$!
until grep -q listening ready.txt 2>/dev/null; do sleep 0.1; done
address=$(sed 's/listening on //' ready.txt)
register() {
  at=$(date -u -d "-$3 min" +%Y-%m-%dT%H:%M:%SZ)
  curl -sf -X POST "$address/v1/registrations" -H "Authorization: Bearer $terminal" \
    -d "{\"card\":\"$1\",\"site\":\"BPL-1\",\"direction\":\"$2\",\"at\":\"$at\",\"origin\":\"card\"}" > /dev/null
}
register AB-1000000001 IN 180
register AB-1000000002 IN 170
register AB-1000000003 IN 95
register AB-1000000004 IN 60
register AB-1000000002 OUT 20
npm init -y > /dev/null
npm install --silent playwright-core@1 > /dev/null
cat > shot.mjs <<SHOT
import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox',
  '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'] });
const page = await browser.newPage({ viewport: { width: 960, height: 400 },
  extraHTTPHeaders: { Authorization: 'Bearer $inspector' } });
const response = await page.goto('$address/v1/sites/BPL-1/present');
if (response.status() !== 200 || !response.headers()['content-type'].startsWith('text/html')) {
  throw new Error('unexpected answer ' + response.status());
}
const rows = await page.locator('tbody tr').count();
if (rows !== 3) throw new Error('expected 3 people present, saw ' + rows);
await page.screenshot({ path: '$out' });
await browser.close();
SHOT
node shot.mjs
echo "wrote $out"
