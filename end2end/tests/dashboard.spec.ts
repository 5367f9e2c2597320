import { test, expect, Locator, Page } from '@playwright/test';
import {
  addAnime,
  createSpace,
  freshEmail,
  hydrated,
  inviteAndJoin,
  memberColumn,
  open,
  person,
  rateAs,
  register,
} from './support';

const BLOOM = 'Bloom Into You';
const FRIEREN = "Frieren: Beyond Journey's End";
const JJK = 'JUJUTSU KAISEN';
const KON = 'K-ON!';

/** The requests the page sends to the server's functions (`/rpc/...`) and REST API (`/api/...`). */
function apiCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/rpc/') || url.pathname.startsWith('/api/')) calls.push(`${request.method()} ${url.pathname}`);
  });
  return calls;
}

/** Charts are drawn when they come into view: scroll to the chart, then it must be drawn. */
async function expectDrawn(chart: Locator) {
  await chart.scrollIntoViewIfNeeded();
  await expect(chart).toHaveAttribute('data-echarts-drawn', 'true');
}

/** The fill colour of the first bar of the chart with this accessible name. */
async function firstBarColour(page: Page, name: RegExp): Promise<string> {
  const chart = page.getByRole('img', { name });
  await expectDrawn(chart);
  const bar = chart.locator('svg path[fill]:not([fill="none"]):not([fill="transparent"])').first();
  await expect(bar).toBeAttached();
  return (await bar.getAttribute('fill')) ?? '';
}

test('the dashboard: data in the first HTML, charts in both themes, a random pick that skips dropped shows', async ({ browser }) => {
  // Four shows added and rated through the UI by two people: longer than the default budget.
  test.setTimeout(150_000);
  const ann = await person(browser);
  const bob = await person(browser);
  await register(ann.page, 'Ann', freshEmail('ann'));
  await createSpace(ann.page, 'Dashboard dates');
  const home = new URL(ann.page.url()).pathname;
  await inviteAndJoin(ann, bob, 'Bob', freshEmail('bob'));

  const added: Record<string, string> = {};
  for (const [query, title] of [
    ['bloom into you', BLOOM],
    ['frieren', FRIEREN],
    ['jujutsu kaisen', JJK],
    ['k-on', KON],
  ]) {
    await open(ann.page, home);
    await addAnime(ann.page, query, title);
    added[title] = new URL(ann.page.url()).pathname;
  }

  // Both rate two shows; Bob drops JUJUTSU KAISEN on his own.
  for (const [title, annScore, bobScore] of [
    [BLOOM, '10', '7'],
    [FRIEREN, '9', '9'],
  ]) {
    await open(ann.page, added[title]);
    await rateAs(ann.page, 'Ann', annScore);
    await open(bob.page, added[title]);
    await rateAs(bob.page, 'Bob', bobScore);
  }
  await open(bob.page, added[JJK]);
  const bobColumn = memberColumn(bob.page, 'Bob');
  await bobColumn.getByLabel('My status').selectOption({ label: 'Dropped' });
  await bobColumn.getByRole('button', { name: 'Save my progress' }).click();
  await expect(bobColumn).toContainText('Dropped');

  // The first load of every page plus hydration asks the server for nothing: the data is in
  // the HTML.
  const calls = apiCalls(ann.page);
  for (const path of ['/spaces', `${home}/anime`, added[BLOOM], `${home}/analytics`, `${home}/settings`, '/settings/profile', home]) {
    await open(ann.page, path);
    await ann.page.waitForTimeout(300);
    expect(calls, `server calls while loading ${path}`).toEqual([]);
  }
  await expect(ann.page.getByRole('list', { name: 'At a glance' })).toContainText('4 in the backlog');
  await expect(ann.page.getByRole('region', { name: 'Compatibility' })).toContainText('Rate 1 more show together');

  // The ratings chart is drawn in the light theme, then redrawn in the dark one; its
  // figures are there as text too.
  const ratings = /^Ratings side by side: /;
  await ann.page.emulateMedia({ colorScheme: 'light' });
  const light = await firstBarColour(ann.page, ratings);
  await ann.page.emulateMedia({ colorScheme: 'dark' });
  await expect
    .poll(async () => firstBarColour(ann.page, ratings), { message: 'the chart follows the dark theme' })
    .not.toBe(light);
  await expect(ann.page.getByRole('img', { name: ratings })).toHaveAccessibleName(/widest gap is 3 points, on Bloom Into You/);
  await expectDrawn(ann.page.getByRole('img', { name: /^Sessions per month: / }));
  await ann.page.emulateMedia({ colorScheme: 'light' });

  // The random pick: never the show Bob dropped, never the same twice in a row.
  const pickButton = ann.page.getByRole('button', { name: /^(Pick something for us|Reroll)$/ });
  const choice = ann.page.getByRole('article', { name: "Tonight's pick" });
  let previous = '';
  for (let roll = 0; roll < 6; roll += 1) {
    const answered = ann.page.waitForResponse((response) => response.url().includes('/rpc/pick_for_us'));
    await pickButton.click();
    expect((await answered).ok()).toBe(true);
    await expect(choice).toBeVisible();
    if (previous) await expect(choice.getByRole('link')).not.toHaveText(previous);
    const picked = (await choice.getByRole('link').textContent()) ?? '';
    expect([BLOOM, FRIEREN, KON]).toContain(picked);
    expect(picked).not.toBe(previous);
    previous = picked;
  }

  // It fits a phone.
  await ann.page.setViewportSize({ width: 390, height: 844 });
  await hydrated(ann.page);
  expect(await ann.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // The analytics page has the full tables.
  await ann.page.getByRole('navigation', { name: 'This space' }).getByRole('link', { name: 'Analytics' }).click();
  await expect(ann.page.getByRole('region', { name: 'Every rating gap' })).toContainText('gap 3');
  await expect(ann.page.getByRole('region', { name: 'Shared stats' })).toContainText('Backlog');
  await expectDrawn(ann.page.getByRole('img', { name: /^Genre mix: / }));
  expect(await ann.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  await Promise.all([ann.context.close(), bob.context.close()]);
});
