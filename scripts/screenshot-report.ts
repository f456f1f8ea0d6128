// Renders an HTML report in headless Chromium (Debian's `chromium`) and saves a PNG screenshot, to check
// that the self-contained report really renders offline. Usage:
//   npx ts-node --transpile-only scripts/screenshot-report.ts eksplan-report/eksplan-report.html report.png
import * as fs from 'fs';
import * as path from 'path';
import { chromium } from 'playwright-core';

async function main(): Promise<void> {
  const [htmlFile, pngFile = 'eksplan-report.png'] = process.argv.slice(2);
  if (!htmlFile || !fs.existsSync(htmlFile)) {
    process.stderr.write('usage: screenshot-report.ts REPORT.html [OUT.png]\n');
    process.exitCode = 2;
    return;
  }
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    process.stderr.write(`no Chromium at ${executablePath}: apt-get install chromium, or set CHROMIUM\n`);
    process.exitCode = 2;
    return;
  }
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => { if (!request.url().startsWith('file:')) requests.push(request.url()); });
    await page.goto(`file://${path.resolve(htmlFile)}`);
    const charts = await page.locator('svg').count();
    await page.screenshot({ path: pngFile, fullPage: true });
    process.stdout.write(`${JSON.stringify({ charts, externalRequests: requests, screenshot: pngFile })}\n`);
    if (requests.length > 0) process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

void main();
