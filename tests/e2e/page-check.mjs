// Drives Debian's Chromium (playwright-core, executablePath) against a running `fwrules serve`, for the dotnet tests
// (ServePageBrowserTests). Usage: node page-check.mjs BASE_URL, then one command per line on stdin, a JSON array
// ["COMMAND", ARGS...]; for each, one line on stdout: a JSON object with what the browser saw, plus every console error,
// page error, dialog and request to anything but the mirror, or {"error": ...} when the command failed. One browser
// serves every command (each in new contexts: no cookie, storage or cache carries over); it closes when stdin ends.
import { chromium } from "playwright-core";
import { readFileSync, mkdirSync } from "node:fs";
import { createInterface } from "node:readline";
import { createRequire } from "node:module";

const [base] = process.argv.slice(2);
const origin = new URL(base).origin;
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
// What the current command's pages reported, and the contexts it opened (closed after it, even when it failed: a page
// left open would report into the next command's record).
let seen, opened;

function watch(page) {
  page.on("console", (message) => { if (message.type() === "error") seen.consoleErrors.push(message.text()); });
  page.on("pageerror", (error) => seen.pageErrors.push(String(error)));
  page.on("dialog", async (dialog) => { seen.dialogs.push(dialog.message()); await dialog.dismiss(); });
  page.on("request", (request) => { if (new URL(request.url()).origin !== origin) seen.foreignRequests.push(request.url()); });
  return page;
}

async function open(browser, path, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  opened.push(context);
  const page = watch(await context.newPage());
  const response = await page.goto(new URL(path, base).href, { waitUntil: "load" });
  return { context, page, status: response.status() };
}

const digits = (text) => text.replace(/[^0-9]/g, "");

const commands = {
  // The front page: version, counts, every URL to paste, and a copy button reached and pressed from the keyboard.
  async front(browser) {
    const { context, page } = await open(browser, "/", { permissions: ["clipboard-read", "clipboard-write"] });
    const version = (await page.textContent("dd.version")).trim();
    const counts = await page.$$eval("table.counts tbody tr", (rows) => rows.map((row) => ({
      section: row.dataset.section, family: row.dataset.family,
      prefixes: row.querySelector(".prefixes").textContent, size: row.querySelector(".size").textContent })));
    const urls = await page.$$eval("ul.urls", (lists) => lists.flatMap((list) => [...list.querySelectorAll("input")].map((input) => ({
      appliance: list.dataset.appliance, label: document.querySelector(`label[for="${input.id}"]`).textContent, url: input.value }))));
    const refresh = await page.$$eval("strong.refresh", (items) => items.map((item) => item.textContent));
    let reached = null;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.matches("button[data-copy]") ? document.activeElement.dataset.copy : null);
    }
    let copied = null, buttonText = null;
    if (reached) {
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.activeElement.textContent === "Copied", null, { timeout: 5000 }).catch(() => {});
      buttonText = await page.evaluate(() => document.activeElement.textContent);
      copied = await page.evaluate(() => navigator.clipboard.readText());
    }
    const expectedCopy = reached ? await page.inputValue(`#${reached}`) : null;
    await context.close();
    return { version, counts: counts.map((c) => ({ ...c, prefixes: digits(c.prefixes) })), urls, refresh, keyboardReached: reached, buttonText, copied, expectedCopy };
  },

  // History: the versions listed, the chart's points, then the diff of two versions chosen in the form (no script needed).
  async history(browser, site, from, to) {
    const { context, page } = await open(browser, `/sites/${site}/history`, { javaScriptEnabled: false });
    const versions = await page.$$eval("#versions tbody tr", (rows) => rows.map((row) => Number(row.dataset.version)));
    const chart = await page.$$eval("svg.chart g.series", (series) => series.map((g) => ({ family: g.closest("svg").dataset.family,
      section: g.dataset.section, points: [...g.querySelectorAll("circle.point")].map((c) => Number(c.dataset.version)) })));
    await page.selectOption("select[name=from]", from);
    await page.selectOption("select[name=to]", to);
    await Promise.all([page.waitForNavigation(), page.click("form button[type=submit]")]);
    const diffUrl = page.url();
    const diffText = await page.textContent("#diff-text");
    const prefixes = await page.$$eval("section.section-diff li", (items) => items.map((li) =>
      `${li.closest("section").dataset.section} ${li.dataset.change}${li.textContent.replace(/^[+−]\s*/, "")}`));
    await context.close();
    return { versions, chart, diffUrl, diffText, prefixes };
  },

  // Lookup, typed into the form and submitted with Enter.
  async lookup(browser, query) {
    const { context, page } = await open(browser, "/lookup");
    await page.fill("#q", query);
    await Promise.all([page.waitForNavigation(), page.press("#q", "Enter")]);
    const answer = await page.getAttribute("#answer", "data-answer");
    const rows = await page.$$eval("#matches tbody tr", (rows) => rows.map((row) => ({
      site: row.dataset.site, section: row.dataset.section, current: row.dataset.current === "true", since: Number(row.dataset.since) })));
    await context.close();
    return { answer, rows };
  },

  // Hostile document text: what the pages show, with the page's CSP and with CSP bypassed (escaping alone must hold).
  async xss(browser, site) {
    const result = {};
    for (const bypassCSP of [false, true]) {
      for (const path of ["/", `/sites/${site}/history`, "/lookup?q=%3Cscript%3Ealert(4)%3C%2Fscript%3E", `/v1/${site}/changes.atom`]) {
        const { context, page } = await open(browser, path, { bypassCSP });
        await page.waitForTimeout(300);
        if (path === "/") {
          result.modified = await page.textContent("dd.modified");
          result.health = await page.textContent("dd.health");
        }
        result.injected = (result.injected || 0) + await page.evaluate(() =>
          document.querySelectorAll("main script, main img, main iframe, [onload], [onerror]").length);
        await context.close();
      }
    }
    return result;
  },

  // axe-core injected into each page; violations with their impact.
  async axe(browser, ...paths) {
    const require = createRequire(import.meta.url);
    const source = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
    const violations = [];
    for (const colorScheme of ["light", "dark"]) {
      for (const path of paths) {
        // The audit script is injected, so this context bypasses the page's CSP (the pages themselves run none inline).
        const { context, page } = await open(browser, path, { bypassCSP: true, colorScheme });
        await page.addScriptTag({ content: source });
        const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations
          .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, target: v.nodes[0]?.target.join(" ") })));
        violations.push(...found.map((v) => ({ path, colorScheme, ...v })));
        await context.close();
      }
    }
    return { violations };
  },

  // The colour and dash of each section's line in each chart, and the page's background, in light and dark.
  async palette(browser, path) {
    const schemes = {};
    for (const colorScheme of ["light", "dark"]) {
      const { context, page } = await open(browser, path, { colorScheme });
      schemes[colorScheme] = {
        background: await page.evaluate(() => getComputedStyle(document.body).backgroundColor),
        series: await page.$$eval("svg.chart g.series", (series) => series.map((g) => {
          const line = getComputedStyle(g.querySelector("polyline"));
          return { family: g.closest("svg").dataset.family, section: g.dataset.section, stroke: line.stroke, dash: line.strokeDasharray };
        })),
      };
      await context.close();
    }
    return schemes;
  },

  // The screenshots the documentation shows (docs/images/mirror-NAME.png): light, 1280 px wide, the screen's height;
  // and whether anything is wider than the screen.
  async documentation(browser, directory, ...paths) {
    mkdirSync(directory, { recursive: true });
    const files = [], overflow = [];
    for (const [name, path] of paths.map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)])) {
      const { context, page } = await open(browser, path, { viewport: { width: 1280, height: 900 }, colorScheme: "light" });
      const file = `${directory}/mirror-${name}.png`;
      await page.screenshot({ path: file });
      files.push(file);
      const scrollWidth = await page.evaluate(() => document.scrollingElement.scrollWidth);
      if (scrollWidth > 1280) overflow.push({ path, scrollWidth });
      await context.close();
    }
    return { files, overflow };
  },

  // Screenshots, light and dark, desktop and 360 px; and whether anything is wider than a 360 px screen.
  async screenshots(browser, directory, ...paths) {
    mkdirSync(directory, { recursive: true });
    const files = [], overflow = [];
    for (const [width, height, size] of [[1280, 900, "desktop"], [360, 740, "360px"]]) {
      for (const colorScheme of ["light", "dark"]) {
        for (const [name, path] of paths.map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)])) {
          const { context, page } = await open(browser, path, { viewport: { width, height }, colorScheme });
          const file = `${directory}/${name}-${colorScheme}-${size}.png`;
          await page.screenshot({ path: file, fullPage: true });
          files.push(file);
          const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          if (scrollWidth > width) overflow.push({ path, width, scrollWidth });
          await context.close();
        }
      }
    }
    return { files, overflow };
  },
};

// Composited in software, without the GPU process's emulated GPU (as the documentation site's check): about 15 % less CPU.
const browser = await chromium.launch({ executablePath, headless: true,
  args: ["--disable-gpu", "--disable-gpu-compositing", "--disable-software-rasterizer"] });
try {
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, ...args] = JSON.parse(line);
    seen = { consoleErrors: [], pageErrors: [], dialogs: [], foreignRequests: [] };
    opened = [];
    let result;
    try {
      if (!Object.hasOwn(commands, command)) throw new Error(`no command ${command}`);
      result = { ...(await commands[command](browser, ...args)), ...seen };
    } catch (error) {
      result = { error: String(error?.stack ?? error) };
    } finally {
      await Promise.all(opened.map((context) => context.close().catch(() => {})));
    }
    process.stdout.write(JSON.stringify(result) + "\n");
  }
} finally {
  await browser.close();
}
