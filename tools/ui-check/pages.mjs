// The pages every signed-in user has, checked through the UI's own buttons and dialogs. `site`:
// what `run` seeded ({repoUrl, template, templateTitle, catalogTitle}) and the plain user ({user}).
import {HEARTBEAT_CHECK_MS, sleep, STEP_TIMEOUT, urlPath} from './browser_tab.mjs';

// A new session pulls its image and starts its pod first.
const SESSION_READY_TIMEOUT = 60000;

// The sign-in form; the dashboard it leads to is the next check's, so nothing after the redirect
// counts here.
export async function login(tab, username, password) {
  await tab.check(
      'Login',
      async () => {
        await tab.goto('/login');
        await tab.page.waitForSelector('#username', {timeout: STEP_TIMEOUT});
        await tab.page.type('#username', username);
        await tab.page.type('#password', password);
        const answer = await tab.call(
            'POST', /^\/api\/v1\/auth\/login$/, 'sign in', () => tab.click('Sign In'));
        tab.handOver();
        await tab.waitPath('/', 'after sign-in');
        const body = await answer.json();
        if (!body.token || !body.expiresAt || body.user?.username !== username ||
            !body.user?.role) {
          throw new Error(`sign-in answer lacks token, expiresAt or user {username, role}: ${
              JSON.stringify({...body, token: undefined}).slice(0, 200)}`);
        }
        const cookies = await tab.page.cookies();
        if (!cookies.some((c) => c.httpOnly && c.value === body.token))
          throw new Error(
              'sign-in set no HttpOnly cookie holding the token (the WebSockets need it)');
      },
      0,
  );
}

export async function dashboard(tab, username) {
  await tab.check('Dashboard', async () => {
    await tab.goto('/');
    await tab.waitText(`Welcome back, ${username}!`, 'greeting');
    await tab.step(() => tab.waitText('Live Updates', 'sessions WebSocket'));
    // "..." while loading; Active Connections shows it while the metrics WebSocket is not open,
    // which with the socket churn (browser_tab.mjs) may be most of the time.
    await tab.step(() => tab.waitStat('Available Templates', 1));
    await tab.step(() => tab.waitStat('Repositories', 1));
    await tab.step(() => tab.waitStat('Active Connections', 0));
  });
}

export async function repositories(tab, site, {manage}) {
  // Sync runs in the background and the page does not poll: Refresh reloads the list until the
  // row reads synced (its Sync button is disabled while it reads syncing).
  const synced = async (what) => {
    const deadline = Date.now() + 30000;
    let row = null;
    for (;;) {
      await tab.call(
          'GET', /^\/api\/v1\/catalog\/repositories$/, 'refresh', () => tab.click('Refresh'));
      row = await tab.page.evaluate(
          () => [...document.querySelectorAll('tbody tr')]
                    .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim()))
                    .find((cells) => cells[0] === 'ui-check'),
      );
      if (row && row[3] === 'synced' && Number(row[4]) >= 1 &&
          !['Never', 'Invalid Date'].includes(row[5]) && row[2] === 'main')
        return;
      if (Date.now() > deadline)
        break;
      await sleep(1000);
    }
    if (!row)
      throw new Error(`${what}: repository ui-check not listed`);
    throw new Error(`${what}: the repository row reads branch "${row[2]}", status "${
        row[3]}", templates "${row[4]}", last sync "${row[5]}" (want main, synced, >= 1, a date)`);
  };
  await tab.check('Repositories', async () => {
    await tab.goto('/repositories');
    await tab.waitText('Template Repositories', 'title');
    if (manage) {
      await tab.click('Add Repository');
      await tab.waitText('Add Template Repository', 'add dialog');
      await tab.fill('Name', 'ui-check');
      await tab.fill('Git URL', site.repoUrl);
      await tab.call(
          'POST', /^\/api\/v1\/catalog\/repositories$/, 'add repository', () => tab.click('Add'));
      await tab.waitGone('Add Template Repository', 'add dialog');
      await tab.waitText(site.repoUrl, 'added repository row');
      await synced('after add');
      await tab.step(async () => {
        await tab.call(
            'POST', /^\/api\/v1\/catalog\/repositories\/\d+\/sync$/, 'sync repository',
            () => tab.clickIcon('SyncIcon', 'ui-check'));
        await synced('after sync');
      });
      await tab.step(async () => {
        await tab.call(
            'POST', /^\/api\/v1\/catalog\/sync$/, 'sync all', () => tab.click('Sync All'));
        await synced('after sync all');
      });
    } else {
      await synced('listing');
    }
  });
}

export async function catalog(tab, site, username, {install}) {
  await tab.check('Catalog', async () => {
    await tab.goto('/catalog');
    await tab.waitText('Template Catalog', 'title');
    await tab.waitText(site.templateTitle, 'installed template');
    await tab.step(async () => {
      await tab.click('Marketplace');
      await tab.waitText(site.catalogTitle, 'marketplace template');
      const listing = tab.json.get('GET /api/v1/catalog/templates')?.body;
      const entry = listing?.templates?.find((t) => t.displayName === site.catalogTitle);
      if (!entry)
        throw new Error('the catalog listing has no entry for the marketplace template');
      if (typeof entry.id !== 'number')
        throw new Error(`catalog template id is ${JSON.stringify(entry.id)}, not a number`);
      if (typeof entry.installCount !== 'number' || !entry.repository?.name ||
          !entry.repository?.url) {
        throw new Error(`catalog template lacks installCount or repository {name, url}: ${
            JSON.stringify(entry).slice(0, 200)}`);
      }
      if (!install)
        return;
      // At 62da6a7 the Marketplace's Install button has no click handler; the check clicks it,
      // then makes the call of api.ts's installCatalogTemplate from the page, with the token the
      // UI keeps, and looks for the template among the installed ones.
      await tab.click('Install', site.catalogTitle);
      const status = await tab.page.evaluate(async (id) => {
        const response = await fetch(`/api/v1/catalog/templates/${id}/install`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Bearer ${localStorage.getItem('streamspace_token')}`
          },
        });
        return response.status;
      }, entry.id);
      if (status >= 400)
        throw new Error(`install: POST /api/v1/catalog/templates/${entry.id}/install -> ${status}`);
      await tab.goto('/catalog');
      await tab.waitText(site.catalogTitle, 'installed catalog template in Installed Templates');
    });
    await tab.step(async () => {
      await tab.click('Installed Templates');
      await tab.click('Create Session', site.templateTitle);
      await tab.waitText('Create New Session', 'create dialog');
      const create = () => tab.click('Create');
      const created =
          await tab.call('POST', /^\/api\/v1\/sessions$/, 'create session', create)
              .catch((error) => {
                // The UI creates from template.name and sends nothing without one.
                const listed =
                    tab.json.get('GET /api/v1/templates')
                        ?.body?.templates?.find((t) => t.displayName === site.templateTitle);
                if (listed && !listed.name) {
                  const shown = JSON.stringify(listed).slice(0, 160);
                  throw new Error(
                      `create session: nothing sent; the template has no name: ${shown}`);
                }
                throw error;
              });
      const session = await created.json();
      if (session.user !== username || session.template !== site.template || !session.name) {
        throw new Error(`created session reads ${
            JSON.stringify({name: session.name, user: session.user, template: session.template})}`);
      }
      await tab.waitGone('Create New Session', 'create dialog');
    });
  });
}

// The card of session `name` on the Sessions page shows `pattern` (a RegExp source).
function cardShows(tab, name, pattern, what, timeout = STEP_TIMEOUT) {
  return tab.page
      .waitForFunction(
          (n, p) => [...document.querySelectorAll('.MuiCard-root')].some(
              (c) => c.innerText.includes(n) && new RegExp(p).test(c.innerText)),
          {timeout}, name, pattern)
      .catch(() => {
        throw new Error(`the card of ${name} never showed ${what}`);
      });
}

// Sessions (the list fed by the sessions WebSocket) with the session made on the Catalog page,
// and the session viewer (connect, heartbeat, info, close). Returns the session's name.
export async function sessions(tab, site, {screenshot}) {
  let name = null;
  await tab.check('Sessions', async () => {
    try {
      await tab.goto('/sessions');
      await tab.waitText('My Sessions', 'title');
      await tab.step(() => tab.waitText('Live Updates', 'sessions WebSocket'));
      await tab.waitText(site.template, 'session card');
      name = await tab.page.evaluate((template) => {
        const card = [...document.querySelectorAll('.MuiCard-root')].find(
            (c) => c.querySelector('h6')?.innerText.trim() === template);
        return card?.querySelector('.MuiTypography-caption')?.innerText.trim() ?? null;
      }, site.template);
      if (!name)
        throw new Error('no session name on the card');
      await cardShows(
          tab, name, '\\brunning\\b[\\s\\S]*\\bRunning\\b', 'state running and phase Running',
          SESSION_READY_TIMEOUT);
    } finally {
      if (screenshot)
        await tab.screenshot('sessions.png');
    }
  });
  await tab.check('SessionViewer', async () => {
    if (!name)
      throw new Error('no session card on the Sessions page to connect to');
    const connect = await tab.call(
        'GET', new RegExp(`^/api/v1/sessions/${name}/connect$`), 'connect', async () => {
          await tab.click('Connect', name);
          await tab.waitPath(`/sessions/${name}/viewer`, 'connect');
        });
    if (new URL(connect.url()).searchParams.get('user') === null)
      throw new Error('connect without ?user=');
    const connection = await connect.json().catch(() => ({}));
    if (!connection.connectionId || !connection.sessionUrl)
      throw new Error(`connect answered no connectionId or sessionUrl: ${
          JSON.stringify(connection).slice(0, 160)}`);
    await tab.waitText(`${site.template} - ${name}`, 'viewer title');
    await tab.step(async () => {
      const session = tab.json.get(`GET /api/v1/sessions/${name}`)?.body;
      const frame = await tab.page.$eval('iframe', (f) => f.getAttribute('src')).catch(() => null);
      if (!session?.status?.url || frame !== session.status.url)
        throw new Error(
            `the frame points at ${frame}, the session's URL is ${session?.status?.url}`);
    });
    await tab.step(
        () => tab.call(
            'POST', new RegExp(`^/api/v1/sessions/${name}/heartbeat$`), 'heartbeat', async () => {},
            HEARTBEAT_CHECK_MS * 4));
    await tab.step(async () => {
      await tab.clickIcon('InfoIcon');
      await tab.waitText(connection.connectionId, 'session info dialog');
      await tab.click('Close');
      await tab.waitGone('Session Information', 'session info dialog');
    });
    await tab.call(
        'POST', new RegExp(`^/api/v1/sessions/${name}/disconnect$`), 'close (disconnect)',
        () => tab.clickIcon('CloseIcon'));
    await tab.waitPath('/sessions', 'close');
  });
  return name;
}

// The session's actions on the Sessions page: hibernate, wake, delete.
export async function sessionActions(tab, name) {
  await tab.check('Sessions actions', async () => {
    if (!name)
      throw new Error('no session card on the Sessions page to act on');
    if (urlPath(tab.page.url()) !== '/sessions')
      await tab.goto('/sessions');
    await tab.waitText(name, 'session card');
    await tab.step(async () => {
      await tab.call(
          'PATCH', new RegExp(`^/api/v1/sessions/${name}$`), 'hibernate',
          () => tab.clickIcon('PauseIcon', name));
      await cardShows(tab, name, '\\bhibernated\\b', 'hibernated');
      await tab.call(
          'PATCH', new RegExp(`^/api/v1/sessions/${name}$`), 'wake',
          () => tab.clickIcon('PlayArrowIcon', name));
      await cardShows(tab, name, '\\brunning\\b', 'running again');
    });
    await tab.clickIcon('DeleteIcon', name);
    await tab.waitText('Delete Session', 'delete dialog');
    await tab.call(
        'DELETE', new RegExp(`^/api/v1/sessions/${name}$`), 'delete', () => tab.click('Delete'));
    await tab.waitGone(name, 'deleted session card', SESSION_READY_TIMEOUT);
  });
}
