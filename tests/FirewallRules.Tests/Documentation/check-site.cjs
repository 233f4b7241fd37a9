// Opens every page of a built documentation site in headless Chromium and reports, one per line on stdout,
// every page that does not render, is wider than a 1280 px screen, and every link to a missing page or anchor; then
// opens the pages outside the API reference and the API pages with the widest tables on a 390 px phone screen and
// reports those wider than it; then checks the home page's logo and search (a word typed into the search box must
// find pages). Exits 1 when it reports anything.
// Usage: node check-site.cjs NODE_MODULES SITE_DIR CHROMIUM [SCREENSHOT_DIR]
// SCREENSHOT_DIR: where to save the home page, the widest guide and the widest API page at both widths.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');

const [modules, siteArg, chromium, shots] = process.argv.slice(2);
// The screens: a desktop and a phone (an iPhone's 390 CSS px).
const desktop = { width: 1280, height: 800 }, phone = { width: 390, height: 844 };
// The word typed into the search box, and the site's own logo (not the template's default one).
const searchWord = process.env.CHECK_SITE_SEARCH || 'nftables';
const logoPath = process.env.CHECK_SITE_LOGO || '/images/logo.svg';
const site = path.resolve(siteArg);
// How long the template's script may take to fill a page in (a loaded machine needs seconds).
const patience = Number(process.env.CHECK_SITE_WAIT_MS || 20000);
const { chromium: browserType } = require(path.resolve(modules, 'playwright-core'));

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.woff': 'font/woff', '.png': 'image/png' };

// The file a site path names (a folder's index.html), or null when there is none.
function fileOf(pathname) {
  const file = path.join(site, decodeURIComponent(pathname));
  if (!file.startsWith(path.resolve(site))) return null;
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) return fs.existsSync(path.join(file, 'index.html')) ? path.join(file, 'index.html') : null;
  return fs.existsSync(file) ? file : null;
}

// The template's script starts a worker on every page that reads the site's whole search index (/index.json) and
// indexes it, which was 80 of the 209 s of CPU Chromium spent on the site: the server the pages are opened from answers
// it with an empty index, and the search is checked apart, on the home page from a server with the real one (features).
// (Not a Playwright route: routing turns the browser's cache off.)
function serve({ searchIndex }) {
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url, 'http://localhost').pathname;
    if (!searchIndex && pathname === '/index.json') {
      response.writeHead(200, { 'content-type': types['.json'], 'cache-control': 'max-age=3600' });
      response.end('{}');
      return;
    }
    const file = fileOf(pathname);
    if (!file) { response.writeHead(404); response.end(); return; }
    // Cacheable, so that each tab compiles the template's script and reads its styles once, not once per page.
    response.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream', 'cache-control': 'max-age=3600' });
    fs.createReadStream(file).pipe(response);
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function pages(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return pages(full);
    return entry.name.endsWith('.html') && entry.name !== 'toc.html' ? [full] : [];
  });
}

// Loads one page in a tab and waits for what the template's script fills in: the article's title, and the table of
// contents and the navigation bar where the page has them (a page with _disableToc has no table of contents).
async function visit(page, url, problems) {
  const errors = [];
  const onError = error => errors.push(`script error: ${error.message}`);
  const onFailed = request => errors.push(`request failed: ${request.url()}`);
  const onResponse = response => { if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`); };
  page.on('pageerror', onError);
  page.on('requestfailed', onFailed);
  page.on('response', onResponse);
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 60000 });
    const wants = await page.evaluate(() => ({
      toc: !!document.querySelector('meta[name="docfx:tocrel"]') && !!document.querySelector('#toc'),
      nav: !!document.querySelector('meta[name="docfx:navrel"]'),
    }));
    const filled = [['article h1', 'no title in the article']];
    if (wants.toc) filled.push(['#toc a', 'the table of contents is empty']);
    if (wants.nav) filled.push(['#navpanel a', 'the navigation bar is empty']);
    for (const [selector, problem] of filled) {
      try { await page.waitForSelector(selector, { state: 'attached', timeout: patience }); }
      catch { errors.push(problem); }
    }
    const found = await page.evaluate(() => ({
      ids: [...document.querySelectorAll('[id], a[name]')].map(e => e.id || e.getAttribute('name')),
      links: [...document.querySelectorAll('a[href]')].map(a => a.href),
      text: (document.querySelector('article')?.innerText || '').trim().length,
      scrollWidth: document.scrollingElement.scrollWidth,
    }));
    if (found.text === 0) errors.push('the article is empty');
    for (const error of errors) problems.push(`${url}: does not render: ${error}`);
    return found;
  } catch (error) {
    problems.push(`${url}: does not render: ${error.message.split('\n')[0]}`);
    return { ids: [], links: [], text: 0, scrollWidth: 0 };
  } finally {
    page.off('pageerror', onError);
    page.off('requestfailed', onFailed);
    page.off('response', onResponse);
  }
}

// The pages read on a phone: every page outside the API reference, and the API pages with the most table cells.
function phonePages(urls) {
  const api = urls.filter(url => url.includes('/api/'));
  const cells = url => (fs.readFileSync(fileOf(new URL(url).pathname), 'utf8').match(/<td[ >]/g) || []).length;
  const widest = api.map(url => [url, cells(url)]).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([url]) => url);
  return [...urls.filter(url => !url.includes('/api/')), ...widest];
}

// The home page's logo is drawn, and a word typed into the search box finds pages (DocFX's offline index, in a worker).
async function features(context, origin, problems) {
  const page = await context.newPage();
  await page.goto(`${origin}/index.html`, { waitUntil: 'load' });
  const logo = await page.evaluate(() => { const img = document.querySelector('img#logo'); return img ? { width: img.naturalWidth, path: new URL(img.src).pathname } : null; });
  if (!logo || logo.width === 0 || logo.path !== logoPath) problems.push(`/index.html: no logo drawn from ${logoPath} (${logo ? logo.path : 'no img#logo'})`);
  try {
    await page.waitForSelector('#search-query:not([disabled])', { timeout: patience });
    await page.fill('#search-query', searchWord);
    await page.press('#search-query', 'Enter');
    await page.waitForSelector('#search-results .sr-item a', { timeout: patience });
    const found = await page.$$eval('#search-results .sr-item a', links => links.map(a => a.textContent));
    console.error(`search for '${searchWord}': ${found.length} results, first: ${found[0]}`);
  } catch {
    problems.push(`/index.html: search for '${searchWord}' found nothing`);
  }
  await page.close();
}

// Saves the home page, the guide and the API page with the most table cells, at both widths.
async function screenshots(browser, urls) {
  fs.mkdirSync(shots, { recursive: true });
  const cells = url => (fs.readFileSync(fileOf(new URL(url).pathname), 'utf8').match(/<td[ >]/g) || []).length;
  const widest = list => list.sort((a, b) => cells(b) - cells(a))[0];
  const chosen = { home: urls.find(url => new URL(url).pathname === '/index.html'),
    guide: widest(urls.filter(url => url.includes('/guides/') || url.includes('/operations/'))), api: widest(urls.filter(url => url.includes('/api/'))) };
  for (const [size, viewport] of [['1280px', desktop], ['390px', phone]]) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    for (const [name, url] of Object.entries(chosen).filter(([, url]) => url)) {
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForSelector('article h1', { state: 'attached', timeout: patience }).catch(() => {});
      await page.screenshot({ path: path.join(shots, `${name}-${size}.png`), fullPage: true });
    }
    await context.close();
  }
}

(async () => {
  const server = await serve({ searchIndex: false });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const searchServer = await serve({ searchIndex: true });
  // Composited in software, without the GPU process's emulated GPU: the same pages, widths and links, for about 15 % less CPU
  // (116-126 s against 97-101 s for the whole check alone, three runs each).
  const browser = await browserType.launch({ executablePath: chromium,
    args: ['--no-sandbox', '--disable-gpu', '--disable-gpu-compositing', '--disable-software-rasterizer'] });
  const context = await browser.newContext({ viewport: desktop });
  const urls = pages(site).map(file => origin + '/' + path.relative(site, file).split(path.sep).map(encodeURIComponent).join('/'));
  const problems = [];
  const visited = new Map();
  const queue = [...urls];
  const started = Date.now();
  await Promise.all(Array.from({ length: 3 }, async () => {
    const page = await context.newPage();
    for (let url; (url = queue.shift()) !== undefined;) {
      const opened = Date.now();
      visited.set(url, await visit(page, url, problems));
      if (process.env.CHECK_SITE_VERBOSE) console.error(`${url}: ${Date.now() - opened} ms`);
    }
    await page.close();
  }));
  // On a phone: only the width is checked again (the desktop pass has checked everything else on every page).
  const narrow = await browser.newContext({ viewport: phone });
  const onPhone = phonePages(urls);
  const phoneWidths = new Map();
  await Promise.all(Array.from({ length: 3 }, async () => {
    const page = await narrow.newPage();
    for (let url; (url = onPhone.shift()) !== undefined;) phoneWidths.set(url, (await visit(page, url, [])).scrollWidth);
    await page.close();
  }));
  await narrow.close();
  for (const [widths, screen] of [[new Map([...visited].map(([url, found]) => [url, found.scrollWidth])), desktop], [phoneWidths, phone]]) {
    for (const [url, width] of widths) {
      if (width > screen.width) problems.push(`${url}: wider than the screen at ${screen.width} px (${width} px)`);
    }
  }
  const searching = await browser.newContext({ viewport: desktop });
  await features(searching, `http://127.0.0.1:${searchServer.address().port}`, problems);
  await searching.close();
  if (shots) await screenshots(browser, urls);
  let links = 0, external = 0;
  for (const [from, found] of visited) {
    for (const href of new Set(found.links)) {
      const target = new URL(href);
      if (target.protocol !== 'http:' && target.protocol !== 'https:') continue;
      if (target.origin !== origin) { external++; continue; }
      links++;
      const file = fileOf(target.pathname);
      if (!file) { problems.push(`${from}: broken link to ${target.pathname}`); continue; }
      const anchor = decodeURIComponent(target.hash.slice(1));
      if (!anchor) continue;
      const page = visited.get(origin + '/' + path.relative(site, file).split(path.sep).map(encodeURIComponent).join('/'));
      if (page && !page.ids.includes(anchor)) problems.push(`${from}: missing anchor #${anchor} in ${target.pathname}`);
    }
  }
  await browser.close();
  server.close();
  searchServer.close();
  for (const problem of problems) console.log(problem);
  console.error(`${visited.size} pages opened (${phoneWidths.size} again at ${phone.width} px), ${links} links within the site checked, ${external} external links not followed, in ${((Date.now() - started) / 1000).toFixed(1)} s; ${problems.length} problems`);
  process.exit(problems.length === 0 ? 0 : 1);
})().catch(error => { console.error(error); process.exit(2); });
