import { test, expect, type APIRequestContext } from '@playwright/test';
import { addAnime, createSpace, freshEmail, open, register, reload, saveMyProgress } from './support';

// Breaks the fake AniList for everyone: run this file on its own, after the others.
test.describe.configure({ mode: 'serial' });

const FAKE_ANILIST_URL = process.env.FAKE_ANILIST_URL ?? '';

async function setFault(request: APIRequestContext, fault: { kind: string } | null): Promise<void> {
  const response = await request.post(`${FAKE_ANILIST_URL}__control/fault`, { data: { fault } });
  expect(response.ok()).toBeTruthy();
}

test('while AniList is down, progress still saves and search says so kindly', async ({ page, request }) => {
  expect(FAKE_ANILIST_URL, 'FAKE_ANILIST_URL must point at the fake AniList').not.toBe('');
  await register(page, 'Kai', freshEmail('kai'));
  await createSpace(page, 'Rainy day anime');
  await addAnime(page, 'frieren', "Frieren: Beyond Journey's End");
  const animePath = new URL(page.url()).pathname;
  const home = animePath.replace(/\/anime\/.*$/, '');

  await setFault(request, { kind: 'serverError' });
  try {
    // The anime's page still opens, and progress still saves.
    await reload(page);
    await expect(page.getByRole('heading', { level: 1, name: "Frieren: Beyond Journey's End" })).toBeVisible();
    await saveMyProgress(page, 'Kai', 5);

    // Search explains that AniList cannot be reached, in the dialog and on the add page.
    await open(page, home);
    await page.getByRole('link', { name: 'Add anime' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add anime' });
    // Queries no other spec searches: identical searches are answered from memory for a while.
    await dialog.getByLabel('Search AniList').fill('frieren: beyond');
    await expect(dialog.getByText('We cannot reach AniList right now.')).toBeVisible();
    // What BloomWatch has seen before is still offered.
    await expect(dialog.getByRole('button', { name: "Add Frieren: Beyond Journey's End" })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    await open(page, `${home}/add?q=sousou+no`);
    await expect(page.getByText('We cannot reach AniList right now.')).toBeVisible();
  } finally {
    await setFault(request, null);
  }
});
