import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { addAnime, at, createSpace, freshEmail, memberColumn, open, person, register, reload, saveMyProgress } from './support';

// Steers the shared fake AniList (who approves, faults): run this file on its own, after the others.
test.describe.configure({ mode: 'serial' });

const FAKE_ANILIST_URL = process.env.FAKE_ANILIST_URL ?? '';
const SETTINGS = '/settings/linked-accounts';

async function control(request: APIRequestContext, path: string, data: object): Promise<void> {
  const response = await request.post(`${FAKE_ANILIST_URL}__control/${path}`, { data });
  expect(response.ok(), `POST __control/${path}`).toBeTruthy();
}

/** The fake AniList account the next approval signs in as. */
async function approveAs(request: APIRequestContext, name: string | null): Promise<void> {
  await control(request, 'oauth', { approveAs: name });
}

/** Presses "Connect AniList" on the settings page; the fake approves at once and sends the browser back. */
async function connect(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Connect AniList' }).click();
  await at(page, `${SETTINGS}?anilist=linked`);
  await expect(page.getByText('AniList is linked')).toBeVisible();
}

/** Where the settings page would send this member to approve on AniList (the navigation is stopped). */
async function authorizeUrlOf(page: Page): Promise<string> {
  let captured = '';
  await page.route(`${FAKE_ANILIST_URL}api/v2/oauth/authorize**`, async (route) => {
    captured = route.request().url();
    // A 204 leaves the page where it is; an aborted navigation would leave Chromium on an
    // error page that loads the URL again by itself when the test next goes there.
    await route.fulfill({ status: 204 });
  });
  await page.getByRole('button', { name: 'Connect AniList' }).click();
  await expect.poll(() => captured).not.toBe('');
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  return captured;
}

test('a member links AniList, and a change of theirs goes from sending to synced', async ({ page, request }) => {
  expect(FAKE_ANILIST_URL, 'FAKE_ANILIST_URL must point at the fake AniList').not.toBe('');
  const anilistName = `mika_${Date.now()}`;
  await register(page, 'Mika', freshEmail('mika'));
  await createSpace(page, 'Sync night');
  await addAnime(page, 'frieren', "Frieren: Beyond Journey's End");
  const animePath = new URL(page.url()).pathname;
  // Not linked: nothing about AniList in her column.
  await expect(memberColumn(page, 'Mika').getByRole('group', { name: 'Your AniList sync for this title' })).toHaveCount(0);

  await open(page, SETTINGS);
  await expect(page.getByRole('heading', { level: 1, name: 'Linked accounts' })).toBeVisible();
  await approveAs(request, anilistName);
  await connect(page);
  await approveAs(request, null);
  const card = page.getByRole('region', { name: 'AniList' });
  await expect(card).toContainText(anilistName);
  await expect(card.getByLabel('My progress (episodes watched)')).toBeChecked();
  await expect(card.getByLabel('My score (AniList may round it to your score format)')).not.toBeChecked();

  // AniList asks us to wait a moment: the change waits, then goes.
  await control(request, 'fault', { fault: { kind: 'rateLimited', retryAfterSeconds: 3 } });
  await open(page, animePath);
  await saveMyProgress(page, 'Mika', 3);
  const chip = memberColumn(page, 'Mika').getByRole('group', { name: 'Your AniList sync for this title' });
  await expect(chip).toContainText('Sending to AniList…');
  await control(request, 'fault', { fault: null });
  await expect(async () => {
    await reload(page);
    await expect(chip).toContainText('On your AniList list', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });

  const list = await request.get(`${FAKE_ANILIST_URL}__control/users/${anilistName}`);
  expect(list.ok()).toBeTruthy();
  const user = await list.json();
  expect(user.entries).toHaveLength(1);
  // Only what she changed went: her progress (her status was never set here).
  expect(user.entries[0]).toMatchObject({ mediaId: 154587, progress: 3 });
  const mutations = await (await request.get(`${FAKE_ANILIST_URL}__control/mutations`)).json();
  const hers = mutations.mutations.filter((mutation: { userName: string }) => mutation.userName === anilistName);
  expect(hers.map((mutation: { variables: object }) => mutation.variables)).toEqual([{ mediaId: 154587, progress: 3 }]);

  // Her history says so; then she unlinks.
  await open(page, SETTINGS);
  const history = page.getByRole('region', { name: 'Sync history' });
  await expect(history).toContainText('progress 3');
  await expect(history).toContainText('Synced');
  await page.getByRole('button', { name: 'Unlink AniList' }).click();
  await page.getByRole('button', { name: 'Yes, unlink' }).click();
  await at(page, `${SETTINGS}?anilist=unlinked`);
  await expect(page.getByRole('button', { name: 'Connect AniList' })).toBeVisible();
});

test('a forged, replayed or another member\'s state is refused', async ({ browser, request }) => {
  const mika = await person(browser);
  const ren = await person(browser);
  await register(mika.page, 'Mika', freshEmail('mika'));
  await register(ren.page, 'Ren', freshEmail('ren'));

  // Forged.
  await open(mika.page, '/api/me/anilist/callback?code=abc&state=forged');
  await at(mika.page, `${SETTINGS}?anilist=expired`);
  await expect(mika.page.getByText('That AniList sign-in had expired or was already used')).toBeVisible();

  // Ren's approval, finished in Mika's browser, links nothing and leaves Ren's state alone.
  await open(ren.page, SETTINGS);
  const rensAuthorize = await authorizeUrlOf(ren.page);
  await approveAs(request, `ren_${Date.now()}`);
  await mika.page.goto(rensAuthorize);
  await at(mika.page, `${SETTINGS}?anilist=expired`);
  await expect(mika.page.getByRole('button', { name: 'Connect AniList' })).toBeVisible();

  // Ren finishes it himself; coming back with the same answer again is refused.
  let callback = '';
  ren.page.on('request', (sent) => {
    if (sent.url().includes('/api/me/anilist/callback?')) callback = sent.url();
  });
  await ren.page.goto(rensAuthorize);
  await at(ren.page, `${SETTINGS}?anilist=linked`);
  await approveAs(request, null);
  expect(callback).not.toBe('');
  await ren.page.goto(callback);
  await at(ren.page, `${SETTINGS}?anilist=expired`);
  await expect(ren.page.getByRole('region', { name: 'AniList' })).toContainText('Syncing your changes.');

  await Promise.all([mika.context.close(), ren.context.close()]);
});
