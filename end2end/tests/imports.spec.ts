import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { createSpace, freshEmail, hydrated, inviteAndJoin, person, register } from './support';

const FAKE_ANILIST_URL = process.env.FAKE_ANILIST_URL ?? '';

type Entry = { mediaId: number; status: string; progress?: number; score?: number; notes?: string; customLists?: string[] };

/** A public list on the fake AniList under a fresh user name (names are 2 to 20 characters). */
async function anilistUser(request: APIRequestContext, who: string, entries: Entry[]): Promise<string> {
  const name = `${who}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const response = await request.post(`${FAKE_ANILIST_URL}__control/users`, {
    data: { name, customLists: ['Comfort'], entries },
  });
  expect(response.ok(), 'POST __control/users').toBeTruthy();
  return name;
}

/** From the space's import page: previews that AniList user's list. */
async function previewAniList(page: Page, userName: string): Promise<void> {
  const anilist = page.getByRole('region', { name: 'From AniList' });
  await anilist.getByLabel('AniList user name').fill(userName);
  await anilist.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByRole('region', { name: 'What this import does' })).toBeVisible();
  await hydrated(page);
}

test('two members bring their AniList lists into one space and see what they share first', async ({ browser, request }) => {
  expect(FAKE_ANILIST_URL, 'FAKE_ANILIST_URL must point at the fake AniList').not.toBe('');
  const mikasList = await anilistUser(request, 'mika', [
    { mediaId: 154587, status: 'COMPLETED', progress: 28, score: 90, notes: 'Cried at the flowers' },
    { mediaId: 21519, status: 'COMPLETED', progress: 1, score: 80 },
    { mediaId: 1, status: 'PLANNING' },
    { mediaId: 9253, status: 'CURRENT', progress: 5, customLists: ['Comfort'] },
    { mediaId: 5114, status: 'PLANNING' },
  ]);
  const rensList = await anilistUser(request, 'ren', [
    { mediaId: 154587, status: 'COMPLETED', progress: 28, score: 85 },
    { mediaId: 1, status: 'PLANNING' },
    { mediaId: 16498, status: 'COMPLETED', progress: 25, score: 70 },
    { mediaId: 21519, status: 'CURRENT', progress: 0 },
  ]);
  const mika = await person(browser);
  const ren = await person(browser);
  await register(mika.page, 'Mika', freshEmail('mika'));
  await createSpace(mika.page, 'Our lists');
  await inviteAndJoin(mika, ren, 'Ren', freshEmail('ren'));

  // An empty space points to the import.
  await mika.page.getByRole('link', { name: 'Import your list' }).click();
  await expect(mika.page.getByRole('heading', { level: 2, name: 'From AniList' })).toBeVisible();
  await hydrated(mika.page);

  // Preview: what comes, nothing written yet.
  await previewAniList(mika.page, mikasList);
  const preview = mika.page.getByRole('region', { name: 'What this import does' });
  await expect(preview).toContainText(`AniList: ${mikasList}: 5 titles to bring in.`);
  await expect(preview).toContainText('5 titles new to this space');
  await expect(preview).toContainText('0 titles already in it');
  await expect(preview.getByRole('list', { name: 'On the list, by status' })).toContainText('2 Completed');
  await expect(preview).toContainText('0 you both finished, 5 only Mika has, 0 only Ren has, 0 you both plan to watch');

  // Import: the progress bar, then what it did.
  await preview.getByRole('button', { name: 'Import 5 titles' }).click();
  const progress = mika.page.getByRole('region', { name: 'Your import' });
  await expect(progress).toBeVisible();
  await expect(progress.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  await expect(progress.getByRole('status')).toHaveText(
    'Done: 5 titles new to the space, 5 of your entries added or updated, 0 already up to date.',
    { timeout: 20_000 },
  );
  await progress.getByRole('link', { name: "See the space's anime →" }).click();
  await mika.page.getByRole('link', { name: 'Finished' }).click();
  const finished = mika.page.getByRole('list', { name: 'Finished' });
  await expect(finished).toContainText("Frieren: Beyond Journey's End");
  await expect(finished).toContainText('Your Name.');
  await mika.page.getByRole('link', { name: 'Backlog' }).click();
  await expect(mika.page.getByRole('list', { name: 'Backlog' })).toContainText('Cowboy Bebop');

  // Ren's preview shows what they share with Mika before he imports.
  await ren.page.getByRole('navigation', { name: 'This space' }).getByRole('link', { name: 'Import', exact: true }).click();
  await hydrated(ren.page);
  await previewAniList(ren.page, rensList);
  const rens = ren.page.getByRole('region', { name: 'What this import does' });
  await expect(rens).toContainText('1 title new to this space');
  await expect(rens).toContainText('3 titles already in it');
  await expect(rens).toContainText('1 you both finished, 1 only Ren has, 2 only Mika has, 1 you both plan to watch');

  await Promise.all([mika.context.close(), ren.context.close()]);
});

test('an unknown or private AniList user is answered in words, and nothing is imported', async ({ page, request }) => {
  const hidden = `hid${Date.now().toString(36)}`;
  const created = await request.post(`${FAKE_ANILIST_URL}__control/users`, {
    data: { name: hidden, private: true, entries: [{ mediaId: 1, status: 'COMPLETED' }] },
  });
  expect(created.ok()).toBeTruthy();
  await register(page, 'Mika', freshEmail('mika'));
  await createSpace(page, 'Private lists');
  await page.getByRole('navigation', { name: 'This space' }).getByRole('link', { name: 'Import', exact: true }).click();
  await hydrated(page);
  const anilist = page.getByRole('region', { name: 'From AniList' });
  await anilist.getByLabel('AniList user name').fill(hidden);
  await anilist.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByText(`AniList has no public anime list for "${hidden}"`)).toBeVisible();
  await expect(page.getByRole('region', { name: 'What this import does' })).toHaveCount(0);

  await anilist.getByLabel('AniList user name').fill('no spaces allowed');
  await anilist.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByText('An AniList user name is 2 to 20 letters, digits or underscores.')).toBeVisible();
});
