// Drives StreamSpace's web UI (as served by the gateway) in headless Chromium, page by page, as an
// admin and as a plain user it creates through the UI, clicking the pages' own buttons. Prints one
// line per page ("PASS <role> <page>" or "FAIL <role> <page>: <reasons>") and "N passed, N failed";
// exits 1 when a page failed. `run` starts the stack and seeds it; this script only talks to the
// browser. Usage (all options required unless a default is given):
//
//   node check.mjs --base http://localhost:8000 --admin-password-file F --repo-url file:///...
//     --template firefox --template-title Firefox --catalog-title "Visual Studio Code"
//     [--screenshots DIR] [--chromium /usr/bin/chromium]
import fs from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

import {adminDashboard, adminRoutes, groups, nodes, quotas, users} from './admin_pages.mjs';
import {openTab, UI_SOCKET_CHURN} from './browser_tab.mjs';
import {catalog, dashboard, login, repositories, sessionActions, sessions} from './pages.mjs';

const options = parseArgs(process.argv.slice(2), {
  base: 'http://localhost:8000',
  'admin-password-file': null,
  'repo-url': null,
  template: null,
  'template-title': null,
  'catalog-title': null,
  screenshots: path.join(path.dirname(new URL(import.meta.url).pathname), 'out'),
  chromium: '/usr/bin/chromium',
});
const adminPassword = fs.readFileSync(options['admin-password-file'], 'utf8').trim();
const site = {
  repoUrl: options['repo-url'],
  template: options.template,
  templateTitle: options['template-title'],
  catalogTitle: options['catalog-title'],
  // The plain user the admin creates on the CreateUser page (its id is set there).
  user: {
    username: 'uicheck-user',
    password: 'uicheck-password-1',
    email: 'uicheck-user@example.org',
    fullName: 'UI Check User'
  },
};
const results = [];
const settings = {
  base: options.base,
  screenshots: options.screenshots,
  results
};

function parseArgs(argv, defaults) {
  const parsed = {...defaults};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in defaults) || i + 1 >= argv.length)
      throw new Error(`unknown or incomplete option ${argv[i]}`);
    parsed[key] = argv[i + 1];
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (value === null)
      throw new Error(`--${key} is required`);
  }
  return parsed;
}

const browser = await puppeteer.launch({
  executablePath: options.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
try {
  const admin = await openTab(browser, 'admin', settings);
  await login(admin, 'admin', adminPassword);
  await repositories(admin, site, {manage: true});
  await catalog(admin, site, 'admin', {install: true});
  await dashboard(admin, 'admin');
  const adminSession = await sessions(admin, site, {screenshot: true});
  await adminDashboard(admin);
  await nodes(admin);
  await users(admin, site);
  await quotas(admin, site);
  await groups(admin, site);

  // The admin's session lives on while the plain user is checked: it must not reach them.
  const user = await openTab(browser, 'user', settings);
  user.owner = site.user.username;
  await login(user, site.user.username, site.user.password);
  await dashboard(user, site.user.username);
  await repositories(user, site, {manage: false});
  await catalog(user, site, site.user.username, {install: false});
  await sessionActions(user, await sessions(user, site, {screenshot: false}));
  await adminRoutes(user, site);

  await sessionActions(admin, adminSession);
} finally {
  await browser.close();
}

const failed = results.filter((r) => r.reasons.length > 0).length;
const churn = results.reduce((sum, r) => sum + r.churn, 0);
if (churn > 0)
  console.log(`(socket churn: ${churn} "${
      UI_SOCKET_CHURN}" console lines from the UI's own reconnect-on-render, not counted)`);
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
