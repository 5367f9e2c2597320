import { test, expect } from '@playwright/test';
import { addAnime, createSpace, freshEmail, inviteAndJoin, open, person, rateAs, register } from './support';

test('two people who rate three shows as in the design see 90 with its label', async ({ browser }) => {
  // Three shows added and rated twice each through the UI: longer than the default budget.
  test.setTimeout(90_000);
  const ann = await person(browser);
  const bob = await person(browser);
  await register(ann.page, 'Ann', freshEmail('ann'));
  await createSpace(ann.page, 'Rating night');
  const home = new URL(ann.page.url()).pathname;
  await inviteAndJoin(ann, bob, 'Bob', freshEmail('bob'));

  const compatibility = ann.page.getByRole('region', { name: 'Compatibility' });
  await expect(compatibility).toContainText('Rate 3 more shows together to unlock your score.');

  const designExample: [string, string, string, string][] = [
    ['bloom into you', 'Bloom Into You', '10', '9'],
    ['frieren', "Frieren: Beyond Journey's End", '9', '8'],
    ['jujutsu kaisen', 'JUJUTSU KAISEN', '7', '6'],
  ];
  for (const [query, title, annScore, bobScore] of designExample) {
    await open(ann.page, home);
    await addAnime(ann.page, query, title);
    await rateAs(ann.page, 'Ann', annScore);
    await open(bob.page, new URL(ann.page.url()).pathname);
    await rateAs(bob.page, 'Bob', bobScore);
  }

  for (const page of [ann.page, bob.page]) {
    await open(page, home);
    const card = page.getByRole('region', { name: 'Compatibility' });
    await expect(card.getByText('90', { exact: true })).toBeVisible();
    await expect(card).toContainText('Very synced, with a little spice');
    await expect(card).toContainText('Based on 3 shows you rated together.');
  }
  await Promise.all([ann.context.close(), bob.context.close()]);
});
