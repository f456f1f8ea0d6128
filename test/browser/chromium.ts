import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

// Debian's Chromium driven by playwright-core (which ships no browser): the HTML reports are checked in a
// real browser engine. CI installs it (.ci/run: apt-get install -y chromium).

export const CHROMIUM_PATH = process.env.CHROMIUM ?? '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Fails with how to install it when Chromium is missing: the browser tests are part of `npm test`, never skipped. */
export function requireChromium(): void {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`The browser tests need Chromium at ${CHROMIUM_PATH}: install it with \`sudo apt-get update && sudo apt-get install -y chromium\` ` +
      '(Debian/Ubuntu), or set CHROMIUM to a Chromium or Chrome binary.');
  }
}

/** Chromium with a new, empty profile directory (removed on close). */
export async function launchChromium(): Promise<Chromium> {
  requireChromium();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

// Runs in the page (plain JavaScript, so this Node-side project needs no DOM typings). An SVG text's
// getBBox() is in the user units of its svg, the same space as the viewBox.
const MEASURE = `(selector) => {
  const scrolling = document.scrollingElement || document.documentElement;
  const clipped = [];
  for (const svg of document.querySelectorAll('svg')) {
    const box = svg.viewBox.baseVal;
    if (!box || box.width === 0) continue;
    const chart = svg.closest('[data-chart]');
    const chartId = chart ? chart.getAttribute('data-chart') : 'svg';
    for (const text of svg.querySelectorAll('text')) {
      const b = text.getBBox();
      const inside = b.x >= box.x - 0.5 && b.y >= box.y - 0.5 && b.x + b.width <= box.x + box.width + 0.5 && b.y + b.height <= box.y + box.height + 0.5;
      if (!inside) clipped.push(chartId + ': "' + (text.textContent || '') + '"');
    }
  }
  let aboveFold;
  if (selector) {
    const element = document.querySelector(selector);
    const heading = element ? (element.querySelector('h2') || element) : null;
    const rect = heading ? heading.getBoundingClientRect() : null;
    aboveFold = rect !== null && rect.top >= 0 && rect.bottom <= window.innerHeight;
  }
  return {
    scrollWidth: scrolling.scrollWidth,
    innerWidth: window.innerWidth,
    clippedLabels: clipped,
    charts: Array.from(document.querySelectorAll('[data-chart]')).filter((c) => c.querySelector('svg')).map((c) => c.getAttribute('data-chart') || ''),
    aboveFold,
  };
}`;

export interface PageCheck {
  readonly width: number;
  readonly scrollWidth: number;
  readonly innerWidth: number;
  /** Whether the page scrolls sideways. */
  readonly overflow: boolean;
  /** SVG texts whose box leaves their svg's viewBox: `chart-id: "label"`. */
  readonly clippedLabels: string[];
  /** `data-chart` of every chart on the page. */
  readonly charts: string[];
  /** Every request the page made for anything but a `data:` URL (all are refused). */
  readonly externalRequests: string[];
  /** Whether the element for `aboveFold` starts, heading included, inside the first screen. */
  readonly aboveFold?: boolean;
}

/**
 * Loads an HTML document at a viewport width and measures what the report promises: no sideways scroll,
 * no clipped axis label, the charts there, no request leaving the page, and (optionally) a section whose
 * heading shows without scrolling.
 */
export async function checkHtml(context: BrowserContext, html: string, width: number, options: { height?: number; aboveFold?: string; screenshot?: string } = {}): Promise<PageCheck> {
  const page: Page = await context.newPage();
  try {
    await page.setViewportSize({ width, height: options.height ?? (width < 500 ? 740 : 900) });
    const externalRequests: string[] = [];
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith('data:')) return route.continue();
      externalRequests.push(url);
      return route.abort();
    });
    await page.setContent(html, { waitUntil: 'load' });
    const measured = await page.evaluate(`(${MEASURE})(${JSON.stringify(options.aboveFold ?? '')})`) as Omit<PageCheck, 'width' | 'overflow' | 'externalRequests'>;
    if (options.screenshot) await page.screenshot({ path: options.screenshot, fullPage: false });
    return { width, ...measured, overflow: measured.scrollWidth > measured.innerWidth, externalRequests };
  } finally {
    await page.close();
  }
}
