#!/usr/bin/env bash
# Retakes the screenshots of the mirror's pages that the documentation shows (docs/images/mirror-front.png,
# mirror-history.png, mirror-lookup.png): the browser test that takes them, run with UPDATE_SCREENSHOTS=1, writes them
# into docs/images instead of artifacts/serve-page. Needs what the browser tests need (Debian's chromium, node and
# `npm ci --prefix tests/e2e`) and a Release build (`dotnet build -c Release`). Review the images, then commit them.
set -euo pipefail
cd "$(dirname "$0")/../.."
UPDATE_SCREENSHOTS=1 CI=true dotnet test -c Release --no-build tests/FirewallRules.Tests \
  --filter "FullyQualifiedName~ServePageBrowserTests.DocumentationScreenshots"
git status --short docs/images
