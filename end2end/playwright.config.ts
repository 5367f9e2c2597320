import { defineConfig } from '@playwright/test';

// `cargo xtask test` starts the release server on a free port and passes its URL as BASE_URL,
// and the fake AniList it talks to as FAKE_ANILIST_URL (whose /__control/ endpoints set faults).
// Browsers cannot be downloaded here (`npx playwright install` fails), so we drive Debian's chromium.
export default defineConfig({
  testDir: 'tests',
  fullyParallel: true,
  // The server under test is cargo test's debug build (no second server compile), and the
  // two-person journeys take many steps: 30 s was too tight on a 2-core machine.
  timeout: 60_000,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: 'list',
  use: {
    baseURL: process.env.BASE_URL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'chromium', use: { browserName: 'chromium' }, testIgnore: /anilist-(down|link)\.spec\.ts/ },
    // These steer the shared fake AniList (who approves a link, faults), so each runs alone,
    // after the rest.
    {
      name: 'anilist-link',
      use: { browserName: 'chromium' },
      testMatch: /anilist-link\.spec\.ts/,
      dependencies: ['chromium'],
    },
    {
      name: 'anilist-down',
      use: { browserName: 'chromium' },
      testMatch: /anilist-down\.spec\.ts/,
      dependencies: ['anilist-link'],
    },
  ],
});
