using System.Text;

namespace FirewallRules.Server.Pages;

/// <summary>The stylesheet, the script and the icon of the pages, served by the mirror itself (no CDN, no font, no library).</summary>
internal static class PageAssets
{
    /// <summary>Light and dark themes (prefers-color-scheme), readable from 360 px wide, visible focus.</summary>
    public static readonly byte[] Css = Encoding.UTF8.GetBytes("""
        :root { color-scheme: light dark; --bg: #ffffff; --fg: #1b1b1f; --muted: #5a5a66; --line: #d0d0da; --accent: #0b57d0;
          --ok: #146c2e; --bad: #b3261e; --code: #f2f2f6; --added: #146c2e; --removed: #b3261e; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #131318; --fg: #e6e6ee; --muted: #a8a8b8; --line: #3a3a46; --accent: #8ab4f8; --ok: #81c995;
            --bad: #f28b82; --code: #1f1f27; --added: #81c995; --removed: #f28b82; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: var(--bg); color: var(--fg); }
        main, header, footer { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
        header nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: .75rem 0; margin: 0; border-bottom: 1px solid var(--line); }
        a { color: var(--accent); }
        a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        .skip { position: absolute; left: -999px; }
        .skip:focus { left: 1rem; top: .5rem; background: var(--bg); padding: .25rem .5rem; }
        h1 { font-size: 1.6rem; overflow-wrap: anywhere; }
        h2 { font-size: 1.3rem; border-top: 1px solid var(--line); padding-top: 1rem; overflow-wrap: anywhere; }
        h3 { font-size: 1.1rem; } h4 { font-size: 1rem; margin-bottom: .25rem; }
        dl.facts { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: .25rem 1rem; }
        dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        .ok { color: var(--ok); } .bad { color: var(--bad); } .muted { color: var(--muted); }
        .scroll { overflow-x: auto; max-width: 100%; }
        table { border-collapse: collapse; min-width: 100%; }
        th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        code, pre, input[type=text] { font-family: ui-monospace, monospace; font-size: .9rem; }
        pre { background: var(--code); padding: .75rem; overflow-x: auto; }
        ul.urls { list-style: none; padding: 0; }
        ul.urls li { margin: .4rem 0; }
        ul.urls label { display: block; color: var(--muted); }
        .paste { display: flex; gap: .5rem; }
        .paste input { flex: 1; min-width: 0; }
        input, select, button { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: .3rem .5rem; }
        button { cursor: pointer; border-color: var(--accent); color: var(--accent); }
        form.inline { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
        form.inline label { display: flex; flex-direction: column; }
        .added { color: var(--added); } .removed { color: var(--removed); }
        ul.prefixes { columns: 14rem; padding-left: 1.2rem; }
        figure { margin: 1rem 0; } figcaption { color: var(--muted); }
        svg.chart { width: 100%; height: auto; max-width: 60rem; }
        svg.chart text { fill: var(--muted); font-size: 11px; }
        svg.chart .axis { stroke: var(--line); }
        svg.chart polyline { fill: none; stroke-width: 2; }
        ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0; }
        svg.key { width: 1.75rem; height: .625rem; margin-right: .3rem; }
        svg.key line { stroke-width: 3; }
        svg.chart circle.point.dashed { fill: var(--bg); stroke-width: 1.5; stroke-dasharray: none; }
        svg .dashed { stroke-dasharray: 6 4; }
        /*
         * The sections' colours: the Okabe–Ito palette, told apart with protanopia, deuteranopia and tritanopia, each with
         * 3:1 contrast against its theme's background. On white, orange is darkened to amber and yellow becomes grey (both
         * are too pale on white); on the dark theme, black becomes light grey. Every colour is set for both themes.
         */
        .s0 { stroke: #000000; fill: #000000; } .s1 { stroke: #805800; fill: #805800; }
        .s2 { stroke: #1e9be2; fill: #1e9be2; } .s3 { stroke: #009e73; fill: #009e73; }
        .s4 { stroke: #6b6b6b; fill: #6b6b6b; } .s5 { stroke: #0072b2; fill: #0072b2; }
        .s6 { stroke: #d55e00; fill: #d55e00; } .s7 { stroke: #cc79a7; fill: #cc79a7; }
        @media (prefers-color-scheme: dark) {
          .s0 { stroke: #e0e0e0; fill: #e0e0e0; } .s1 { stroke: #e69f00; fill: #e69f00; }
          .s2 { stroke: #56b4e9; fill: #56b4e9; } .s3 { stroke: #009e73; fill: #009e73; }
          .s4 { stroke: #f0e442; fill: #f0e442; } .s5 { stroke: #0072b2; fill: #0072b2; }
          .s6 { stroke: #d55e00; fill: #d55e00; } .s7 { stroke: #cc79a7; fill: #cc79a7; }
        }
        footer { color: var(--muted); border-top: 1px solid var(--line); margin-top: 2rem; }
        """);

    /// <summary>Shows the copy buttons and copies a field's URL; the page reads the same without it.</summary>
    public static readonly byte[] Script = Encoding.UTF8.GetBytes("""
        "use strict";
        document.addEventListener("DOMContentLoaded", () => {
          for (const button of document.querySelectorAll("button[data-copy]")) {
            const field = document.getElementById(button.dataset.copy);
            if (!field) continue;
            button.hidden = false;
            button.addEventListener("click", async () => {
              try {
                await navigator.clipboard.writeText(field.value);
              } catch {
                field.select();
                document.execCommand("copy");
              }
              button.textContent = "Copied";
              setTimeout(() => { button.textContent = "Copy"; }, 2000);
            });
          }
        });
        """);

    /// <summary>A small icon, so that browsers do not ask for a missing /favicon.ico.</summary>
    public static readonly byte[] Icon = Encoding.UTF8.GetBytes(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\"><rect width=\"16\" height=\"16\" rx=\"3\" fill=\"#632ca6\"/>" +
        "<path d=\"M4 4h8v2H4zm0 3h8v2H4zm0 3h5v2H4z\" fill=\"#fff\"/></svg>\n");
}
