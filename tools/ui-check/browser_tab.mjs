// A browser tab for one role of the UI check, and what it records against the page being checked.
import fs from 'node:fs';
import path from 'node:path';

const isApi = (pathname) => pathname.startsWith('/api/');

// useWebSocket.ts at 62da6a7 rebuilds its connect callback on every render of the page (inline
// handlers in its dependencies), so each render closes the page's sockets and opens new ones; a
// socket it closes while still connecting fires `error`, which its onerror logs as this line.
// That churn is the UI's own and happens whatever the server does: such lines are counted and
// shown apart ("socket churn"), not held against the page. A socket the server refuses or breaks
// still fails the page (its handshake status or frame error, and Chrome's own console error).
export const UI_SOCKET_CHURN = 'WebSocket error: [object Event]';
const CLOSED_WHILE_CONNECTING = 'WebSocket is closed before the connection is established.';

export const STEP_TIMEOUT = 15000;
// The session viewer sends its heartbeat every 30 s; the check shortens exactly that interval so
// that one heartbeat goes out while the viewer is open.
const HEARTBEAT_MS = 30000;
export const HEARTBEAT_CHECK_MS = 1500;

// One browser tab for one role, with everything the page does recorded against the page being
// checked: console errors, uncaught exceptions, API answers of 400 and above, API requests that
// failed, and WebSocket handshakes that were refused.
export class Tab {
  constructor(role, page, cdp, {base, screenshots, results}) {
    this.role = role;
    this.page = page;
    this.base = base;
    this.screenshots = screenshots;
    this.results = results;
    this.current = null;
    this.json = new Map();
    // Set for a plain user: the sessions WebSocket must carry that user's sessions only.
    this.owner = null;
    page.on('dialog', (dialog) => dialog.accept());
    page.on('console', (message) => {
      if (message.type() !== 'error')
        return;
      if (message.text() === UI_SOCKET_CHURN) {
        if (this.current)
          this.current.churn += 1;
        return;
      }
      const where = message.location()?.url ?? '';
      this.problem(
          `console error: ${message.text().slice(0, 200)}${where ? ` (${urlPath(where)})` : ''}`);
    });
    page.on(
        'pageerror',
        (error) => this.problem(`uncaught: ${String(error.message ?? error).slice(0, 200)}`));
    page.on('response', async (response) => {
      const pathname = urlPath(response.url());
      if (!isApi(pathname))
        return;
      const method = response.request().method();
      if (response.status() >= 400) {
        // The page being checked when the answer came, not when its body has been read.
        const target = this.current;
        const body = await bodyOf(response);
        this.problem(
            `${method} ${pathname}${urlQuery(response.url())} -> ${response.status()} ${body}`,
            target);
        return;
      }
      if (method === 'GET' || method === 'POST') {
        try {
          this.json.set(
              `${method} ${pathname}`, {url: response.url(), body: await response.json()});
        } catch {
          // Not JSON (or no body): nothing to keep.
        }
      }
    });
    page.on('requestfailed', (request) => {
      const pathname = urlPath(request.url());
      // ERR_ABORTED: the check left the page while the request was out.
      if (isApi(pathname) && request.failure()?.errorText !== 'net::ERR_ABORTED') {
        this.problem(`${request.method()} ${pathname} failed: ${request.failure()?.errorText}`);
      }
    });
    const sockets = new Map();
    cdp.on('Network.webSocketCreated', ({requestId, url}) => sockets.set(requestId, urlPath(url)));
    cdp.on('Network.webSocketHandshakeResponseReceived', ({requestId, response}) => {
      if (response.status !== 101)
        this.problem(`WebSocket ${sockets.get(requestId)} -> ${response.status}`);
    });
    cdp.on('Network.webSocketFrameError', ({requestId, errorMessage}) => {
      if (errorMessage !== CLOSED_WHILE_CONNECTING)
        this.problem(`WebSocket ${sockets.get(requestId)}: ${errorMessage}`);
    });
    cdp.on('Network.webSocketFrameReceived', ({requestId, response}) => {
      if (!this.owner || sockets.get(requestId) !== '/api/v1/ws/sessions')
        return;
      let message = null;
      try {
        message = JSON.parse(response.payloadData);
      } catch {
        this.problem('sessions WebSocket: a message that is not JSON');
        return;
      }
      const foreign = (message.sessions ?? []).filter((s) => s.user !== this.owner);
      if (foreign.length > 0) {
        this.problem(`sessions WebSocket sent another user's session ${foreign[0].name}`);
      }
    });
  }

  // One action of a page that the next ones do not depend on: its failure is recorded and the
  // check goes on.
  async step(body) {
    try {
      await body();
    } catch (error) {
      this.problem(reasonOf(error));
      await this.page.keyboard.press('Escape').catch(() => {});
    }
  }

  problem(reason, target = this.current) {
    if (target && !target.reasons.includes(reason))
      target.reasons.push(reason);
  }

  // What the page does from here on belongs to the next check (a redirect to another page):
  // only what the current check throws still counts for it.
  handOver() { this.current = null; }

  // Runs one page's check; whatever throws is that page's failure. `settle`: how long late
  // answers (polling, a refetch after an action) still count for this page.
  async check(name, body, settle = 1000) {
    const result = {role: this.role, page: name, reasons: [], churn: 0};
    this.current = result;
    try {
      await body();
      await sleep(settle);
    } catch (error) {
      result.reasons.unshift(reasonOf(error));
    }
    this.current = null;
    this.results.push(result);
    const churn = result.churn > 0 ? ` [socket churn: ${result.churn}]` : '';
    console.log(
        result.reasons.length === 0 ?
            `PASS ${result.role} ${name}${churn}` :
            `FAIL ${result.role} ${name}: ${result.reasons.join('; ')}${churn}`);
  }

  async goto(route) { await this.page.goto(this.base + route, {waitUntil: 'domcontentloaded'}); }

  // Buttons and tabs print in capitals (CSS), so text is looked for as written and as shown.
  async waitText(text, what, timeout = STEP_TIMEOUT) {
    try {
      await this.page.waitForFunction(
          (t) => document.body.innerText.includes(t) || document.body.textContent.includes(t),
          {timeout}, text);
    } catch {
      throw new Error(`${what}: "${text}" not shown`);
    }
  }

  async waitGone(text, what, timeout = STEP_TIMEOUT) {
    try {
      await this.page.waitForFunction(
          (t) => !document.body.innerText.includes(t) && !document.body.textContent.includes(t),
          {timeout}, text);
    } catch {
      throw new Error(`${what}: "${text}" still shown`);
    }
  }

  async waitPath(pathname, what, timeout = STEP_TIMEOUT) {
    try {
      await this.page.waitForFunction((p) => location.pathname === p, {timeout}, pathname);
    } catch {
      throw new Error(`${what}: at ${urlPath(this.page.url())}, not ${pathname}`);
    }
  }

  // Does `act` and waits for the answer to `method` on a path matching `pattern`; a missing or
  // failed answer fails the step.
  async call(method, pattern, what, act, timeout = STEP_TIMEOUT) {
    const answered =
        this.page
            .waitForResponse(
                (r) => r.request().method() === method && pattern.test(urlPath(r.url())), {timeout})
            .catch(() => null);
    await act();
    const response = await answered;
    if (!response)
      throw new Error(`${what}: no answer to ${method} ${pattern.source}`);
    if (response.status() >= 400) {
      throw new Error(`${what}: ${method} ${urlPath(response.url())}${
          urlQuery(response.url())} -> ${response.status()} ${await bodyOf(response)}`);
    }
    return response;
  }

  // The element (button, tab, menu item, chip) whose visible text is exactly `label`, inside the
  // open dialog when there is one, else inside the card or row that also shows `scope`.
  // Waits for it up to STEP_TIMEOUT (pages reload after an action).
  async element(selector, label, scope) {
    const deadline = Date.now() + STEP_TIMEOUT;
    for (;;) {
      const element = await this.findElement(selector, label, scope);
      if (element)
        return element;
      if (Date.now() > deadline)
        throw new Error(`no ${label ?? selector}${scope ? ` for ${scope}` : ''} on the page`);
      await sleep(250);
    }
  }

  async findElement(selector, label, scope) {
    const handle = await this.page.evaluateHandle(
        (sel, text, within) => {
          const dialogs = [...document.querySelectorAll('[role="dialog"]')];
          const roots = dialogs.length > 0 ? [dialogs[dialogs.length - 1]] : [document.body];
          const containers = within ?
              [...roots[0].querySelectorAll('.MuiCard-root, tr, .MuiChip-root')].filter(
                  (c) => c.innerText.includes(within)) :
              roots;
          for (const container of containers) {
            for (const candidate of container.querySelectorAll(sel)) {
              const shown = (candidate.textContent ?? '').trim();
              if ((text === null || shown === text || shown.startsWith(`${text} (`)) &&
                  candidate.getClientRects().length > 0)
                return candidate;
            }
          }
          return null;
        },
        selector,
        label,
        scope ?? null,
    );
    return handle.asElement();
  }

  // Closes the open dialog with its Cancel button, if one is open.
  async closeDialog() {
    await this.settled();
    if (await this.page.$('[role="dialog"]'))
      await this.click('Cancel');
  }

  // Dialogs and menus fade in and out; a click during the transition can miss.
  async settled() {
    await this.page
        .waitForFunction(
            () => document.getAnimations().every(
                (a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
            {timeout: 2000})
        .catch(() => {});
  }

  async click(label, scope) {
    await this.settled();
    await (await this.element('button, [role="tab"], [role="option"], li', label, scope)).click();
  }

  // An icon button (MUI icons carry data-testid="<Name>Icon") in the card or row showing `scope`.
  async clickIcon(icon, scope) {
    await this.settled();
    await (await this.element(
               `button:has(svg[data-testid="${icon}"]), svg[data-testid="${icon}"]`, null, scope))
        .click();
  }

  // Types into the text field whose label reads `label` (MUI links label and input by id).
  async fill(label, value) {
    const id = await this.page.evaluate((text) => {
      const dialogs = [...document.querySelectorAll('[role="dialog"]')];
      const root = dialogs.length > 0 ? dialogs[dialogs.length - 1] : document;
      const match = [...root.querySelectorAll('label')].find(
          (l) => l.innerText.replace(/\s*\*\s*$/, '').trim() === text);
      return match?.htmlFor || null;
    }, label);
    if (!id)
      throw new Error(`no field "${label}"`);
    const input = await this.page.$(`[id="${id}"]`);
    await input.click({clickCount: 3});
    await input.press('Backspace');
    await input.type(value);
  }

  // Picks `option` in the MUI select labelled `label`.
  async choose(label, option) {
    const opened = await this.page.evaluate((text) => {
      const match = [...document.querySelectorAll('label')].find(
          (l) => l.innerText.replace(/\s*\*\s*$/, '').trim() === text);
      const combobox = match?.parentElement?.querySelector('[role="combobox"]');
      if (!combobox)
        return false;
      combobox.dispatchEvent(new MouseEvent('mousedown', {bubbles: true}));
      return true;
    }, label);
    if (!opened)
      throw new Error(`no select "${label}"`);
    await this.page.waitForSelector('[role="option"]', {timeout: STEP_TIMEOUT});
    await (await this.element('[role="option"]', option)).click();
    await this.page.waitForFunction(
        () => !document.querySelector('[role="listbox"]'), {timeout: STEP_TIMEOUT});
  }

  // The number a stat card shows under its title.
  async stat(title) {
    return this.page.evaluate((t) => {
      const label = [...document.querySelectorAll('p, span, h6')].find(
          (e) => e.innerText.trim() === t && e.nextElementSibling);
      return label?.nextElementSibling?.innerText.trim() ?? null;
    }, title);
  }

  // Waits until the stat card `title` shows a number of at least `least`, at any moment: the page
  // is watched on every change, since a card may show it only briefly.
  async waitStat(title, least) {
    const shown = await this.page
                      .waitForFunction(
                          (t, min) => {
                            const label = [...document.querySelectorAll('p')].find(
                                (e) => e.innerText.trim() === t && e.nextElementSibling);
                            const value = label?.nextElementSibling?.innerText.trim() ?? '';
                            return /^\d+$/.test(value) && Number(value) >= min;
                          },
                          {timeout: STEP_TIMEOUT, polling: 'mutation'}, title, least)
                      .then(() => true)
                      .catch(() => false);
    if (!shown)
      throw new Error(`${title} reads ${await this.stat(title)}`);
  }

  async screenshot(name) {
    fs.mkdirSync(this.screenshots, {recursive: true});
    await this.page.screenshot({path: path.join(this.screenshots, name), fullPage: true});
  }
}

export function urlPath(url) {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function urlQuery(url) {
  try {
    return new URL(url).search;
  } catch {
    return '';
  }
}

async function bodyOf(response) {
  try {
    return (await response.text()).slice(0, 200);
  } catch {
    // The body of an answer whose page has gone cannot be read; the status is enough.
    return '';
  }
}

const reasonOf = (error) => String(error.message ?? error).split('\n')[0];

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A tab in a browser context of its own (its own storage and cookies).
export async function openTab(browser, role, settings) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({width: 1440, height: 1000});
  await page.evaluateOnNewDocument(
      (from, to) => {
        const original = window.setInterval;
        window.setInterval = (handler, delay, ...rest) =>
            original(handler, delay === from ? to : delay, ...rest);
      },
      HEARTBEAT_MS,
      HEARTBEAT_CHECK_MS,
  );
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  return new Tab(role, page, cdp, settings);
}
