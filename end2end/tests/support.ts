import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

// Fresh people on every run, so specs can run in parallel against one database.
export const PASSWORD = 'a cosy evening in';
export const SPACE_PATH = /^\/spaces\/[0-9a-f-]{36}$/;
export const ANIME_PATH = /^\/spaces\/[0-9a-f-]{36}\/anime\/[0-9a-f-]{36}$/;

export type Person = { context: BrowserContext; page: Page };

export function freshEmail(who: string): string {
  return `${who}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.org`;
}

const pageErrors = new WeakMap<Page, string[]>();

/** Records the page's uncaught errors (a failed hydration panics), from the first call on. */
function uncaughtErrors(page: Page): string[] {
  let errors = pageErrors.get(page);
  if (!errors) {
    const list: string[] = [];
    page.on('pageerror', (error) => list.push(error.message));
    pageErrors.set(page, list);
    errors = list;
  }
  return errors;
}

/** Opens `path` and waits until the app has hydrated (the root gets `data-hydrated`). */
export async function open(page: Page, path: string): Promise<void> {
  uncaughtErrors(page);
  await page.goto(path);
  await hydrated(page);
}

/** Waits until the page is at exactly `path` (path and query, so `/login?next=/spaces` is not `/spaces`). */
export async function at(page: Page, path: string | RegExp): Promise<void> {
  await expect(page).toHaveURL((url) => {
    const here = url.pathname + url.search;
    return typeof path === 'string' ? here === path : path.test(here);
  });
}

/** Waits for hydration, and fails on any uncaught error the page has had so far. */
export async function hydrated(page: Page): Promise<void> {
  const errors = uncaughtErrors(page);
  await expect(page.locator('#app[data-hydrated="true"]')).toBeAttached();
  expect(errors, 'uncaught errors in the page').toEqual([]);
}

/** Reloads and waits for hydration. */
export async function reload(page: Page): Promise<void> {
  await page.reload();
  await hydrated(page);
}

/** Fills and sends the sign-up form that is already on screen. */
export async function fillRegistration(page: Page, name: string, email: string): Promise<void> {
  await page.getByLabel('Display name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
}

export async function register(page: Page, name: string, email: string): Promise<void> {
  await open(page, '/register');
  await fillRegistration(page, name, email);
  await at(page, '/spaces');
}

/** Creates a space from `/spaces` and lands on its home (its anime). */
export async function createSpace(page: Page, name: string): Promise<void> {
  await page.getByLabel('Space name').fill(name);
  await page.getByRole('button', { name: 'Create space' }).click();
  await at(page, SPACE_PATH);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await hydrated(page);
}

/** From any page inside a space, opens its settings (members, invitations, rename, leave). */
export async function openSpaceSettings(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'This space' }).getByRole('link', { name: 'Space settings' }).click();
  await at(page, /^\/spaces\/[0-9a-f-]{36}\/settings$/);
  await expect(page.getByRole('region', { name: 'Members' })).toBeVisible();
}

export async function person(browser: Browser): Promise<Person> {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

export function members(page: Page) {
  return page.getByRole('region', { name: 'Members' }).getByRole('listitem');
}

/**
 * The owner (on their space's home) invites `guestEmail`; the guest signs up through the
 * link as `guestName` and joins. Both end on the space's home.
 */
export async function inviteAndJoin(owner: Person, guest: Person, guestName: string, guestEmail: string): Promise<void> {
  const home = new URL(owner.page.url()).pathname;
  await openSpaceSettings(owner.page);
  await owner.page.getByLabel('Their email').fill(guestEmail);
  await owner.page.getByRole('button', { name: 'Create invitation link' }).click();
  const link = owner.page.getByLabel('Invitation link');
  await expect(link).toHaveValue(/\/invite\/[^/]+$/);
  const invitePath = new URL(await link.inputValue()).pathname;

  await open(guest.page, invitePath);
  await guest.page.getByRole('link', { name: 'Create an account' }).click();
  await hydrated(guest.page);
  await fillRegistration(guest.page, guestName, guestEmail);
  await at(guest.page, invitePath);
  await guest.page.getByRole('button', { name: /^Join / }).click();
  await at(guest.page, home);
  await hydrated(guest.page);
  await open(owner.page, home);
}

/** On a space's home: searches AniList in the add-anime dialog and adds the title named exactly `title`. */
export async function addAnime(page: Page, query: string, title: string): Promise<void> {
  await page.getByRole('link', { name: 'Add anime' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add anime' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Search AniList').fill(query);
  await dialog.getByRole('button', { name: `Add ${title}`, exact: true }).click();
  await at(page, ANIME_PATH);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await hydrated(page);
}

/** The signed-in member's column, or another member's, on an anime's page. */
export function memberColumn(page: Page, name: string) {
  return page.getByRole('article', { name: new RegExp(`^${name}\\b`) });
}

/** Saves the signed-in member's own episode count and waits for the page to show it. */
export async function saveMyProgress(page: Page, name: string, episodes: number): Promise<void> {
  const column = memberColumn(page, name);
  await column.getByLabel('Episodes I have watched').fill(String(episodes));
  await column.getByRole('button', { name: 'Save my progress' }).click();
  await expect(column.getByText('Progress saved.')).toBeVisible();
  await expect(column).toContainText(new RegExp(`ep ${episodes}( /| ·)`));
}

/** Saves the signed-in member's own rating and waits for their column to show it. */
export async function rateAs(page: Page, name: string, score: string): Promise<void> {
  const column = memberColumn(page, name);
  await column.getByLabel('My rating (0.5 to 10)').fill(score);
  await column.getByRole('button', { name: 'Save my rating' }).click();
  await expect(column).toContainText(`${score} / 10`);
}
