import { test, expect } from '@playwright/test';
import {
  addAnime,
  createSpace,
  freshEmail,
  inviteAndJoin,
  memberColumn,
  open,
  person,
  register,
  reload,
  saveMyProgress,
} from './support';

const FRIEREN = "Frieren: Beyond Journey's End";

test('two people track an anime together: add, progress, ratings, a session', async ({ browser }) => {
  const ann = await person(browser);
  const bob = await person(browser);

  await register(ann.page, 'Ann', freshEmail('ann'));
  await createSpace(ann.page, 'Frieren Fridays');
  await inviteAndJoin(ann, bob, 'Bob', freshEmail('bob'));

  // Ann finds Frieren through the dialog's search and adds it; its page opens.
  await addAnime(ann.page, 'frieren', FRIEREN);
  await expect(ann.page.getByText('Sousou no Frieren')).toBeVisible();
  const animePath = new URL(ann.page.url()).pathname;

  // Ann saves her own progress, then her rating.
  await saveMyProgress(ann.page, 'Ann', 3);
  const annColumn = memberColumn(ann.page, 'Ann');
  await annColumn.getByLabel('My rating (0.5 to 10)').fill('9');
  await annColumn.getByLabel('My notes').fill('Fern deserves the world.');
  await annColumn.getByRole('button', { name: 'Save my rating' }).click();
  await expect(annColumn).toContainText('9 / 10');

  // Bob opens it, sees Ann's changes, and saves his own.
  await open(bob.page, animePath);
  await expect(memberColumn(bob.page, 'Ann')).toContainText('9 / 10');
  await expect(memberColumn(bob.page, 'Ann')).toContainText('Fern deserves the world.');
  await saveMyProgress(bob.page, 'Bob', 2);
  const bobColumn = memberColumn(bob.page, 'Bob');
  await bobColumn.getByLabel('My rating (0.5 to 10)').fill('7.5');
  await bobColumn.getByRole('button', { name: 'Save my rating' }).click();
  await expect(bobColumn).toContainText('7.5 / 10');
  await expect(bob.page.getByRole('list', { name: 'Ratings' })).toContainText('Gap 1.5');

  // Bob records the session they watched together: episodes 1 to 4, both there.
  await bob.page.getByLabel('From episode').fill('1');
  await bob.page.getByLabel('To episode').fill('4');
  await bob.page.getByLabel('Session notes').fill('Cried at the flower field.');
  await expect(bob.page.getByRole('group', { name: 'Who was there' }).getByRole('checkbox')).toHaveCount(2);
  await bob.page.getByRole('button', { name: 'Record session' }).click();
  const bobSessions = bob.page.getByRole('list', { name: 'Sessions, newest first' });
  await expect(bobSessions).toContainText('ep 1–4');
  await expect(bobSessions).toContainText('Cried at the flower field.');

  // After a reload, Ann sees Bob's rating, the session, and everyone moved to episode 4.
  await reload(ann.page);
  await expect(memberColumn(ann.page, 'Bob')).toContainText('7.5 / 10');
  await expect(memberColumn(ann.page, 'Bob')).toContainText(/ep 4( \/| ·)/);
  await expect(memberColumn(ann.page, 'Ann')).toContainText(/ep 4( \/| ·)/);
  await expect(ann.page.getByRole('list', { name: 'Sessions, newest first' })).toContainText('Cried at the flower field.');

  // And Bob, after a reload, still sees Ann's rating next to his.
  await reload(bob.page);
  await expect(memberColumn(bob.page, 'Ann')).toContainText('9 / 10');
  await expect(bob.page.getByRole('list', { name: 'Ratings' })).toContainText('Gap 1.5');

  await Promise.all([ann.context.close(), bob.context.close()]);
});

test('adding an anime twice points to the one already there', async ({ page }) => {
  await register(page, 'Ivy', freshEmail('ivy'));
  await createSpace(page, 'Girls love club');
  await addAnime(page, 'bloom into you', 'Bloom Into You');
  const animePath = new URL(page.url()).pathname;
  const home = animePath.replace(/\/anime\/.*$/, '');

  // Without the dialog: the add page's plain search form.
  await open(page, `${home}/add?q=bloom+into+you`);
  await page.getByRole('button', { name: 'Add Bloom Into You', exact: true }).click();
  const notice = page.getByRole('alert').filter({ hasText: 'is already in this space' });
  await expect(notice).toBeVisible();
  await expect(notice.getByRole('link', { name: 'Open it' })).toHaveAttribute('href', animePath);
});

test('the anime list fits a 390 px phone screen', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await register(page, 'Jo', freshEmail('jo'));
  await createSpace(page, 'Pocket-sized anime nights');
  await addAnime(page, 'jujutsu kaisen', 'JUJUTSU KAISEN');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  const home = new URL(page.url()).pathname.replace(/\/anime\/.*$/, '');
  await open(page, `${home}/anime?tab=backlog`);
  const card = page.getByRole('list', { name: 'Backlog' }).getByRole('listitem').first();
  await expect(card).toContainText('JUJUTSU KAISEN');
  await card.getByRole('button', { name: '+1 episode for JUJUTSU KAISEN' }).click();
  await expect(card).toContainText(/ep 1( \/| ·)/);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await context.close();
});
