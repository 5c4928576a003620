import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';

import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

import { call, startHttpServer } from './http-testing.js';

/** Debian's Chromium (`.ci/run` installs it); never a downloaded browser. */
const CHROMIUM = process.env['EVENTUM_CHROMIUM'] ?? '/usr/bin/chromium';
/** Screenshots of the runs, gitignored. */
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));

async function openBrowser(t: TestContext): Promise<Browser | null> {
  if (!existsSync(CHROMIUM)) {
    const reason = `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
    if (process.env['CI'] === 'true') throw new Error(`${reason}; required under CI=true`);
    t.skip(reason);
    return null;
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  t.after(() => browser.close());
  await mkdir(ARTIFACTS, { recursive: true });
  return browser;
}

const batchOf = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    type: `load/${i % 10}`,
    payload: { data_type: 'json', data: i },
  }));

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });

describe('web console in headless Chromium', () => {
  it('registers from the form, shows the event live and in the latest table, draws a chart', async (t) => {
    const browser = await openBrowser(t);
    if (browser === null) return;
    const { base } = await startHttpServer(t);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'eventum' }).waitFor();

    await page.click('[data-tab=register]');
    await page.fill('input[name=type]', 'plant/line1/temperature');
    await page.fill('textarea[name=payload]', '{"value": 21.5}');
    await page.locator('form.register button[type=submit]').click();
    const answer = page.getByTestId('register-answer');
    await answer.filter({ hasText: '"line1"' }).waitFor();
    assert.match((await answer.textContent()) ?? '', /"data": \{\s*"value": 21.5\s*\}/);
    await shot(page, 'console-register');

    await page.click('[data-tab=live]');
    const liveRow = page
      .getByTestId('live-table')
      .locator('tr', { hasText: 'plant/line1/temperature' });
    await liveRow.first().waitFor();
    await liveRow.first().click();
    await page.getByTestId('inspector').filter({ hasText: '21.5' }).waitFor();
    await shot(page, 'console-live');

    await page.click('[data-tab=latest]');
    await page
      .getByTestId('latest-table')
      .locator('tr', { hasText: 'plant/line1/temperature' })
      .filter({ hasText: '21.5' })
      .waitFor();
    // Live updates reach the open table.
    await call(base, 'POST', '/api/register', {
      events: [
        { type: 'plant/line1/temperature', payload: { data_type: 'json', data: { value: 23.25 } } },
      ],
    });
    await page.getByTestId('latest-table').locator('tr', { hasText: '23.25' }).waitFor();
    await shot(page, 'console-latest');

    for (let i = 0; i < 40; i++) {
      await call(base, 'POST', '/api/register', {
        events: [
          {
            type: 'plant/line1/temperature',
            payload: { data_type: 'json', data: { value: 20 + Math.sin(i / 4) * 3 } },
          },
          {
            type: 'plant/line2/temperature',
            payload: { data_type: 'json', data: 18 + Math.cos(i / 5) * 2 },
          },
        ],
      });
    }
    await page.click('[data-tab=chart]');
    await page.fill('input[name=chart-patterns]', 'plant/*');
    await page.getByRole('button', { name: 'Draw' }).click();
    await page
      .getByTestId('chart-points')
      .filter({ hasText: /^8[2-9] points|^9\d points/ })
      .waitFor();
    await page.locator('[data-testid=chart] canvas').waitFor();
    const legend = await page.locator('[data-testid=chart] .u-legend').textContent();
    assert.match(legend ?? '', /plant\/line1\/temperature/);
    assert.match(legend ?? '', /plant\/line2\/temperature/);
    await shot(page, 'console-chart');

    await page.click('[data-tab=status]');
    await page.getByTestId('status').filter({ hasText: 'operational' }).waitFor();
    // A sample a second: register meanwhile so the sparkline has something to draw.
    for (
      let i = 0;
      i < 40 && Number(await page.getByTestId('sparkline').getAttribute('data-samples')) < 4;
      i++
    ) {
      await call(base, 'POST', '/api/register', { events: batchOf(100) });
      await page.waitForTimeout(100);
    }
    assert.ok(Number(await page.getByTestId('sparkline').getAttribute('data-samples')) >= 4);
    await page
      .locator('td', { hasText: /^127\.0\.0\.1:\d+$/ })
      .first()
      .waitFor();
    await shot(page, 'console-status');
    assert.deepEqual(errors, []);
  });

  it('pages through history and stays bounded under a flood of events', async (t) => {
    const browser = await openBrowser(t);
    if (browser === null) return;
    const { base } = await startHttpServer(t);
    for (let i = 0; i < 30; i++) {
      await call(base, 'POST', '/api/register?wait=none', {
        events: [
          { type: `h/${String(i).padStart(2, '0')}`, payload: { data_type: 'json', data: i } },
        ],
      });
    }
    const page = await browser.newPage();
    await page.goto(`${base}/#history`);
    await page.fill('input[name=history-patterns]', 'h/*');
    await page.locator('input[type=number]').fill('10');
    await page.getByRole('button', { name: 'Query' }).click();
    const table = page.getByTestId('history-table');
    await table.locator('tr', { hasText: 'h/29' }).waitFor();
    await page.getByTestId('next-page').click();
    await table.locator('tr', { hasText: 'h/19' }).waitFor();
    assert.equal(await table.locator('tr', { hasText: 'h/29' }).count(), 0);

    // 20,000 events in batches of 1,000: the live view keeps drawing at most its 300 rows.
    await page.click('[data-tab=live]');
    const batch = Array.from({ length: 1000 }, (_, i) => ({
      type: `flood/${i % 50}`,
      payload: { data_type: 'json', data: i },
    }));
    await Promise.all(
      Array.from({ length: 20 }, () =>
        call(base, 'POST', '/api/register?wait=none', { events: batch }),
      ),
    );
    await page
      .getByTestId('received')
      .filter({ hasText: /^2\d{4} received/ })
      .waitFor({ timeout: 60_000 });
    const rows = await page.getByTestId('live-table').locator('tbody tr').count();
    assert.ok(rows <= 300, `${rows} rows drawn`);
    await page.getByTestId('pause').click();
    await page.getByTestId('received').filter({ hasText: 'since pause' }).waitFor();
    await shot(page, 'console-flood');
  });

  it('uses the token given in its address for requests and live events', async (t) => {
    const browser = await openBrowser(t);
    if (browser === null) return;
    const { base } = await startHttpServer(t, ['http_server: {tokens: [console-secret]}']);
    const page = await browser.newPage();
    await page.goto(`${base}/?token=console-secret#status`);
    await page.getByTestId('status').filter({ hasText: 'operational' }).waitFor();
    await page.click('[data-tab=live]');
    const auth = { authorization: 'Bearer console-secret' };
    // The live socket may still be connecting: register until its row shows.
    const row = page.getByTestId('live-table').locator('tr', { hasText: 'secured/event' });
    for (let i = 0; i < 100 && (await row.count()) === 0; i++) {
      await call(base, 'POST', '/api/register', { events: [{ type: 'secured/event' }] }, auth);
      await page.waitForTimeout(100);
    }
    assert.ok((await row.count()) > 0, 'the live view never showed the event');
    const anonymous = await browser.newPage();
    await anonymous.goto(`${base}/#history`);
    await anonymous.getByRole('button', { name: 'Query' }).click();
    await anonymous.locator('.error', { hasText: 'ERR_REFUSED' }).waitFor();
  });
});
