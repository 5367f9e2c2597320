import { test, expect } from '@playwright/test';
import {
  PASSWORD,
  SPACE_PATH,
  at,
  createSpace,
  fillRegistration,
  freshEmail,
  hydrated,
  members,
  open,
  openSpaceSettings,
  person,
  register,
} from './support';

test('two people share a space: invite, join, hand over ownership, leave', async ({ browser }) => {
  const ann = await person(browser);
  const bob = await person(browser);
  const cai = await person(browser);
  const bobEmail = freshEmail('bob');
  const spaceName = 'Sunday Night Anime';

  // Ann signs up, creates a space and invites Bob.
  await register(ann.page, 'Ann', freshEmail('ann'));
  await createSpace(ann.page, spaceName);
  await openSpaceSettings(ann.page);
  await ann.page.getByLabel('Their email').fill(bobEmail);
  await ann.page.getByRole('button', { name: 'Create invitation link' }).click();
  const link = ann.page.getByLabel('Invitation link');
  await expect(link).toHaveValue(/\/invite\/[^/]+$/);
  const invitePath = new URL(await link.inputValue()).pathname;
  await expect(ann.page.getByRole('region', { name: 'Pending invitations' })).toContainText(bobEmail);

  // Cai has the link but another email: the invitation refuses them, clearly.
  await open(cai.page, invitePath);
  await expect(cai.page.getByRole('heading', { level: 1 })).toHaveText(`Ann invited you to ${spaceName}`);
  await cai.page.getByRole('link', { name: 'Create an account' }).click();
  await hydrated(cai.page);
  await fillRegistration(cai.page, 'Cai', freshEmail('cai'));
  await at(cai.page, invitePath);
  await cai.page.getByRole('button', { name: `Join ${spaceName}` }).click();
  await expect(cai.page.getByRole('alert')).toContainText(
    `This invitation was sent to ${bobEmail}. Log in with that email to accept it.`,
  );
  await at(cai.page, invitePath);

  // Bob opens the link signed out, signs up through it (email prefilled) and joins.
  await open(bob.page, invitePath);
  await bob.page.getByRole('link', { name: 'Create an account' }).click();
  await hydrated(bob.page);
  await expect(bob.page.getByLabel('Email')).toHaveValue(bobEmail);
  await fillRegistration(bob.page, 'Bob', bobEmail);
  await at(bob.page, invitePath);
  await bob.page.getByRole('button', { name: `Join ${spaceName}` }).click();
  await at(bob.page, SPACE_PATH);
  await expect(bob.page.getByRole('heading', { level: 1, name: spaceName })).toBeVisible();
  await hydrated(bob.page);
  await openSpaceSettings(bob.page);
  await expect(members(bob.page)).toHaveCount(2);

  // Both see two members.
  await ann.page.reload();
  await hydrated(ann.page);
  await expect(members(ann.page)).toHaveCount(2);

  // Ann is the only owner, so she cannot leave yet.
  await ann.page.getByRole('button', { name: 'Leave space' }).click();
  await ann.page.getByRole('button', { name: 'Yes, leave' }).click();
  await expect(ann.page.getByRole('alert')).toContainText('A space needs at least one owner. Promote someone else first.');

  // She hands the space over to Bob (she becomes a member), then can leave.
  const bobRow = members(ann.page).filter({ hasText: 'Bob' });
  await bobRow.getByRole('button', { name: 'Hand over' }).click();
  await expect(bobRow).toContainText('Make Bob the owner and become a member yourself?');
  await bobRow.getByRole('button', { name: 'Yes, hand over' }).click();
  // The page reloads to show the new roles: Bob's, and Ann's own (no owner actions left).
  await expect(bobRow.getByText('Owner', { exact: true })).toBeVisible();
  await expect(members(ann.page).filter({ hasText: 'Ann' }).getByText('Member', { exact: true })).toBeVisible();
  await expect(ann.page.getByRole('button', { name: 'Remove' })).toHaveCount(0);
  await hydrated(ann.page);
  await ann.page.getByRole('button', { name: 'Leave space' }).click();
  await ann.page.getByRole('button', { name: 'Yes, leave' }).click();
  await at(ann.page, '/spaces');
  await expect(ann.page.getByRole('heading', { name: 'No spaces yet' })).toBeVisible();

  await bob.page.reload();
  await hydrated(bob.page);
  await expect(members(bob.page)).toHaveCount(1);

  await Promise.all([ann.context.close(), bob.context.close(), cai.context.close()]);
});

test('a theme choice survives a reload', async ({ page }) => {
  await register(page, 'Dee', freshEmail('dee'));
  await open(page, '/settings/profile');
  await page.getByRole('radio', { name: /^Dark/ }).check();
  await page.getByRole('button', { name: 'Save theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  // The server renders the saved theme into the document itself: no flash on load.
  const response = await page.reload();
  expect(await response?.text()).toMatch(/<html[^>]*data-theme="dark"/);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('the space page fits a 390 px phone screen', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await register(page, 'Eli', freshEmail('eli'));
  await createSpace(page, 'A rather long space name for small screens');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await openSpaceSettings(page);
  await page.getByLabel('Their email').fill(freshEmail('fay'));
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  await expect(page.getByLabel('Invitation link')).toHaveValue(/\/invite\//);

  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth).toBeLessThanOrEqual(390);
  await context.close();
});

test('logging in keeps you logged in across a reload', async ({ page }) => {
  const email = freshEmail('gus');
  await register(page, 'Gus', email);
  await page.getByRole('button', { name: 'Log out' }).click();
  await at(page, '/');
  await hydrated(page);

  // Account pages send visitors to log in first, and back afterwards.
  await open(page, '/spaces');
  await at(page, '/login?next=/spaces');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await at(page, '/spaces');

  await page.reload();
  await hydrated(page);
  await at(page, '/spaces');
  await expect(page.getByRole('heading', { level: 1, name: 'Your spaces' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
});

test('a wrong password is refused without losing what was typed', async ({ page }) => {
  const email = freshEmail('hal');
  await register(page, 'Hal', email);
  await page.getByRole('button', { name: 'Log out' }).click();
  await at(page, '/');
  await open(page, '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toContainText('That email and password do not match an account.');
  await expect(page.getByLabel('Email')).toHaveValue(email);
});

test('unknown pages answer 404 with a way back', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'This page wandered off' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Back to the start' })).toBeVisible();
});
