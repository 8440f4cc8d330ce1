import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { normaliseSpace } from '../../src/query/quotes.ts';
import type { Answer } from '../../src/query/types.ts';
import { launchChromium } from '../helpers/browser.ts';
import { ROOT, scratchDir } from '../helpers/cli.ts';
import { HOSTILE_IMAGE, HOSTILE_SCRIPT, HOSTILE_WORD, ingestDemoOffers, startServer, type RunningServer } from '../helpers/serve.ts';

/**
 * The page of `offers serve` in headless Chromium, on the demo offers and one offer whose text
 * displays markup: the demo question's memo shows the API's quotes, a citation opens its offer at
 * the quote, marked; chart labels are inside their drawing; offer text is text; no request leaves
 * the server's origin; every view fits 1280 and 390 px. Screenshots of each view at both widths
 * go to test/screenshots/ (git-ignored), to be looked at.
 */

const QUESTION = 'Focusing on missions and requirements, what is the difference between the SRE and the DevOps engineer positions?';
const SCREENSHOTS = path.join(ROOT, 'test', 'screenshots');
const WIDTHS = [1280, 390] as const;

describe('offers serve: the page, in Chromium', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let server: RunningServer;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let api: Answer;
  const requests: string[] = [];
  const errors: string[] = [];

  before(async () => {
    scratch = await scratchDir();
    const { dataDir } = await ingestDemoOffers(scratch.dir);
    server = await startServer(['--data-dir', dataDir, 'serve', '--port', '0']);
    const reply = await fetch(new URL('/api/query', server.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: QUESTION }) });
    api = (await reply.json()) as Answer;
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.setViewportSize({ width: 1280, height: 900 });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await scratch.cleanup();
  });

  const ask = async () => {
    await page.goto(server.url);
    await page.locator('textarea[name=question]').fill(QUESTION);
    await page.locator('form.ask button[type=submit]').click();
    await page.locator('article.answer').waitFor({ timeout: 60_000 });
  };

  const shoot = (name: string, width: number) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`) });

  it('asks the demo question and shows the quotes of the API, each under its point and among the sources', async () => {
    await ask();
    const memoQuotes = api.memo!.aspects.flatMap((a) => a.sections.flatMap((s) => s.points.flatMap((p) => p.quotes)));
    const shown = await page.locator('section.aspect blockquote.quote').evaluateAll((quotes) => quotes.map((q) => ({ id: q.getAttribute('data-citation'), quote: q.querySelector('.quote-text')!.textContent })));
    assert.deepEqual(shown, memoQuotes.map((q) => ({ id: q.id, quote: q.quote })));
    const byId = new Map(api.citations.map((c) => [c.id, c.quote]));
    for (const { id, quote } of shown) assert.equal(quote, byId.get(id!), `${id} is the API's citation`);
    const sources = await page.locator('ol.citations > li').evaluateAll((items) => items.map((li) => ({ id: li.getAttribute('data-citation'), quote: li.querySelector('.quote-text')!.textContent })));
    assert.deepEqual(sources, api.citations.map((c) => ({ id: c.id, quote: c.quote })));
    assert.equal(await page.locator('.answer .summary li').count(), api.memo!.summary.length);
    assert.equal(await page.locator('.facts tbody tr').count(), api.memo!.facts!.rows.length);
  });

  it('draws each aspect chart with every label inside the drawing, at 1280 and 390 px', async () => {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await ask();
      const charts = await page.locator('.chart svg').evaluateAll((svgs) =>
        svgs.map((svg) => {
          const box = (svg as SVGSVGElement).viewBox.baseVal;
          const texts = Array.from(svg.querySelectorAll('text')).map((t) => {
            const b = (t as SVGTextElement).getBBox();
            return { text: t.textContent, x: b.x, y: b.y, right: b.x + b.width, bottom: b.y + b.height };
          });
          return { view: { x: box.x, y: box.y, right: box.x + box.width, bottom: box.y + box.height }, texts };
        }),
      );
      assert.equal(charts.length, api.aspects.length);
      for (const { view, texts } of charts) {
        assert.ok(texts.length > 10);
        for (const t of texts) assert.ok(t.x >= view.x && t.y >= view.y && t.right <= view.right && t.bottom <= view.bottom, `${width} px: "${t.text}" ${JSON.stringify(t)} inside ${JSON.stringify(view)}`);
      }
      await shoot('compare', width);
      await page.locator('section.aspect').first().evaluate((section) => section.scrollIntoView());
      await shoot('compare-chart', width);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("opens a citation's offer scrolled to the quote, marked, with the offer's own link", async () => {
    await ask();
    const first = page.locator('section.aspect blockquote.quote').first();
    const id = await first.getAttribute('data-citation');
    const citation = api.citations.find((c) => c.id === id)!;
    await first.locator('a.cite').click();
    const mark = page.locator('article.offer mark');
    await mark.waitFor();
    assert.equal(normaliseSpace((await mark.textContent()) ?? ''), normaliseSpace(citation.quote));
    assert.ok(await mark.isVisible());
    const box = (await mark.boundingBox())!;
    assert.ok(box.y >= 0 && box.y + Math.min(box.height, 100) <= 900, `the mark is scrolled into view: ${JSON.stringify(box)}`);
    assert.equal(await page.locator('article.offer h2').textContent(), citation.title);
    const withUrl = api.citations.find((c) => c.url)!;
    await page.goto(`${server.url}#/offer/${encodeURIComponent(withUrl.offerId)}?quote=${encodeURIComponent(withUrl.quote)}`);
    await page.locator('article.offer mark').waitFor();
    assert.equal(await page.locator('article.offer a.external').getAttribute('href'), new URL(withUrl.url!).href);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.locator('article.offer mark').scrollIntoViewIfNeeded();
      await shoot('offer-quote', width);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('browses and searches the offers, and shows an offer whose text displays markup as that text', async () => {
    await page.goto(`${server.url}#/offers`);
    await page.locator('ul.offer-list li').first().waitFor();
    assert.match((await page.locator('p.count').textContent()) ?? '', /^37 offers$/);
    await page.locator('input[name=q]').fill(HOSTILE_WORD.toLowerCase());
    await page.locator('form.filters button[type=submit]').click();
    await page.waitForFunction(() => document.querySelector('p.count')?.textContent === '1 offer');
    await page.locator('ul.offer-list a.offer-title').click();
    await page.locator('article.offer').waitFor();
    const text = await page.locator('article.offer').innerText();
    assert.ok(text.includes(HOSTILE_SCRIPT) && text.includes(HOSTILE_IMAGE), 'the markup is shown as text');
    assert.equal(await page.locator('article.offer h2').textContent(), 'Site Reliability Engineer <b>Fleet</b>');
    assert.equal(await page.locator('#view script, #view img, #view b').count(), 0);
    assert.equal(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined, 'no offer script ran');
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await shoot('offer-hostile', width);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('fits every view at 1280 and 390 px wide (no sideways scrolling), and shows the index', async () => {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      for (const [name, route, ready] of [
        ['offers', '#/offers', 'ul.offer-list li'],
        ['index', '#/index', '.index-part table'],
        ['offer', `#/offer/${encodeURIComponent(api.citations[0]!.offerId)}`, 'article.offer'],
      ] as const) {
        await page.goto(`${server.url}${route}`);
        await page.locator(ready).first().waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${name} at ${width} px scrolls sideways by ${overflow} px`);
        if (name === 'index') assert.match(await page.locator('main').innerText(), /Offers per role\nrole\toffers\tchunks\nSRE\t15\t\d+/);
        await shoot(name, width);
      }
      await ask();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the answer at ${width} px scrolls sideways by ${overflow} px`);
    }
  });

  it('requests nothing but its own origin, and raises no script error', () => {
    const origin = new URL(server.url).origin;
    assert.ok(requests.length > 10);
    assert.deepEqual(requests.filter((url) => new URL(url).origin !== origin), []);
    assert.deepEqual(errors, []);
  });
});
