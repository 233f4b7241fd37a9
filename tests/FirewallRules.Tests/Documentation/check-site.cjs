// Opens every page of a built documentation site in headless Chromium and reports, one per line on stdout,
// every page that does not render and every link to a missing page or anchor; exits 1 when it reports anything.
// Usage: node check-site.cjs NODE_MODULES SITE_DIR CHROMIUM
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');

const [modules, siteArg, chromium] = process.argv.slice(2);
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

function serve() {
  const server = http.createServer((request, response) => {
    const file = fileOf(new URL(request.url, 'http://localhost').pathname);
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
    }));
    if (found.text === 0) errors.push('the article is empty');
    for (const error of errors) problems.push(`${url}: does not render: ${error}`);
    return found;
  } catch (error) {
    problems.push(`${url}: does not render: ${error.message.split('\n')[0]}`);
    return { ids: [], links: [], text: 0 };
  } finally {
    page.off('pageerror', onError);
    page.off('requestfailed', onFailed);
    page.off('response', onResponse);
  }
}

(async () => {
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await browserType.launch({ executablePath: chromium, args: ['--no-sandbox', '--disable-gpu'] });
  const context = await browser.newContext();
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
  for (const problem of problems) console.log(problem);
  console.error(`${visited.size} pages opened, ${links} links within the site checked, ${external} external links not followed, in ${((Date.now() - started) / 1000).toFixed(1)} s; ${problems.length} problems`);
  process.exit(problems.length === 0 ? 0 : 1);
})().catch(error => { console.error(error); process.exit(2); });
