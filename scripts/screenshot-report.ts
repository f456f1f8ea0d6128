// Renders an HTML report in headless Chromium (Debian's `chromium`, as the browser tests do), saves PNG
// screenshots (the first screen and the whole page) and prints what the browser test measures. Usage:
//   npx ts-node --transpile-only scripts/screenshot-report.ts REPORT.html [OUT-PREFIX] [WIDTH]
// writes OUT-PREFIX.png (first screen) and OUT-PREFIX-full.png (whole page), at WIDTH px (default 760).
import * as fs from 'fs';
import { checkHtml, launchChromium } from '../test/browser/chromium';

async function main(): Promise<void> {
  const [htmlFile, prefix = 'eksplan-report', widthText = '760'] = process.argv.slice(2);
  const width = Number(widthText);
  if (!htmlFile || !fs.existsSync(htmlFile) || !Number.isInteger(width) || width < 200) {
    process.stderr.write('usage: screenshot-report.ts REPORT.html [OUT-PREFIX] [WIDTH]\n');
    process.exitCode = 2;
    return;
  }
  const html = fs.readFileSync(htmlFile, 'utf8');
  const chromium = await launchChromium();
  try {
    const check = await checkHtml(chromium.context, html, width, { aboveFold: '#failures, #comparison', screenshot: `${prefix}.png` });
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width, height: 900 });
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.setContent(html, { waitUntil: 'load' });
    // Open every <details> so the full-page shot shows the collapsed tables too.
    await page.locator('details').evaluateAll((elements) => { for (const d of elements) d.setAttribute('open', ''); });
    await page.screenshot({ path: `${prefix}-full.png`, fullPage: true });
    await page.close();
    process.stdout.write(`${JSON.stringify({ ...check, screenshots: [`${prefix}.png`, `${prefix}-full.png`] })}\n`);
    if (check.overflow || check.clippedLabels.length > 0 || check.externalRequests.length > 0) process.exitCode = 1;
  } finally {
    await chromium.close();
  }
}

void main();
